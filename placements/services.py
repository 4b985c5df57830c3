"""Writes to jobs and placements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User, local_today
from clients.models import Candidate
from clients.services import _apply

from .models import Job, Placement
from .signals import placement_changed


@transaction.atomic
def job_create(*, by: User, **fields: Any) -> Job:
    fields.setdefault("owner", by)
    return _apply(Job(), fields)


@transaction.atomic
def job_update(*, job: Job, by: User, **fields: Any) -> Job:
    return _apply(job, fields)


@transaction.atomic
def placement_create(
    *, by: User, job: Job, candidate: Candidate, **fields: Any
) -> Placement:
    """Record a placement; its follow-up plan is applied in the same transaction."""
    fields.setdefault("recruiter", by)
    placement = _apply(
        Placement(job=job, client_id=job.client_id, candidate=candidate), fields
    )
    if job.status == Job.Status.OPEN:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FILLED)
    if placement.is_running:
        Candidate.objects.filter(pk=candidate.pk).update(status=Candidate.Status.PLACED)
    placement_changed.send(
        sender=Placement, placement=placement, created=True, changes=set(fields), by=by
    )
    return placement


@transaction.atomic
def placement_update(*, placement: Placement, by: User, **fields: Any) -> Placement:
    before = Placement.objects.select_for_update().get(pk=placement.pk)
    if "job" in fields:
        fields["client_id"] = fields["job"].client_id
    changes = {name for name, value in fields.items() if getattr(before, name) != value}
    _apply(placement, fields)
    if changes:
        placement_changed.send(
            sender=Placement, placement=placement, created=False, changes=changes, by=by
        )
    return placement


@transaction.atomic
def placement_cancel(
    *,
    placement: Placement,
    reason: str,
    by: User,
    status: str = Placement.Status.CANCELLED,
) -> Placement:
    """Cancel (or mark fallen off) with a reason; open follow-ups are cancelled too."""
    if status not in Placement.ENDED_STATUSES:
        raise ValueError(f"{status!r} is not a cancelling status")
    # Lock first: two cancels at once must not both pass the check.
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if locked.is_ended:
        raise ValidationError(
            f"This placement is already {locked.get_status_display().lower()}."
        )
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Say why the placement ended."})
    placement = placement_update(
        placement=placement,
        by=by,
        status=status,
        cancel_reason=reason.strip(),
        cancelled_at=timezone.now(),
    )
    # The candidate is available again and the job open again, unless another live
    # placement still holds them.
    others = Placement.objects.running().exclude(pk=placement.pk)
    if not others.filter(candidate_id=placement.candidate_id).exists():
        Candidate.objects.filter(
            pk=placement.candidate_id, status=Candidate.Status.PLACED
        ).update(status=Candidate.Status.AVAILABLE)
    if not others.filter(job_id=placement.job_id).exists():
        Job.objects.filter(pk=placement.job_id, status=Job.Status.FILLED).update(
            status=Job.Status.OPEN
        )
    return placement


def placements_advance_statuses(*, now: datetime | None = None) -> tuple[int, int]:
    """Pending placements become active on their start date; contracts become
    completed after their end date. "Today" is each recruiter's own. Returns
    (started, completed); a second run the same day changes nothing."""
    now = now or timezone.now()
    started = completed = 0
    zones = (
        Placement.objects.running()
        .values_list("recruiter__time_zone", flat=True)
        .distinct()
    )
    for tz in set(zones):
        today = local_today(tz, now)
        mine = Placement.objects.filter(recruiter__time_zone=tz)
        started += mine.filter(
            status=Placement.Status.PENDING, start_date__lte=today
        ).update(status=Placement.Status.ACTIVE, updated_at=now)
        completed += mine.filter(
            status=Placement.Status.ACTIVE,
            placement_type=Placement.Type.CONTRACT,
            end_date__lt=today,
        ).update(status=Placement.Status.COMPLETED, updated_at=now)
    return started, completed
