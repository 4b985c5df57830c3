"""Coming up, in the next 60 days whatever the period: running contracts that end
(redeploy), guarantee periods of running permanent placements that end, and
anniversaries of permanent placements."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, When
from django.db.models.functions import ExtractDay, ExtractMonth

from placements.models import Placement

from ..cells import Cell, Table, format_value
from ..drilldowns import Drilldown
from ..figures import TOP, Section

HORIZON_DAYS = 60
# name: (the table's title, its date column, the list's title)
LISTS = {
    "contracts_ending": (
        "Contracts ending (redeploy)",
        "Ends",
        f"Contracts ending in the next {HORIZON_DAYS} days",
    ),
    "guarantees_ending": (
        "Guarantee periods ending",
        "Guarantee ends",
        f"Guarantee periods ending in the next {HORIZON_DAYS} days",
    ),
    "anniversaries": (
        "Placement anniversaries",
        "Anniversary",
        f"Placement anniversaries in the next {HORIZON_DAYS} days",
    ),
}


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


class ComingUpFigures(Section):
    MEASURES = dict.fromkeys(LISTS, "placements")

    @property
    def horizon(self) -> date:
        return self.f.today + timedelta(days=HORIZON_DAYS)

    def annotated(self) -> QuerySet[Placement]:
        """The scope's placements with their guarantee end and start month-day."""
        return self.f.placements().annotate(
            guarantee_ends=Placement.guarantee_end_expression(),
            start_md=ExtractMonth("start_date") * 100 + ExtractDay("start_date"),
        )

    def conditions(self) -> dict[str, Q]:
        today, horizon = self.f.today, self.horizon
        start_md = today.month * 100 + today.day
        end_md = horizon.month * 100 + horizon.day
        in_window = (
            Q(start_md__gte=start_md, start_md__lte=end_md)
            if start_md <= end_md
            else Q(start_md__gte=start_md) | Q(start_md__lte=end_md)
        )
        running = Q(status__in=Placement.RUNNING_STATUSES)
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
        start_md = self.f.today.month * 100 + self.f.today.day
        return Case(
            When(start_md__gte=start_md, then=F("start_md")),
            default=F("start_md") + 10000,
            output_field=IntegerField(),
        )

    @cached_property
    def counts(self) -> dict[str, int]:
        return self.annotated().aggregate(
            **{
                name: Count("pk", filter=condition)
                for name, condition in self.conditions().items()
            }
        )

    def listing(self, name: str) -> QuerySet[Placement]:
        queryset = (
            self.annotated()
            .filter(self.conditions()[name])
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
    def top(self) -> dict[str, list[Placement]]:
        return {name: list(self.listing(name)[:TOP]) for name in LISTS}

    def drilldown(self, measure: str) -> Drilldown:
        return Drilldown(
            measure, "placements", LISTS[measure][2], self.listing(measure)
        )


# Tables


def _coming_up_table(c: ComingUpFigures, name: str) -> Table:
    today = c.f.today
    count = c.counts[name]
    title, date_column, _ = LISTS[name]
    rows = []
    for p in c.top[name]:
        if name == "contracts_ending":
            day, text = p.end_date, None
        elif name == "guarantees_ending":
            day, text = p.guarantee_ends, None
        else:
            day, years = next_anniversary(p.start_date, today)
            text = f"{format_value(day)} ({years} year{'s' if years != 1 else ''})"
        rows.append(
            [
                Cell(str(p.candidate), url=p.get_absolute_url(), header=True),
                Cell(str(p.client), url=p.client.get_absolute_url()),
                Cell(day, text=text),
                Cell((day - today).days),
                Cell(str(p.recruiter)),
            ]
        )
    more = Cell(f"All {count}", url=c.f.links.drill(name))
    return Table(
        key=name,
        title=f"{title}: {count}",
        columns=["Candidate", "Client", date_column, "In days", "Recruiter"],
        rows=rows,
        empty=f"None in the next {HORIZON_DAYS} days.",
        more=more if count > len(rows) else None,
    )


def contracts_ending_table(c: ComingUpFigures) -> Table:
    return _coming_up_table(c, "contracts_ending")


def guarantees_ending_table(c: ComingUpFigures) -> Table:
    return _coming_up_table(c, "guarantees_ending")


def anniversaries_table(c: ComingUpFigures) -> Table:
    return _coming_up_table(c, "anniversaries")
