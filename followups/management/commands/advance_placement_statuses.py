from django.core.management.base import BaseCommand

from placements.services import placements_advance_statuses


class Command(BaseCommand):
    help = "Start pending placements on their start date; complete ended contracts (nightly job)."

    def handle(self, *args, **options):
        started, completed = placements_advance_statuses()
        self.stdout.write(
            f"{started} placements started, {completed} contracts completed"
        )
