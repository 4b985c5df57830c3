"""Follow-up discipline: per recruiter, open and overdue follow-ups now, done on time,
done late and skipped in the period, and the on-time rate week by week.

- Open, overdue: now. Overdue is open and due before the assignee's own today.
- Done on time: done in the period on or before the day first due (a snooze does not
  move that day); done late: after it. On-time rate: on time / done.
- Skipped: skipped follow-ups that fell due in the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncWeek
from django.utils.formats import date_format

from accounts.models import User, local_today
from followups.models import DONE_LATE, DONE_ON_TIME, FollowUp

from ..cells import Cell, Table, format_value, percent, rate_value
from ..drilldowns import Drilldown
from ..figures import Section, as_date
from ..selectors import Period

TITLES = {
    "done": "Follow-ups done",
    "open": "Open follow-ups (now)",
    "overdue": "Overdue follow-ups (now)",
    "on_time": "Follow-ups done on time",
    "late": "Follow-ups done late",
    "skipped": "Follow-ups skipped",
}


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


def local_today_expression(zones: dict[str, date], field_name: str, default: date):
    """Each user's own today, by their time zone: one WHEN per zone in the scope."""
    return Case(
        *[When(**{field_name: tz}, then=Value(day)) for tz, day in zones.items()],
        default=Value(default),
        output_field=DateField(),
    )


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


