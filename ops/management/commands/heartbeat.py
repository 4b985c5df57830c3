from django.core.management.base import BaseCommand

from ops.services import heartbeat_record


class Command(BaseCommand):
    help = "Record beat's heartbeat now (beat does it every minute; /readyz reads it)."

    def handle(self, *args, **options):
        heartbeat = heartbeat_record()
        self.stdout.write(f"Heartbeat recorded: {heartbeat}")
