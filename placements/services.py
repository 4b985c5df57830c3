"""Writes to jobs and placements.

As in clients.services: each service checks `by` with the named rule and raises
PermissionDenied when `by` may not; update services change only what they are given;
a new job's owner and a new placement's recruiter default to `by`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencySettings, User, local_today
from accounts.rules import can_assign_to, can_change, can_edit
from clients.models import Candidate, Client, Contact
from core.services import UNSET, Unset, apply_fields, given, save_valid

from .models import Job, Placement
from .signals import placement_changed


@transaction.atomic
def job_create(
    *,
    by: User,
    client: Client,
    title: str,
    hiring_contact: Contact | None = None,
    status: str = Job.Status.OPEN,
    location: str = "",
    opened_on: date | None = None,
    owner: User | None = None,
    description: str = "",
) -> Job:
    owner = owner or by
    if not can_assign_to(by, owner):
        raise PermissionDenied
    job = Job(
        client=client,
        title=title,
        hiring_contact=hiring_contact,
        status=status,
        location=location,
        opened_on=opened_on,
        owner=owner,
        description=description,
    )
    return save_valid(job)


@transaction.atomic
def job_update(
    *,
    job: Job,
    by: User,
    client: Client | Unset = UNSET,
    title: str | Unset = UNSET,
    hiring_contact: Contact | None | Unset = UNSET,
    status: str | Unset = UNSET,
    location: str | Unset = UNSET,
    opened_on: date | None | Unset = UNSET,
    owner: User | Unset = UNSET,
    description: str | Unset = UNSET,
) -> Job:
    changes = given(
        client=client,
        title=title,
        hiring_contact=hiring_contact,
        status=status,
        location=location,
        opened_on=opened_on,
        owner=owner,
        description=description,
    )
    if not can_change(by, job, owner=changes.get("owner")):
        raise PermissionDenied
    return apply_fields(job, changes)


@transaction.atomic
def placement_create(
    *,
    by: User,
    job: Job,
    candidate: Candidate,
    start_date: date,
    contact: Contact | None = None,
    placement_type: str = Placement.Type.PERMANENT,
    end_date: date | None = None,
    fee: Decimal = Decimal("0"),
    currency: str = "",
    pay: Decimal | None = None,
    pay_basis: str = Placement.PayBasis.ANNUAL,
    guarantee_days: int = 90,
    recruiter: User | None = None,
    status: str = Placement.Status.PENDING,
    notes: str = "",
) -> Placement:
    """Record a placement; its follow-up plan is applied in the same transaction."""
    recruiter = recruiter or by
    if not can_assign_to(by, recruiter):
        raise PermissionDenied
    fields = {
        "contact": contact,
        "placement_type": placement_type,
        "start_date": start_date,
        "end_date": end_date,
        "fee": fee,
        "currency": currency or AgencySettings.load().default_currency,
        "pay": pay,
        "pay_basis": pay_basis,
        "guarantee_days": guarantee_days,
        "recruiter": recruiter,
        "status": status,
        "notes": notes,
    }
    placement = apply_fields(
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
def placement_update(
    *,
    placement: Placement,
    by: User,
    job: Job | Unset = UNSET,
    candidate: Candidate | Unset = UNSET,
    contact: Contact | None | Unset = UNSET,
    placement_type: str | Unset = UNSET,
    start_date: date | Unset = UNSET,
    end_date: date | None | Unset = UNSET,
    fee: Decimal | Unset = UNSET,
    currency: str | Unset = UNSET,
    pay: Decimal | None | Unset = UNSET,
    pay_basis: str | Unset = UNSET,
    guarantee_days: int | Unset = UNSET,
    recruiter: User | Unset = UNSET,
    status: str | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Placement:
    changes = given(
        job=job,
        candidate=candidate,
        contact=contact,
        placement_type=placement_type,
        start_date=start_date,
        end_date=end_date,
        fee=fee,
        currency=currency,
        pay=pay,
        pay_basis=pay_basis,
        guarantee_days=guarantee_days,
        recruiter=recruiter,
        status=status,
        notes=notes,
    )
    if not can_change(by, placement, owner=changes.get("recruiter")):
        raise PermissionDenied
    return _placement_save(placement=placement, by=by, fields=changes)


def _placement_save(
    *, placement: Placement, by: User, fields: dict[str, Any]
) -> Placement:
    """Save `fields` on a placement and say what changed (placement_changed)."""
    before = Placement.objects.select_for_update().get(pk=placement.pk)
    if "job" in fields:
        fields["client_id"] = fields["job"].client_id
    changes = {name for name, value in fields.items() if getattr(before, name) != value}
    apply_fields(placement, fields)
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
    if not can_edit(by, placement):
        raise PermissionDenied
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
    placement = _placement_save(
        placement=placement,
        by=by,
        fields={
            "status": status,
            "cancel_reason": reason.strip(),
            "cancelled_at": timezone.now(),
        },
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
