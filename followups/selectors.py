"""Reads of follow-ups: who may see and act on one, the dashboard's sections, plan
previews. Relationship health lives in `followups.health`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.rules import can_edit, is_admin
from accounts.selectors import managed_user_ids, teammate_ids
from activities.models import Activity
from clients.models import Candidate, Client, Contact
from placements.models import Placement

from .models import ENTERED_LATE, FollowUp


def get_followup_for_user(user: User, pk: int) -> FollowUp:
    """The follow-up if `user` is its assignee, manages the assignee, or is an admin."""
    followup = get_object_or_404(FollowUp.objects.for_person_select(), pk=pk)
    if not can_edit(user, followup):
        raise Http404("No follow-up of yours here.")
    return followup


def reassign_choices(user: User) -> QuerySet[User]:
    """Whom `user` may hand follow-ups to (accounts.rules.can_reassign decides for
    one follow-up): the people they manage and their teammates; anyone for an admin."""
    ids = managed_user_ids(user) | teammate_ids(user)
    qs = User.objects.filter(is_active=True)
    return qs if is_admin(user) else qs.filter(id__in=ids)


def _last_touch_subquery(field: str):
    return Subquery(
        Activity.objects.filter(**{field: OuterRef(field)})
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def with_last_touch(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """Annotate each follow-up with the last activity with its person."""
    return qs.annotate(
        last_touch=Coalesce(
            _last_touch_subquery("candidate"), _last_touch_subquery("contact")
        )
    )


@dataclass
class DashboardSection:
    key: str
    title: str
    rows: list[FollowUp]
    count: int
    empty: str


def dashboard_sections(
    *, user: User, today: date, limit: int = 50
) -> list[DashboardSection]:
    """Overdue, due today, and the next 7 days for one user: three queries, whatever
    the number of follow-ups."""
    base = with_last_touch(
        FollowUp.objects.open().filter(assigned_to=user).for_person_select()
    ).order_by("due_date", "pk")
    week_end = today + timedelta(days=7)
    specs = [
        ("overdue", "Overdue", Q(due_date__lt=today), "Nothing overdue. Well kept."),
        ("today", "Due today", Q(due_date=today), "Nothing due today."),
        (
            "week",
            "Next 7 days",
            Q(due_date__gt=today, due_date__lte=week_end),
            "Nothing in the coming week.",
        ),
    ]
    counts = (
        FollowUp.objects.open()
        .filter(assigned_to=user)
        .aggregate(**{key: Count("pk", filter=cond) for key, _, cond, _ in specs})
    )
    return [
        DashboardSection(
            key=key,
            title=title,
            rows=list(base.filter(cond)[:limit]) if counts[key] else [],
            count=counts[key],
            empty=empty,
        )
        for key, title, cond, empty in specs
    ]


def placed_candidates() -> QuerySet[Candidate]:
    return Candidate.objects.filter(
        Exists(Placement.objects.live().filter(candidate=OuterRef("pk")))
    )


@dataclass
class PreviewRow:
    rule: object
    due: date | None
    note: str


def plan_preview(
    *, plan, start_date: date, end_date: date | None = None, guarantee_days: int = 90
) -> list[PreviewRow]:
    """The dates a plan gives for a sample placement, without saving anything."""
    sample = Placement(
        placement_type=plan.placement_type,
        start_date=start_date,
        end_date=end_date,
        guarantee_days=guarantee_days or 0,
    )
    rows = []
    for rule in plan.rules.all():
        due = rule.due_date_for(sample)
        note = (
            "" if due else f"no {rule.get_anchor_display().lower()} on this placement"
        )
        rows.append(PreviewRow(rule=rule, due=due, note=note))
    rows.sort(key=lambda row: (row.due is None, row.due or date.min))
    return rows


def placement_followups(*, placement: Placement) -> dict:
    """What the placement page shows of its follow-ups: all of them, how many were
    skipped as entered late, how many open ones sit with someone other than the
    placement's recruiter, and the plan it follows."""
    followups = list(
        placement.followups.select_related(
            "assigned_to", "candidate", "contact"
        ).order_by("original_due_date", "pk")
    )
    return {
        "followups": followups,
        "skipped_late": sum(1 for f in followups if f.status_reason == ENTERED_LATE),
        "misassigned": sum(
            1
            for f in followups
            if f.is_open and f.assigned_to_id != placement.recruiter_id
        ),
        "plan_link": getattr(placement, "plan_link", None),
    }


def mark_openable(followups: list[FollowUp], user: User) -> list[FollowUp]:
    """Set `may_open` on each follow-up: whether `user` may open its page (the rule
    of accounts.rules.can_edit, asked once for them all), so that nobody is shown
    a link that answers 404."""
    if followups:
        editable = managed_user_ids(user)
        for followup in followups:
            followup.may_open = followup.assigned_to_id in editable
    return followups


def open_followups_of(
    record: Client | Contact | Candidate, user: User
) -> list[FollowUp]:
    return mark_openable(
        list(
            record.followups.filter(status=FollowUp.Status.OPEN)
            .select_related("assigned_to", "candidate", "contact")
            .order_by("due_date")
        ),
        user,
    )
