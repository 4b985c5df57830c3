from django.core.management.base import BaseCommand

from followups.jobs import materialize_followups


class Command(BaseCommand):
    help = "Bring every placement's follow-ups in line with its plan (hourly job)."

    def handle(self, *args, **options):
        self.stdout.write(str(materialize_followups()))
