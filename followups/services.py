"""What a recruiter does to a follow-up: done, snooze, reassign, add one by hand,
and the undo of the one-click links in emails; and moving a placement's open
follow-ups to its recruiter. The periodic jobs are in jobs.py.

Each service checks `by` with the named rule (accounts.rules) and raises
PermissionDenied when `by` may not.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.rules import can_assign_to, can_edit, can_reassign
from activities.models import Activity
from activities.services import activity_log
from clients.models import Candidate, Contact
from placements.models import Placement

from .models import FollowUp, Kind


def placement_reassign_open_followups(*, placement: Placement, by: User) -> int:
    """Move a placement's open follow-ups to its (new) recruiter."""
    if not can_reassign(
        by=by, assignee_id=placement.recruiter_id, to=placement.recruiter
    ):
        raise PermissionDenied
    return (
        FollowUp.objects.open()
        .filter(placement=placement)
        .exclude(assigned_to_id=placement.recruiter_id)
        .update(assigned_to_id=placement.recruiter_id, updated_at=timezone.now())
    )


# What a recruiter does to one follow-up


def _claim(followup: FollowUp, by: User | None) -> FollowUp:
    """The follow-up, locked and read afresh. With `by`, refused unless they may
    act on it (rules.can_edit: its assignee, a manager of theirs, an admin);
    reassigning asks its own rule (rules.can_reassign) instead."""
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if by is not None and not can_edit(by, locked):
        raise PermissionDenied
    return locked


def _claim_open(followup: FollowUp, by: User | None) -> FollowUp:
    locked = _claim(followup, by)
    if not locked.is_open:
        raise ValidationError(
            f"This follow-up is already {locked.get_status_display().lower()}."
        )
    return locked


ACTIVITY_KIND = {
    FollowUp.Outcome.REACHED: Activity.Kind.CALL,
    FollowUp.Outcome.LEFT_MESSAGE: Activity.Kind.CALL,
    FollowUp.Outcome.NO_ANSWER: Activity.Kind.CALL,
    FollowUp.Outcome.NOT_NEEDED: Activity.Kind.NOTE,
}


@transaction.atomic
def followup_complete(
    *,
    followup: FollowUp,
    outcome: str,
    note: str = "",
    by: User,
    now: datetime | None = None,
) -> Activity:
    """Mark done with an outcome; logs an activity on the person's timeline, which
    warms the relationship."""
    if outcome not in FollowUp.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    now = now or timezone.now()
    followup = _claim_open(followup, by)
    activity = activity_log(
        by=by,
        kind=ACTIVITY_KIND[outcome],
        contact=followup.contact,
        candidate=followup.candidate,
        placement=followup.placement,
        occurred_at=now,
        subject=f"{followup.title}: {FollowUp.Outcome(outcome).label.lower()}",
        note=note,
    )
    followup.status = FollowUp.Status.DONE
    followup.outcome = outcome
    followup.note = note
    followup.completed_at = now
    followup.completed_on = followup.assigned_to.local_today(now)
    followup.completed_by = by
    followup.activity = activity
    followup.save()
    return activity


@transaction.atomic
def followup_snooze(
    *, followup: FollowUp, until: date, by: User, now: datetime | None = None
) -> FollowUp:
    """Move the due date; the original due date is kept."""
    followup = _claim_open(followup, by)
    today = followup.assigned_to.local_today(now)
    if until <= today:
        raise ValidationError({"until": "Snooze to a day after today."})
    if until > today + timedelta(days=366):
        raise ValidationError({"until": "Snooze by a year at most."})
    followup.due_date = until
    followup.save(update_fields=["due_date", "updated_at"])
    return followup


@transaction.atomic
def followup_reassign(*, followup: FollowUp, to: User, by: User) -> FollowUp:
    """Hand an open follow-up to `to`; refused (on the form's field) unless `by` may
    hand it to them."""
    followup = _claim_open(followup, None)
    if not can_reassign(by=by, assignee_id=followup.assigned_to_id, to=to):
        raise ValidationError({"to": f"You cannot hand this follow-up to {to}."})
    followup.assigned_to = to
    followup.save(update_fields=["assigned_to", "updated_at"])
    return followup


@transaction.atomic
def followup_create(
    *,
    by: User,
    assigned_to: User,
    due_date: date,
    title: str,
    kind: str = Kind.CUSTOM,
    talking_points: str = "",
    candidate: Candidate | None = None,
    contact: Contact | None = None,
    placement: Placement | None = None,
) -> FollowUp:
    """A one-off follow-up added by hand."""
    if not can_assign_to(by, assigned_to):
        raise ValidationError(
            {"assigned_to": f"You cannot give follow-ups to {assigned_to}."}
        )
    followup = FollowUp(
        assigned_to=assigned_to,
        kind=kind,
        title=title,
        talking_points=talking_points,
        candidate=candidate,
        contact=contact,
        client_id=contact.client_id
        if contact
        else (placement.client_id if placement else None),
        placement=placement,
        due_date=due_date,
        original_due_date=due_date,
    )
    followup.full_clean()
    followup.save()
    return followup


# Undo, for the one-click links in emails


@transaction.atomic
def followup_reopen(*, followup: FollowUp, by: User) -> FollowUp:
    """Undo "done": open again, and remove the activity that marking it done logged
    (it did not happen, so it must not warm the relationship)."""
    locked = _claim(followup, by)
    if locked.status != FollowUp.Status.DONE:
        raise ValidationError("This follow-up is not done.")
    activity = locked.activity
    locked.status = FollowUp.Status.OPEN
    locked.outcome = ""
    locked.note = ""
    locked.completed_at = None
    locked.completed_on = None
    locked.completed_by = None
    locked.activity = None
    locked.save()
    if activity is not None:
        activity.delete()
    return locked


@transaction.atomic
def followup_move_due_date(*, followup: FollowUp, due_date: date, by: User) -> FollowUp:
    """Undo a snooze: put an open follow-up back on the date it had, even a past
    one (`followup_snooze` only moves forward)."""
    locked = _claim_open(followup, by)
    locked.due_date = due_date
    locked.save(update_fields=["due_date", "updated_at"])
    return locked
