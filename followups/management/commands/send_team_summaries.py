from django.core.management.base import BaseCommand

from followups.delivery import deliveries_run
from followups.models import EmailDelivery

from .send_digests import _report


class Command(BaseCommand):
    help = (
        "Send the managers' weekly team summaries due now (Mondays at their digest "
        "hour), in this process. Safe to run twice."
    )

    def handle(self, *args, **options):
        counts = deliveries_run(kind=EmailDelivery.Kind.TEAM_SUMMARY)
        self.stdout.write(_report(counts, "team summaries"))
