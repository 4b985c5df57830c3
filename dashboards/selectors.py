"""The manager dashboards' figures, every one computed in the database.

Who sees what goes through one helper, `get_scope_for_user` (404 for anyone without
the right). A scope is one team (its members' follow-ups, placements and records) or,
for an admin, the whole agency. Every figure is an aggregate or an annotation, so the
page runs the same number of queries whatever the agency's size; the lists behind
the figures (the drill-downs) use the very same conditions, so a list always holds
as many rows as the number that links to it.

Definitions, also written on the page:

- Open, overdue: now. Overdue is open and due before the assignee's own today.
- Done on time: done in the period on or before the day first due (a snooze does not
  move that day); done late: after it. On-time rate: on time / done.
- Skipped: skipped follow-ups that fell due in the period.
- Health: `followups.selectors.with_health` (warm, cooling, cold), now.
- Dormant: no activity for the agency's dormancy threshold (as the nightly job).
- A placement is from a repeat client when the same client had an earlier live
  placement in the scope; from a referral when its candidate or its client was
  referred. Fees count placements in the agency's currency.
- Coming up: the next 60 days, whatever the period.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    TruncMonth,
    TruncWeek,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import AgencySettings, Team, User
from accounts.rules import can_see_team_dashboard, can_see_whole_agency
from accounts.selectors import managed_teams
from clients.models import Candidate, Client, Contact
from followups.models import DONE_LATE, DONE_ON_TIME, FollowUp
from followups.selectors import (
    COLD,
    COOLING,
    WARM,
    health_annotations,
    placed_candidates,
    with_health,
)
from placements.models import Placement

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
HORIZON_DAYS = 60  # "coming up": contracts, guarantees and anniversaries
TOP = 20  # rows in the dashboard's lists; the drill-downs hold them all
TOP_REFERRERS = 10
LEVELS = (WARM, COOLING, COLD)
ALL = "all"


# Period and scope


@dataclass(frozen=True)
class Period:
    """The last `days` days up to `end` (both ends included), in the viewer's days."""

    days: int
    start: date
    end: date
    tz: tzinfo = field(default=UTC, compare=False)

    @classmethod
    def last(cls, days: int, *, today: date, tz: tzinfo = UTC) -> Period:
        return cls(days=days, start=today - timedelta(days=days - 1), end=today, tz=tz)

    def narrowed(self, start: date | None, end: date | None) -> Period:
        """A part of this period (a month of a chart, a week), never beyond it."""
        return Period(
            days=self.days,
            start=max(self.start, start) if start else self.start,
            end=min(self.end, end) if end else self.end,
            tz=self.tz,
        )

    def on(self, field_name: str) -> Q:
        """A date field within the period."""
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    def during(self, field_name: str) -> Q:
        """A datetime field within the period's days in the viewer's time zone."""
        start = datetime.combine(self.start, time.min, tzinfo=self.tz)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=self.tz)
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        monday = self.start - timedelta(days=self.start.weekday())
        return [
            monday + timedelta(weeks=i)
            for i in range((self.end - monday).days // 7 + 1)
        ]

    def months(self) -> list[date]:
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return months


def parse_period(value: str | None, *, today: date, tz) -> Period:
    days = int(value) if value and value.isdecimal() else DEFAULT_PERIOD
    return Period.last(days if days in PERIODS else DEFAULT_PERIOD, today=today, tz=tz)


@dataclass
class Scope:
    """One team, or (team None, admins only) the whole agency."""

    viewer: User
    team: Team | None
    teams: list[Team]
    # The team's members as (id, time zone); None for the whole agency.
    members: list[tuple[int, str]] | None = None

    @property
    def key(self) -> str:
        return str(self.team.pk) if self.team else ALL

    @property
    def label(self) -> str:
        return self.team.name if self.team else "Whole agency"

    @property
    def choices(self) -> list[tuple[str, str]]:
        first = [(ALL, "Whole agency")] if can_see_whole_agency(self.viewer) else []
        return first + [(str(team.pk), team.name) for team in self.teams]

    def q(self, user_field: str) -> Q:
        """Records whose `user_field` (owner, recruiter, assignee) is in scope.
        The ids are written out: PostgreSQL then plans an index scan of the team's
        rows, where a subquery of members made it read the whole table."""
        if self.members is None:
            return Q()
        return Q(**{f"{user_field}__in": [pk for pk, _ in self.members]})

    def users(self) -> QuerySet[User]:
        return User.objects.filter(self.q("pk"))


def get_scope_for_user(user: User, team: str | None) -> Scope:
    """The scope `user` asked for (?team=ID, or "all" for an admin), or 404: a
    recruiter sees no dashboard, a manager only the teams they manage."""
    if not can_see_team_dashboard(user):
        raise Http404("No dashboard of yours here.")
    teams = list(managed_teams(user))
    if can_see_whole_agency(user) and team in (None, "", ALL):
        return Scope(viewer=user, team=None, teams=teams)
    if not team:
        if not teams:
            raise Http404("You manage no team yet.")
        chosen = teams[0]
    else:
        chosen = next((t for t in teams if str(t.pk) == team), None)
        if chosen is None:
            raise Http404("No team of yours here.")
    members = list(chosen.members.order_by().values_list("id", "time_zone"))
    return Scope(viewer=user, team=chosen, teams=teams, members=members)


# Database helpers


class AddDays(Func):
    """date + integer days, in SQL."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date + integer is a date.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def _count(queryset: QuerySet, group: str):
    """A correlated COUNT as an annotation, 0 when there are no rows."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _fee_sum(queryset: QuerySet, group: str, currency: str):
    return Coalesce(
        Subquery(
            queryset.filter(currency=currency)
            .order_by()
            .values(group)
            .annotate(s=Sum("fee"))
            .values("s")[:1],
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def local_today_expression(zones: dict[str, date], field_name: str, default: date):
    """Each user's own today, by their time zone: one WHEN per zone in the scope."""
    return Case(
        *[When(**{field_name: tz}, then=Value(day)) for tz, day in zones.items()],
        default=Value(default),
        output_field=DateField(),
    )


REFERRED = Q(referred_by_candidate__isnull=False) | Q(referred_by_contact__isnull=False)
FROM_REFERRAL = (
    Q(candidate__referred_by_candidate__isnull=False)
    | Q(candidate__referred_by_contact__isnull=False)
    | Q(client__referred_by_candidate__isnull=False)
    | Q(client__referred_by_contact__isnull=False)
)
COLDEST_FIRST = ("-health_score", F("last_touch").asc(nulls_first=True), "pk")
# As followups.selectors.describe_health rates a score.
LEVEL_Q = {
    WARM: Q(health_score__lte=0),
    COOLING: Q(health_score__gt=0, health_score__lte=2),
    COLD: Q(health_score__gt=2),
}


def level_of(score: int) -> str:
    return WARM if score <= 0 else COOLING if score <= 2 else COLD


def followup_conditions(period: Period, today) -> dict[str, Q]:
    """Which follow-ups each discipline figure counts; `today` is an expression,
    the assignee's own today."""
    done_in_period = Q(status=FollowUp.Status.DONE) & period.on("completed_on")
    return {
        "done": done_in_period,
        "open": Q(status=FollowUp.Status.OPEN),
        "overdue": Q(status=FollowUp.Status.OPEN, due_date__lt=today),
        "on_time": done_in_period & DONE_ON_TIME,
        "late": done_in_period & DONE_LATE,
        "skipped": Q(status=FollowUp.Status.SKIPPED) & period.on("due_date"),
    }


# What the page shows


@dataclass
class Discipline:
    user: User | None  # None: the scope's total
    open: int
    overdue: int
    on_time: int
    late: int
    skipped: int
    today: date
    trend: list[float | None] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


@dataclass
class WeekRate:
    week: date
    done: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


@dataclass
class MonthSplit:
    month: date
    new: int
    repeat: int

    @property
    def total(self) -> int:
        return self.new + self.repeat


@dataclass
class Referrer:
    kind: str  # "candidate" or "contact"
    pk: int
    candidates: int = 0
    clients: int = 0
    placements: int = 0
    person: Candidate | Contact | None = None

    @property
    def referrals(self) -> int:
        return self.candidates + self.clients


class TeamFigures:
    """Every figure of one scope and period, each read once, when first asked for
    (an export of one table runs only that table's queries)."""

    def __init__(self, *, scope: Scope, period: Period, now: datetime | None = None):
        self.scope = scope
        self.period = period
        self.now = now or timezone.now()
        self.today = period.end

    # Shared inputs

    @cached_property
    def settings(self) -> AgencySettings:
        return AgencySettings.load()

    @property
    def currency(self) -> str:
        return self.settings.default_currency

    @cached_property
    def zones(self) -> dict[str, date]:
        """The scope's time zones and the day it is in each."""
        if self.scope.members is not None:
            names = {zone for _, zone in self.scope.members}
        else:
            names = User.objects.order_by().values_list("time_zone", flat=True)
            names = names.distinct()
        result = {}
        for name in names:
            try:
                tz = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                tz = zoneinfo.ZoneInfo("UTC")
            result[name] = self.now.astimezone(tz).date()
        return result

    def followups(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(self.scope.q("assigned_to")).annotate(
            assignee_today=local_today_expression(
                self.zones, "assigned_to__time_zone", self.today
            )
        )

    def followup_conditions(self) -> dict[str, Q]:
        return followup_conditions(self.period, F("assignee_today"))

    def placements(self) -> QuerySet[Placement]:
        """The scope's live placements (its recruiters')."""
        return Placement.objects.live().filter(self.scope.q("recruiter"))

    def _earlier(self, field_name: str) -> Exists:
        """An earlier live placement in the scope with the same client/candidate."""
        return Exists(
            self.placements().filter(
                Q(start_date__lt=OuterRef("start_date"))
                | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk")),
                **{field_name: OuterRef(field_name)},
            )
        )

    def period_placements(self) -> QuerySet[Placement]:
        return (
            self.placements()
            .filter(self.period.on("start_date"))
            .annotate(
                repeat_client=self._earlier("client"),
                repeat_candidate=self._earlier("candidate"),
                from_referral=ExpressionWrapper(
                    FROM_REFERRAL, output_field=BooleanField()
                ),
            )
        )

    def clients(self) -> QuerySet[Client]:
        return with_health(
            Client.objects.active().filter(self.scope.q("owner")), now=self.now
        )

    def placed_candidates(self) -> QuerySet[Candidate]:
        return with_health(
            placed_candidates().active().filter(self.scope.q("owner")), now=self.now
        )

    @property
    def dormancy_cutoff(self) -> datetime:
        return self.now - timedelta(days=self.settings.dormancy_days)

    @property
    def dormant_q(self) -> Q:
        cutoff = self.dormancy_cutoff
        return Q(created_at__lt=cutoff) & (
            Q(last_touch__lt=cutoff) | Q(last_touch__isnull=True)
        )

    def placement_counts(self, field_name: str) -> QuerySet:
        """Per client (or candidate) the scope placed: its live placements with the
        scope, all time and up to the period's end, and those started in the
        period. Grouped from the scope's placements, so a team's figures read its
        own rows, not the agency's."""
        return (
            self.placements()
            .order_by()
            .values(field_name)
            .annotate(
                n_all=Count("pk"),
                n_to_end=Count("pk", filter=Q(start_date__lte=self.today)),
                n_period=Count("pk", filter=self.period.on("start_date")),
            )
        )

    def _with_placement_counts(self, model) -> QuerySet:
        """The same counts on the records themselves, for the lists behind them."""
        field_name = model._meta.model_name
        mine = Q(placements__status__in=Placement.LIVE_STATUSES) & self.scope.q(
            "placements__recruiter"
        )
        return model.objects.filter(
            pk__in=self.placements().values(field_name)
        ).annotate(
            n_all=Count("placements", filter=mine),
            n_to_end=Count(
                "placements", filter=mine & Q(placements__start_date__lte=self.today)
            ),
            n_period=Count(
                "placements", filter=mine & self.period.on("placements__start_date")
            ),
        )

    def client_placement_counts(self) -> QuerySet[Client]:
        return self._with_placement_counts(Client)

    def candidate_placement_counts(self) -> QuerySet[Candidate]:
        return self._with_placement_counts(Candidate)

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=HORIZON_DAYS)

    def coming_up(self) -> QuerySet[Placement]:
        return self.placements().annotate(
            guarantee_ends=AddDays("start_date", "guarantee_days"),
            start_md=ExtractMonth("start_date") * 100 + ExtractDay("start_date"),
        )

    def coming_up_conditions(self) -> dict[str, Q]:
        today, horizon = self.today, self.horizon
        start_md = today.month * 100 + today.day
        end_md = horizon.month * 100 + horizon.day
        in_window = (
            Q(start_md__gte=start_md, start_md__lte=end_md)
            if start_md <= end_md
            else Q(start_md__gte=start_md) | Q(start_md__lte=end_md)
        )
        running = Q(status__in=(Placement.Status.PENDING, Placement.Status.ACTIVE))
        permanent = Q(placement_type=Placement.Type.PERMANENT)
        try:
            year_before = horizon.replace(year=horizon.year - 1)
        except ValueError:  # 29 February
            year_before = horizon - timedelta(days=365)
        return {
            "contracts_ending": running
            & Q(
                placement_type=Placement.Type.CONTRACT,
                end_date__gte=today,
                end_date__lte=horizon,
            ),
            "guarantees_ending": running
            & permanent
            & Q(
                guarantee_days__gt=0,
                guarantee_ends__gte=today,
                guarantee_ends__lte=horizon,
            ),
            "anniversaries": permanent & Q(start_date__lte=year_before) & in_window,
        }

    def anniversary_order(self):
        """Next anniversary first: month-days from today's on, then the wrap."""
        start_md = self.today.month * 100 + self.today.day
        return Case(
            When(start_md__gte=start_md, then=F("start_md")),
            default=F("start_md") + 10000,
            output_field=IntegerField(),
        )

    # Follow-up discipline

    def _discipline_counts(self) -> dict:
        return {
            name: Count("pk", filter=condition)
            for name, condition in self.followup_conditions().items()
            if name != "done"
        }

    @cached_property
    def discipline(self) -> list[Discipline]:
        """One row per recruiter. The counts are grouped by assignee from the
        follow-ups (an index scan of the team's rows) and the people read apart: a
        join from the users would make PostgreSQL read every follow-up there is."""
        figures = {
            row.pop("assigned_to"): row
            for row in self.followups()
            .order_by()
            .values("assigned_to")
            .annotate(**self._discipline_counts())
        }
        users = self.scope.users()
        if self.scope.team is None:
            # The agency: recruiters, and anyone else who has follow-ups.
            users = users.filter(Q(role=User.Role.RECRUITER) | Q(pk__in=list(figures)))
        none = dict.fromkeys(("open", "overdue", "on_time", "late", "skipped"), 0)
        trend = self.weekly_by_user
        return [
            Discipline(
                user=user,
                today=self.zones.get(user.time_zone, self.today),
                trend=[week.rate for week in trend.get(user.pk, self._empty_weeks())],
                **figures.get(user.pk, none),
            )
            for user in users.order_by("first_name", "last_name", "email")
        ]

    @cached_property
    def discipline_total(self) -> Discipline:
        return Discipline(
            user=None,
            today=self.today,
            trend=[week.rate for week in self.weekly],
            **self.followups().aggregate(**self._discipline_counts()),
        )

    def _done_by_week(self) -> QuerySet:
        period = self.period
        return (
            FollowUp.objects.filter(
                self.scope.q("assigned_to"),
                status=FollowUp.Status.DONE,
                completed_on__gte=period.start,
                completed_on__lte=period.end,
            )
            .annotate(week=TruncWeek("completed_on", output_field=DateField()))
            .order_by()
        )

    def _empty_weeks(self) -> list[WeekRate]:
        return [WeekRate(week=w, done=0, on_time=0) for w in self.period.weeks()]

    def _weeks(self, rows) -> list[WeekRate]:
        by_week = {_as_date(row["week"]): row for row in rows}
        return [
            WeekRate(
                week=w,
                done=by_week.get(w, {}).get("done", 0),
                on_time=by_week.get(w, {}).get("on_time", 0),
            )
            for w in self.period.weeks()
        ]

    @cached_property
    def weekly(self) -> list[WeekRate]:
        """The scope's on-time rate per week of the period."""
        rows = (
            self._done_by_week()
            .values("week")
            .annotate(
                done=Count("pk"),
                on_time=Count("pk", filter=DONE_ON_TIME),
            )
        )
        return self._weeks(rows)

    @cached_property
    def weekly_by_user(self) -> dict[int, list[WeekRate]]:
        rows = (
            self._done_by_week()
            .values("assigned_to", "week")
            .annotate(
                done=Count("pk"),
                on_time=Count("pk", filter=DONE_ON_TIME),
            )
        )
        grouped = defaultdict(list)
        for row in rows:
            grouped[row["assigned_to"]].append(row)
        return {user_id: self._weeks(rs) for user_id, rs in grouped.items()}

    # Relationship health

    @staticmethod
    def _by_level(queryset: QuerySet) -> dict[str, int]:
        """Relationships by level. Grouped by score in the database, so each row's
        score (a handful of correlated subqueries) is computed once, not once per
        level; the few score groups are then added up per level."""
        levels = dict.fromkeys(LEVELS, 0)
        for row in queryset.order_by().values("health_score").annotate(n=Count("pk")):
            levels[level_of(row["health_score"])] += row["n"]
        return levels

    @cached_property
    def client_health(self) -> dict[str, int]:
        return self._by_level(self.clients())

    @cached_property
    def candidate_health(self) -> dict[str, int]:
        return self._by_level(self.placed_candidates())

    @cached_property
    def dormant_count(self) -> int:
        last_touch = health_annotations(Client, now=self.now)["last_touch"]
        return (
            Client.objects.active()
            .filter(self.scope.q("owner"))
            .annotate(last_touch=last_touch)
            .filter(self.dormant_q)
            .count()
        )

    def _coldest(self, queryset: QuerySet, field_name: str) -> list:
        last = (
            Placement.objects.live()
            .filter(**{field_name: OuterRef("pk")})
            .order_by("-start_date", "-pk")
        )
        return list(
            queryset.select_related("owner")
            .annotate(
                last_placement_id=Subquery(last.values("pk")[:1]),
                last_placement_start=Subquery(last.values("start_date")[:1]),
            )
            .order_by(*COLDEST_FIRST)[:TOP]
        )

    @cached_property
    def coldest_clients(self) -> list[Client]:
        return self._coldest(self.clients(), "client")

    @cached_property
    def coldest_candidates(self) -> list[Candidate]:
        return self._coldest(self.placed_candidates(), "candidate")

    def dormant_clients(self) -> QuerySet[Client]:
        return (
            self.clients()
            .filter(self.dormant_q)
            .annotate(
                lifetime_fees=_fee_sum(
                    Placement.objects.live().filter(client=OuterRef("pk")),
                    "client",
                    self.currency,
                ),
                lifetime_placements=_count(
                    Placement.objects.live().filter(client=OuterRef("pk")), "client"
                ),
            )
            .select_related("owner")
            .order_by("-lifetime_fees", "name", "pk")
        )

    @cached_property
    def dormant_top(self) -> list[Client]:
        return list(self.dormant_clients()[:TOP])

    # Repeat business

    @cached_property
    def repeat_clients(self) -> dict[str, int]:
        """Clients the scope placed with, and those with two placements or more:
        all time, and among the clients placed with in the period (counting their
        earlier placements too)."""
        return self.placement_counts("client").aggregate(
            placed_all=Count("client"),
            repeat_all=Count("client", filter=Q(n_all__gte=2)),
            placed_period=Count("client", filter=Q(n_period__gte=1)),
            repeat_period=Count("client", filter=Q(n_period__gte=1, n_to_end__gte=2)),
        )

    @cached_property
    def repeat_candidates_all(self) -> int:
        return self.placement_counts("candidate").aggregate(
            n=Count("candidate", filter=Q(n_all__gte=2))
        )["n"]

    @cached_property
    def period_business(self) -> dict:
        """The period's placements: new against repeat clients, from referrals."""
        mine = Q(currency=self.currency)
        zero = Value(Decimal("0"))
        fees = DecimalField(max_digits=14, decimal_places=2)

        def fee(condition: Q):
            return Coalesce(
                Sum("fee", filter=condition & mine), zero, output_field=fees
            )

        new, repeat = Q(repeat_client=False), Q(repeat_client=True)
        referral = Q(from_referral=True)
        return self.period_placements().aggregate(
            total=Count("pk"),
            fees=fee(Q()),
            new=Count("pk", filter=new),
            new_fees=fee(new),
            repeat=Count("pk", filter=repeat),
            repeat_fees=fee(repeat),
            referral=Count("pk", filter=referral),
            referral_fees=fee(referral),
            candidates_again=Count(
                "candidate", distinct=True, filter=Q(repeat_candidate=True)
            ),
            other_currency=Count("pk", filter=~mine),
        )

    @cached_property
    def months(self) -> list[MonthSplit]:
        rows = (
            self.period_placements()
            .annotate(month=TruncMonth("start_date", output_field=DateField()))
            .order_by()
            .values("month")
            .annotate(
                new=Count("pk", filter=Q(repeat_client=False)),
                repeat=Count("pk", filter=Q(repeat_client=True)),
            )
        )
        by_month = {_as_date(row["month"]): row for row in rows}
        return [
            MonthSplit(
                month=m,
                new=by_month.get(m, {}).get("new", 0),
                repeat=by_month.get(m, {}).get("repeat", 0),
            )
            for m in self.period.months()
        ]

    # Referrals

    def referred_candidates(self) -> QuerySet[Candidate]:
        return Candidate.objects.filter(
            self.scope.q("owner"), self.period.during("created_at"), REFERRED
        )

    def referred_clients(self) -> QuerySet[Client]:
        return Client.objects.filter(
            self.scope.q("owner"), self.period.during("created_at"), REFERRED
        )

    @cached_property
    def referrals(self) -> dict:
        """Referrals received in the period, and the top referrers: three grouped
        counts (candidates, clients, placements by referrer), then the names of the
        top ones. Python only adds up the database's counts per person."""
        people: dict[tuple[str, int], Referrer] = {}

        def referrer(kind: str, pk: int) -> Referrer:
            return people.setdefault((kind, pk), Referrer(kind=kind, pk=pk))

        totals = {"candidates": 0, "clients": 0}
        for name, queryset in (
            ("candidates", self.referred_candidates()),
            ("clients", self.referred_clients()),
        ):
            rows = (
                queryset.order_by()
                .values("referred_by_candidate", "referred_by_contact")
                .annotate(n=Count("pk"))
            )
            for row in rows:
                totals[name] += row["n"]
                person = (
                    referrer("candidate", row["referred_by_candidate"])
                    if row["referred_by_candidate"]
                    else referrer("contact", row["referred_by_contact"])
                )
                setattr(person, name, getattr(person, name) + row["n"])
        rows = (
            self.period_placements()
            .filter(from_referral=True)
            .order_by()
            .values(
                "candidate__referred_by_candidate",
                "candidate__referred_by_contact",
                "client__referred_by_candidate",
                "client__referred_by_contact",
            )
            .annotate(n=Count("pk"))
        )
        for row in rows:
            # A placement whose candidate and client were both referred counts for
            # both referrers (once for a person who referred both).
            credited = {
                (kind, row[f"{side}__referred_by_{kind}"])
                for side in ("candidate", "client")
                for kind in ("candidate", "contact")
                if row[f"{side}__referred_by_{kind}"]
            }
            for kind, pk in credited:
                referrer(kind, pk).placements += row["n"]
        top = sorted(
            people.values(),
            key=lambda r: (-r.referrals, -r.placements, r.kind, r.pk),
        )[:TOP_REFERRERS]
        names: dict[tuple[str, int], Candidate | Contact] = {}
        for kind, model in (("candidate", Candidate), ("contact", Contact)):
            ids = [r.pk for r in top if r.kind == kind]
            if ids:
                queryset = model.objects.filter(pk__in=ids)
                if model is Contact:
                    queryset = queryset.select_related("client")
                names.update({(kind, obj.pk): obj for obj in queryset})
        for row in top:
            row.person = names.get((row.kind, row.pk))
        return {**totals, "top": top}

    # Coming up

    @cached_property
    def coming_up_counts(self) -> dict[str, int]:
        return self.coming_up().aggregate(
            **{
                name: Count("pk", filter=condition)
                for name, condition in self.coming_up_conditions().items()
            }
        )

    def coming_up_list(self, name: str) -> QuerySet[Placement]:
        queryset = (
            self.coming_up()
            .filter(self.coming_up_conditions()[name])
            .select_related("candidate", "client", "recruiter")
        )
        if name == "contracts_ending":
            return queryset.order_by("end_date", "pk")
        if name == "guarantees_ending":
            return queryset.order_by("guarantee_ends", "pk")
        return queryset.alias(order=self.anniversary_order()).order_by(
            "order", "start_date", "pk"
        )

    @cached_property
    def coming_up_top(self) -> dict[str, list[Placement]]:
        return {
            name: list(self.coming_up_list(name)[:TOP])
            for name in self.coming_up_conditions()
        }


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def next_anniversary(start: date, today: date) -> tuple[date, int]:
    """The next anniversary of `start` on or after `today`, and which one it is."""
    years = max(today.year - start.year, 1)
    while True:
        try:
            day = start.replace(year=start.year + years)
        except ValueError:  # 29 February in a common year
            day = date(start.year + years, 3, 1)
        if day >= today:
            return day, years
        years += 1


# The lists behind the figures


@dataclass
class Drilldown:
    measure: str
    kind: str  # "followups", "clients", "candidates", "placements"
    title: str
    queryset: QuerySet


FOLLOWUP_TITLES = {
    "done": "Follow-ups done",
    "open": "Open follow-ups (now)",
    "overdue": "Overdue follow-ups (now)",
    "on_time": "Follow-ups done on time",
    "late": "Follow-ups done late",
    "skipped": "Follow-ups skipped",
}
MEASURES = {
    **{name: "followups" for name in FOLLOWUP_TITLES},
    "clients": "clients",
    **{f"clients_{level}": "clients" for level in LEVELS},
    "dormant": "clients",
    "clients_placed": "clients",
    "clients_repeat": "clients",
    "clients_placed_period": "clients",
    "clients_repeat_period": "clients",
    "clients_referred": "clients",
    "candidates": "candidates",
    **{f"candidates_{level}": "candidates" for level in LEVELS},
    "candidates_repeat": "candidates",
    "candidates_again": "candidates",
    "candidates_referred": "candidates",
    "placements_period": "placements",
    "placements_new": "placements",
    "placements_repeat": "placements",
    "placements_referral": "placements",
    "contracts_ending": "placements",
    "guarantees_ending": "placements",
    "anniversaries": "placements",
}


def parse_referrer(value: str | None) -> tuple[str, int] | None:
    """ "candidate:12" or "contact:5" (a top referrer's lists), else None."""
    kind, _, pk = (value or "").partition(":")
    if kind in ("candidate", "contact") and pk.isdecimal():
        return kind, int(pk)
    return None


def drilldown(
    figures: TeamFigures,
    measure: str,
    *,
    user: User | None = None,
    referrer: tuple[str, int] | None = None,
) -> Drilldown:
    """The records behind one figure, with the same conditions as the figure;
    narrowed to one recruiter's follow-ups (`user`) or to what one person referred
    (`referrer`), as the dashboard's rows link."""
    kind = MEASURES.get(measure)
    if kind is None:
        raise Http404("No such list.")
    if user is not None and kind != "followups":
        raise Http404("No such list.")
    if referrer is not None and not measure.endswith(("_referred", "_referral")):
        raise Http404("No such list.")
    f = figures
    if kind == "followups":
        queryset = (
            f.followups()
            .filter(f.followup_conditions()[measure])
            .select_related(
                "assigned_to", "candidate", "contact", "contact__client", "client"
            )
            .order_by("due_date", "pk")
        )
        title = FOLLOWUP_TITLES[measure]
        if user is not None:
            queryset = queryset.filter(assigned_to=user)
            title += f" of {user}"
        return Drilldown(measure, kind, title, queryset)
    if kind == "clients":
        title, queryset = _client_drilldown(f, measure)
    elif kind == "candidates":
        title, queryset = _candidate_drilldown(f, measure)
    else:
        title, queryset = _placement_drilldown(f, measure)
    if referrer is not None:
        by, pk = referrer
        if kind == "placements":
            queryset = queryset.filter(
                Q(**{f"candidate__referred_by_{by}": pk})
                | Q(**{f"client__referred_by_{by}": pk})
            )
        else:
            queryset = queryset.filter(**{f"referred_by_{by}": pk})
        model = Candidate if by == "candidate" else Contact
        person = model.objects.filter(pk=pk).first()
        if person is None:
            raise Http404("No such referrer.")
        title += f", through {person}"
    return Drilldown(measure, kind, title, queryset)


def _coldest_first(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("owner").order_by(*COLDEST_FIRST)


def _client_drilldown(f: TeamFigures, measure: str) -> tuple[str, QuerySet]:
    if measure == "clients":
        return "Clients, coldest first", _coldest_first(f.clients())
    if measure.startswith("clients_") and measure[8:] in LEVELS:
        level = measure[8:]
        return (
            f"{level.capitalize()} clients",
            _coldest_first(f.clients().filter(LEVEL_Q[level])),
        )
    if measure == "dormant":
        return "Dormant clients", f.dormant_clients()
    counts = f.client_placement_counts().filter(n_all__gte=1)
    with_placements = {
        "clients_placed": ("Clients with a placement", Q()),
        "clients_repeat": ("Clients with two placements or more", Q(n_all__gte=2)),
        "clients_placed_period": (
            "Clients with a placement in the period",
            Q(n_period__gte=1),
        ),
        "clients_repeat_period": (
            "Repeat clients placed with in the period",
            Q(n_period__gte=1, n_to_end__gte=2),
        ),
    }
    if measure in with_placements:
        title, condition = with_placements[measure]
        queryset = (
            counts.filter(condition)
            .select_related("owner")
            .order_by("-n_all", "name", "pk")
        )
        return title, queryset
    return "Clients referred in the period", f.referred_clients().select_related(
        "owner", "referred_by_candidate", "referred_by_contact"
    ).order_by("-created_at", "pk")


def _candidate_drilldown(f: TeamFigures, measure: str) -> tuple[str, QuerySet]:
    if measure == "candidates":
        return "Placed candidates, coldest first", _coldest_first(f.placed_candidates())
    if measure[11:] in LEVELS:
        level = measure[11:]
        return (
            f"{level.capitalize()} placed candidates",
            _coldest_first(f.placed_candidates().filter(LEVEL_Q[level])),
        )
    if measure == "candidates_repeat":
        return (
            "Candidates placed more than once",
            f.candidate_placement_counts()
            .filter(n_all__gte=2)
            .select_related("owner")
            .order_by("-n_all", "last_name", "pk"),
        )
    if measure == "candidates_again":
        again = f.period_placements().filter(repeat_candidate=True)
        return (
            "Candidates placed again in the period",
            f.candidate_placement_counts()
            .filter(pk__in=again.values("candidate"))
            .select_related("owner")
            .order_by("-n_all", "last_name", "pk"),
        )
    return "Candidates referred in the period", f.referred_candidates().select_related(
        "owner", "referred_by_candidate", "referred_by_contact"
    ).order_by("-created_at", "pk")


def _placement_drilldown(f: TeamFigures, measure: str) -> tuple[str, QuerySet]:
    if measure in f.coming_up_conditions():
        titles = {
            "contracts_ending": f"Contracts ending in the next {HORIZON_DAYS} days",
            "guarantees_ending": f"Guarantee periods ending in the next {HORIZON_DAYS} days",
            "anniversaries": f"Placement anniversaries in the next {HORIZON_DAYS} days",
        }
        return titles[measure], f.coming_up_list(measure)
    conditions = {
        "placements_period": ("Placements in the period", Q()),
        "placements_new": ("Placements from new clients", Q(repeat_client=False)),
        "placements_repeat": (
            "Placements from repeat clients",
            Q(repeat_client=True),
        ),
        "placements_referral": ("Placements from a referral", Q(from_referral=True)),
    }
    title, condition = conditions[measure]
    queryset = (
        f.period_placements()
        .filter(condition)
        .select_related("candidate", "client", "recruiter")
        .order_by("-start_date", "-pk")
    )
    return title, queryset
