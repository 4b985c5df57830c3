from django.core.management.base import BaseCommand

from followups.jobs import flag_dormant_relationships


class Command(BaseCommand):
    help = "Add a re-engagement follow-up for every dormant client and placed candidate (nightly job)."

    def handle(self, *args, **options):
        count = flag_dormant_relationships()
        self.stdout.write(
            f"{count} dormant relationships flagged with a re-engagement follow-up"
        )
