"""What the emails say and when they are due.

`digest_context(*, user, day)` and `team_summary_context(*, manager, day)` build an
email's content: they read the database and change nothing, so a preview, a test and
the real send build the same email. `digest_due_date` and `team_summary_due_date` say
whether a user's email is due at an instant; they are pure functions of the user's
settings and the time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Team, User
from clients.models import Client
from core.emails import absolute_reverse, absolute_url
from placements.models import Placement

from .email_actions import action_url, unsubscribe_url
from .health import COLDEST_FIRST, describe_health, with_health
from .models import DONE_ON_TIME, EmailActionUse, EmailDelivery, FollowUp

# Rows listed per group; the rest are counted, with a link. Gmail clips an email
# whose HTML passes 102 KB, and three full groups stay well under it.
ROW_LIMIT = 20
UPCOMING_WORKING_DAYS = 2
ENDING_SOON_DAYS = 30
COLDEST_CLIENTS = 5
MONDAY = 1


# When


def digest_due_date(*, user: User, now: datetime, default_hour: int) -> date | None:
    """The local date whose daily digest is due for `user` at `now`, or None.

    Due from the first instant the user's local clock reads the digest hour or later
    on one of their digest days, until their local midnight: so a beat that was down
    at the hour catches up later the same local day, never the next day. On a day
    the clocks skip the hour (DST), it is due when they land past it.
    """
    local = now.astimezone(user.tzinfo)
    if local.isoweekday() not in user.digest_weekdays:
        return None
    if local.hour < user.digest_hour_or(default_hour):
        return None
    return local.date()


def team_summary_due_date(
    *, user: User, now: datetime, default_hour: int
) -> date | None:
    """Mondays, from the manager's digest hour to their local midnight."""
    local = now.astimezone(user.tzinfo)
    if local.isoweekday() != MONDAY or local.hour < user.digest_hour_or(default_hour):
        return None
    return local.date()


def nth_working_day_after(day: date, n: int) -> date:
    current = day
    while n:
        current += timedelta(days=1)
        if current.isoweekday() <= 5:
            n -= 1
    return current


# The daily digest


@dataclass
class DigestRow:
    """One follow-up as the digest shows it, with everything the templates need
    computed here (rendering hundreds of rows is the costly part of a digest)."""

    followup: FollowUp
    title: str
    kind: str  # empty when it would only repeat the title
    due_date: date
    person: str
    company: str
    phone: str
    email: str
    url: str
    done_url: str
    snooze_url: str
    person_url: str
    company_url: str


@dataclass
class DigestGroup:
    key: str
    title: str
    count: int
    rows: list[DigestRow] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


PERSON_URL = {
    "candidate": "followups:candidate_detail",
    "contact": "followups:contact_detail",
}


def _row(followup: FollowUp, *, actions: bool) -> DigestRow:
    person = followup.person
    company = followup.company
    kind = followup.get_kind_display()
    return DigestRow(
        followup=followup,
        title=followup.title,
        kind="" if kind == followup.title else kind,
        due_date=followup.due_date,
        person=str(person),
        company=str(company) if company else "",
        phone=person.phone,
        email=person.email,
        url=absolute_reverse("followups:followup_detail", followup.pk),
        done_url=action_url(followup=followup, action=EmailActionUse.Action.DONE)
        if actions
        else "",
        snooze_url=action_url(followup=followup, action=EmailActionUse.Action.SNOOZE)
        if actions
        else "",
        person_url=absolute_reverse(PERSON_URL[person._meta.model_name], person.pk),
        company_url=absolute_reverse("followups:client_detail", company.pk)
        if company
        else "",
    )


def counts_summary(counts: dict[str, int]) -> str:
    """ "3 overdue, 5 due today, 2 coming up", leaving out the zeros."""
    parts = []
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} overdue")
    if counts["today"]:
        parts.append(f"{counts['today']} due today")
    if counts["upcoming"]:
        parts.append(f"{counts['upcoming']} coming up")
    return ", ".join(parts) or "nothing due"


def digest_context(*, user: User, day: date, actions: bool = True) -> dict:
    """Everything the daily digest of `user` for their local `day` says: their open
    follow-ups overdue, due that day, and due in the next two working days, grouped
    and counted, with absolute links and (unless `actions` is False) signed done and
    snooze links. Reads only; four queries whatever the number of follow-ups."""
    until = nth_working_day_after(day, UPCOMING_WORKING_DAYS)
    specs = [
        ("overdue", "Overdue", Q(due_date__lt=day)),
        ("today", "Due today", Q(due_date=day)),
        (
            "upcoming",
            f"Next {UPCOMING_WORKING_DAYS} working days (to {until:%a %d %b})",
            Q(due_date__gt=day, due_date__lte=until),
        ),
    ]
    mine = FollowUp.objects.open().filter(assigned_to=user)
    counts = mine.aggregate(**{key: Count("pk", filter=cond) for key, _, cond in specs})
    groups = []
    for key, title, cond in specs:
        rows = (
            list(
                mine.filter(cond)
                .for_person_select()
                .order_by("due_date", "pk")[:ROW_LIMIT]
            )
            if counts[key]
            else []
        )
        groups.append(
            DigestGroup(
                key=key,
                title=title,
                count=counts[key],
                rows=[_row(f, actions=actions) for f in rows],
            )
        )
    total = sum(counts.values())
    return {
        "user": user,
        "day": day,
        "until": until,
        "groups": groups,
        "counts": counts,
        "total": total,
        "is_empty": total == 0,
        "summary": counts_summary(counts),
        "dashboard_url": absolute_url(reverse("followups:dashboard")),
        "list_url": absolute_url(reverse("followups:followup_list")),
        "profile_url": absolute_url(reverse("followups:profile")),
        "unsubscribe_url": unsubscribe_url(
            user=user, kind=EmailDelivery.Kind.DAILY_DIGEST
        ),
        "action_days": settings.EMAIL_ACTION_MAX_AGE_DAYS,
    }


