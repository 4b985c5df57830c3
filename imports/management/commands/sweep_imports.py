from django.core.management.base import BaseCommand

from imports import services


class Command(BaseCommand):
    help = (
        "Mark failed the imports whose worker stopped, and remove the files of "
        "uploads never imported (beat runs both; see README)."
    )

    def handle(self, *args, **options):
        stuck = services.import_jobs_fail_stuck()
        swept, stray = services.import_uploads_sweep()
        self.stdout.write(
            f"{stuck} stopped imports marked failed; files removed: {swept} of "
            f"uploads never imported, {stray} that no import named."
        )
