from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create a realistic demo agency (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (the demo users share a published password).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING or options["force"]):
            raise CommandError(
                "seed_demo creates users with a published password; it runs only with "
                "DEBUG=true (or --force)."
            )
        result = seed_demo()
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demo agency created."))
        else:
            self.stdout.write("Demo agency already present; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in result.logins:
            self.stdout.write(f"  {email:<24} {what}")