# The manager's weekly team summary


@dataclass
class RecruiterLine:
    user: User
    overdue: int
    done_last_week: int
    done_on_time: int
    url: str


@dataclass
class TeamSummary:
    team: Team
    recruiters: list[RecruiterLine]
    started: list[Placement]
    ending_soon: list[Placement]
    coldest: list[Client]
    dashboard_url: str


def _dashboard_url(team: Team) -> str:
    # The dashboards app sits above this one: link to it by URL name, never import.
    try:
        return absolute_url(reverse("dashboards:team") + f"?team={team.pk}")
    except NoReverseMatch:
        return absolute_url(reverse("followups:dashboard"))


def last_week(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week before `day`'s week."""
    start = day - timedelta(days=day.weekday() + 7)
    return start, start + timedelta(days=6)


def team_summary_context(
    *, manager: User, day: date, now: datetime | None = None
) -> dict:
    """The weekly summary of every team `manager` manages, for their local `day`:
    overdue follow-ups and last week's completions per recruiter (on time: by the
    date first due, so a snooze does not make a late one on time, as on the manager
    dashboard), placements
    started last week and ending soon, and the coldest client relationships."""
    now = now or timezone.now()
    week_start, week_end = last_week(day)
    teams = []
    for team in Team.objects.filter(managers=manager).order_by("name"):
        members = list(team.members.filter(is_active=True).order_by("first_name"))
        ids = [m.pk for m in members]
        stats = {
            row["assigned_to"]: row
            for row in FollowUp.objects.filter(assigned_to__in=ids)
            .values("assigned_to")
            .annotate(
                overdue=Count(
                    "pk", filter=Q(status=FollowUp.Status.OPEN, due_date__lt=day)
                ),
                done=Count(
                    "pk",
                    filter=Q(
                        status=FollowUp.Status.DONE,
                        completed_on__range=(week_start, week_end),
                    ),
                ),
                on_time=Count(
                    "pk",
                    filter=Q(
                        status=FollowUp.Status.DONE,
                        completed_on__range=(week_start, week_end),
                    )
                    & DONE_ON_TIME,
                ),
            )
        }
        recruiters = [
            RecruiterLine(
                user=m,
                overdue=stats.get(m.pk, {}).get("overdue", 0),
                done_last_week=stats.get(m.pk, {}).get("done", 0),
                done_on_time=stats.get(m.pk, {}).get("on_time", 0),
                url=absolute_url(reverse("followups:followup_list") + f"?user={m.pk}"),
            )
            for m in members
        ]
        placements = Placement.objects.live().filter(recruiter__in=ids)
        started = list(
            placements.filter(start_date__range=(week_start, week_end))
            .select_related("candidate", "client", "recruiter")
            .order_by("start_date", "pk")
        )
        ending = list(
            placements.filter(
                end_date__range=(day, day + timedelta(days=ENDING_SOON_DAYS))
            )
            .select_related("candidate", "client", "recruiter")
            .order_by("end_date", "pk")
        )
        coldest = list(
            with_health(
                Client.objects.active().filter(owner__in=ids).select_related("owner"),
                now=now,
            ).order_by(*COLDEST_FIRST)[:COLDEST_CLIENTS]
        )
        for client in coldest:
            client.health = describe_health(client, now=now)
            client.absolute_url = absolute_url(client.get_absolute_url())
        for placement in started + ending:
            placement.absolute_url = absolute_url(placement.get_absolute_url())
        teams.append(
            TeamSummary(
                team=team,
                recruiters=recruiters,
                started=started,
                ending_soon=ending,
                coldest=coldest,
                dashboard_url=_dashboard_url(team),
            )
        )
    overdue = sum(r.overdue for t in teams for r in t.recruiters)
    return {
        "user": manager,
        "day": day,
        "week_start": week_start,
        "week_end": week_end,
        "ending_until": day + timedelta(days=ENDING_SOON_DAYS),
        "teams": teams,
        "overdue": overdue,
        "is_empty": not teams,
        "total": len(teams),
        "profile_url": absolute_url(reverse("followups:profile")),
        "unsubscribe_url": unsubscribe_url(
            user=manager, kind=EmailDelivery.Kind.TEAM_SUMMARY
        ),
    }
