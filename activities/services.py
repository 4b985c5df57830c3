"""Writes to activities."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from clients.models import Candidate, Contact
from placements.models import Placement

from .models import Activity


@transaction.atomic
def activity_log(
    *,
    by: User,
    kind: str,
    contact: Contact | None = None,
    candidate: Candidate | None = None,
    placement: Placement | None = None,
    occurred_at=None,
    subject: str = "",
    note: str = "",
) -> Activity:
    """Record a touch with one person; it warms that person's client too."""
    client_id = None
    if contact is not None:
        client_id = contact.client_id
    elif placement is not None:
        client_id = placement.client_id
    activity = Activity(
        by=by,
        kind=kind,
        contact=contact,
        candidate=candidate,
        placement=placement,
        client_id=client_id,
        occurred_at=occurred_at or timezone.now(),
        subject=subject,
        note=note,
    )
    activity.full_clean()
    activity.save()
    return activity
