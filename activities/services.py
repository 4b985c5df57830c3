"""Writes to activities."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.rules import can_log_activity
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
    occurred_at: datetime | None = None,
    subject: str = "",
    note: str = "",
) -> Activity:
    """Record a touch with one person; it warms that person's client too."""
    if not can_log_activity(by):
        raise PermissionDenied
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