class DisciplineFigures(Section):
    MEASURES = dict.fromkeys(TITLES, "followups")

    @cached_property
    def zones(self) -> dict[str, date]:
        """The scope's time zones and the day it is in each."""
        members = self.f.scope.members
        if members is not None:
            names = {zone for _, zone in members}
        else:
            names = User.objects.order_by().values_list("time_zone", flat=True)
            names = names.distinct()
        return {name: local_today(name, self.f.now) for name in names}

    def followups(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(self.f.scope.q("assigned_to")).annotate(
            assignee_today=local_today_expression(
                self.zones, "assigned_to__time_zone", self.f.today
            )
        )

    def conditions(self) -> dict[str, Q]:
        return followup_conditions(self.f.period, F("assignee_today"))

    def _counts(self) -> dict:
        return {
            name: Count("pk", filter=condition)
            for name, condition in self.conditions().items()
            if name != "done"
        }

    @cached_property
    def rows(self) -> list[Discipline]:
        """One row per recruiter. The counts are grouped by assignee from the
        follow-ups (an index scan of the team's rows) and the people read apart: a
        join from the users would make PostgreSQL read every follow-up there is."""
        scope = self.f.scope
        figures = {
            row.pop("assigned_to"): row
            for row in self.followups()
            .order_by()
            .values("assigned_to")
            .annotate(**self._counts())
        }
        users = scope.users()
        if scope.team is None:
            # The agency: recruiters, and anyone else who has follow-ups.
            users = users.filter(Q(role=User.Role.RECRUITER) | Q(pk__in=list(figures)))
        none = dict.fromkeys(("open", "overdue", "on_time", "late", "skipped"), 0)
        trend = self.weekly_by_user
        return [
            Discipline(
                user=user,
                today=self.zones.get(user.time_zone, self.f.today),
                trend=[week.rate for week in trend.get(user.pk, self._empty_weeks())],
                **figures.get(user.pk, none),
            )
            for user in users.order_by("first_name", "last_name", "email")
        ]

    @cached_property
    def total(self) -> Discipline:
        return Discipline(
            user=None,
            today=self.f.today,
            trend=[week.rate for week in self.weekly],
            **self.followups().aggregate(**self._counts()),
        )

    def _done_by_week(self) -> QuerySet:
        period = self.f.period
        return (
            FollowUp.objects.filter(
                self.f.scope.q("assigned_to"),
                status=FollowUp.Status.DONE,
                completed_on__gte=period.start,
                completed_on__lte=period.end,
            )
            .annotate(week=TruncWeek("completed_on", output_field=DateField()))
            .order_by()
        )

    def _empty_weeks(self) -> list[WeekRate]:
        return [WeekRate(week=w, done=0, on_time=0) for w in self.f.period.weeks()]

    def _weeks(self, rows) -> list[WeekRate]:
        by_week = {as_date(row["week"]): row for row in rows}
        return [
            WeekRate(
                week=w,
                done=by_week.get(w, {}).get("done", 0),
                on_time=by_week.get(w, {}).get("on_time", 0),
            )
            for w in self.f.period.weeks()
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

    def drilldown(self, measure: str, *, user: User | None = None) -> Drilldown:
        """The follow-ups behind one figure, or behind one recruiter's (`user`)."""
        queryset = (
            self.followups()
            .filter(self.conditions()[measure])
            .select_related(
                "assigned_to", "candidate", "contact", "contact__client", "client"
            )
            .order_by("due_date", "pk")
        )
        title = TITLES[measure]
        if user is not None:
            queryset = queryset.filter(assigned_to=user)
            title += f" of {user}"
        return Drilldown(measure, "followups", title, queryset)

    def chart(self) -> dict[str, Any]:
        return {
            "labels": [date_format(w.week, "j M") for w in self.weekly],
            "rate": [rate_value(w.rate) for w in self.weekly],
            "done": [w.done for w in self.weekly],
        }


# Tables


def _link(d: DisciplineFigures, row: Discipline, measure: str) -> str:
    """A recruiter's figure opens their own follow-up list, filtered the same way;
    the total opens the dashboard's list."""
    links, period = d.f.links, d.f.period
    if row.user is None:
        return links.drill(measure)
    uid = row.user.pk
    done = {"status": "done", "done_from": period.start, "done_to": period.end}
    return {
        "open": lambda: links.followups(uid, status="open"),
        # Overdue: due before the recruiter's own today, on their list.
        "overdue": lambda: links.followups(
            uid, status="open", due_to=row.today - timedelta(days=1)
        ),
        "on_time": lambda: links.followups(uid, timing="on_time", **done),
        "late": lambda: links.followups(uid, timing="late", **done),
        "done": lambda: links.followups(uid, **done),
        "skipped": lambda: links.followups(
            uid, status="skipped", due_from=period.start, due_to=period.end
        ),
    }[measure]()


def discipline_table(d: DisciplineFigures) -> Table:
    links = d.f.links

    def row(r: Discipline) -> list[Cell]:
        name = str(r.user) if r.user else "Total"
        return [
            Cell(
                name,
                url=links.followups(r.user.pk) if r.user else "",
                header=True,
            ),
            *[
                Cell(getattr(r, m), url=_link(d, r, m))
                for m in ("open", "overdue", "on_time", "late", "skipped")
            ],
            Cell(
                rate_value(r.on_time_rate),
                text=percent(r.on_time_rate),
                url=_link(d, r, "done"),
                numeric=True,
            ),
            Cell(
                " ".join("n/a" if x is None else str(round(x * 100)) for x in r.trend),
                text=", ".join(percent(x) for x in r.trend),
                spark=r.trend,
            ),
        ]

    return Table(
        key="discipline",
        title="Per recruiter",
        columns=[
            "Recruiter",
            "Open (now)",
            "Overdue (now)",
            "Done on time",
            "Done late",
            "Skipped",
            "On-time rate (%)",
            "On-time rate by week (%)",
        ],
        rows=[row(r) for r in d.rows],
        foot=[row(d.total)],
        note=(
            "On time: done on or before the day first due (a snooze does not move "
            "it). Overdue: open and due before the recruiter's own today. Skipped: "
            "fell due in the period and skipped."
        ),
        empty="No recruiters in this team yet.",
    )


def on_time_by_week_table(d: DisciplineFigures) -> Table:
    links = d.f.links
    rows = []
    for w in d.weekly:
        within = {"from": w.week, "to": w.week + timedelta(days=6)}
        rows.append(
            [
                Cell(w.week, text=f"Week of {format_value(w.week)}", header=True),
                Cell(w.done, url=links.drill("done", **within)),
                Cell(w.on_time, url=links.drill("on_time", **within)),
                Cell(
                    rate_value(w.rate),
                    text=percent(w.rate),
                    url=links.drill("done", **within),
                    numeric=True,
                ),
            ]
        )
    return Table(
        key="on_time_by_week",
        title="On-time rate per week",
        columns=["Week starting", "Done", "On time", "On-time rate (%)"],
        rows=rows,
        note="The first and last weeks count only their days within the period.",
    )
