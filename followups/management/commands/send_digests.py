from django.core.management.base import BaseCommand

from followups.delivery import deliveries_run
from followups.models import EmailDelivery


class Command(BaseCommand):
    help = (
        "Send the daily digests due now (every 5 minutes under beat), in this "
        "process. Safe to run twice: each user gets one digest a day."
    )

    def handle(self, *args, **options):
        counts = deliveries_run(kind=EmailDelivery.Kind.DAILY_DIGEST)
        self.stdout.write(_report(counts, "daily digests"))


def _report(counts: dict[str, int], what: str) -> str:
    if not counts:
        return f"No {what} due now."
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"{sum(counts.values())} {what} handled: {detail}"
