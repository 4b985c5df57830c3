from django.core.management.base import BaseCommand

from crm.dashboards.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create a realistic demo agency (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        result = seed_demo()
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demo agency created."))
        else:
            self.stdout.write("Demo agency already present; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, what in result.logins:
            self.stdout.write(f"  {email:<24} {what}")
