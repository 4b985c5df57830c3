"""What every dashboard section shares: the period it covers and the scope it reads.

Who sees what goes through one helper, `get_scope_for_user` (404 for anyone without
the right). A scope is one team (its members' follow-ups, placements and records) or,
for an admin, the whole agency. The sections (`dashboards.sections`) compute their
figures in the database within a scope and period; `dashboards.team` puts them
together into the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Team, User
from accounts.rules import can_see_team_dashboard, can_see_whole_agency
from accounts.selectors import managed_teams

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
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
