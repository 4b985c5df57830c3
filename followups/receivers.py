"""How follow-ups react to placements. Connected in FollowupsConfig.ready()."""

from __future__ import annotations

from django.dispatch import receiver

from placements.models import Placement
from placements.signals import placement_changed

from .jobs import materialize_followups

# Changes to these fields can change which follow-ups a placement has, or when.
PLAN_FIELDS = {
    "placement_type",
    "start_date",
    "end_date",
    "guarantee_days",
    "status",
    "contact",
    "candidate",
    "job",
}


@receiver(placement_changed, sender=Placement, dispatch_uid="followups.apply_plan")
def apply_plan(
    sender, placement: Placement, created: bool, changes: set[str], **kwargs
):
    # Runs inside the placement service's transaction: the placement and its
    # follow-ups are saved together or not at all.
    if created or changes & PLAN_FIELDS:
        materialize_followups(placement_ids=[placement.pk])
