"""Repeat business: the clients the scope placed with and those with two placements
or more, all time and in the period; the period's placements from new against
repeat clients, month by month; candidates placed more than once. Counted over the
scope's own live placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from clients.models import Candidate, Client
from placements.models import Placement

from ..cells import Cell, Table, percent, rate_value, share
from ..drilldowns import Drilldown
from ..figures import Section, as_date

REPEAT = 2  # live placements that make a client (or candidate) repeat business
PLACEMENT_COUNT = {
    "columns": ("Placements (team, all time)",),
    "cells": lambda obj: [Cell(obj.n_all)],
}
# Clients with placements, by measure: the figure's name in `repeat_clients`, the
# list's title, and the condition on their counts.
CLIENTS = {
    "clients_placed": ("placed_all", "Clients with a placement", Q()),
    "clients_repeat": (
        "repeat_all",
        "Clients with two placements or more",
        Q(n_all__gte=REPEAT),
    ),
    "clients_placed_period": (
        "placed_period",
        "Clients with a placement in the period",
        Q(n_period__gte=1),
    ),
    "clients_repeat_period": (
        "repeat_period",
        "Repeat clients placed with in the period",
        Q(n_period__gte=1, n_to_end__gte=REPEAT),
    ),
}
PLACEMENTS = {
    "placements_period": ("Placements in the period", Q()),
    "placements_new": ("Placements from new clients", Q(repeat_client=False)),
    "placements_repeat": ("Placements from repeat clients", Q(repeat_client=True)),
}


@dataclass
class MonthSplit:
    month: date
    new: int
    repeat: int

    @property
    def total(self) -> int:
        return self.new + self.repeat


class RepeatFigures(Section):
    MEASURES = {
        **dict.fromkeys(CLIENTS, "clients"),
        "candidates_repeat": "candidates",
        "candidates_again": "candidates",
        **dict.fromkeys(PLACEMENTS, "placements"),
    }

    def placement_counts(self, field_name: str) -> QuerySet:
        """Per client (or candidate) the scope placed: its live placements with the
        scope, all time and up to the period's end, and those started in the
        period. Grouped from the scope's placements, so a team's figures read its
        own rows, not the agency's."""
        return (
            self.f.placements()
            .order_by()
            .values(field_name)
            .annotate(
                n_all=Count("pk"),
                n_to_end=Count("pk", filter=Q(start_date__lte=self.f.today)),
                n_period=Count("pk", filter=self.f.period.on("start_date")),
            )
        )

    def _with_placement_counts(self, model) -> QuerySet:
        """The same counts on the records themselves, for the lists behind them."""
        field_name = model._meta.model_name
        mine = Q(placements__status__in=Placement.LIVE_STATUSES) & self.f.scope.q(
            "placements__recruiter"
        )
        return model.objects.filter(
            pk__in=self.f.placements().values(field_name)
        ).annotate(
            n_all=Count("placements", filter=mine),
            n_to_end=Count(
                "placements", filter=mine & Q(placements__start_date__lte=self.f.today)
            ),
            n_period=Count(
                "placements", filter=mine & self.f.period.on("placements__start_date")
            ),
        )

    def client_placement_counts(self) -> QuerySet[Client]:
        return self._with_placement_counts(Client)

    def candidate_placement_counts(self) -> QuerySet[Candidate]:
        return self._with_placement_counts(Candidate)

    @cached_property
    def repeat_clients(self) -> dict[str, int]:
        """Clients the scope placed with, and those with two placements or more:
        all time, and among the clients placed with in the period (counting their
        earlier placements too)."""
        return self.placement_counts("client").aggregate(
            **{
                name: Count("client", filter=condition)
                for name, _, condition in CLIENTS.values()
            }
        )

    @cached_property
    def repeat_candidates_all(self) -> int:
        return self.placement_counts("candidate").aggregate(
            n=Count("candidate", filter=Q(n_all__gte=REPEAT))
        )["n"]

    @cached_property
    def months(self) -> list[MonthSplit]:
        rows = (
            self.f.period_placements()
            .annotate(month=TruncMonth("start_date", output_field=DateField()))
            .order_by()
            .values("month")
            .annotate(
                new=Count("pk", filter=Q(repeat_client=False)),
                repeat=Count("pk", filter=Q(repeat_client=True)),
            )
        )
        by_month = {as_date(row["month"]): row for row in rows}
        return [
            MonthSplit(
                month=m,
                new=by_month.get(m, {}).get("new", 0),
                repeat=by_month.get(m, {}).get("repeat", 0),
            )
            for m in self.f.period.months()
        ]

    def drilldown(self, measure: str) -> Drilldown:
        if measure in PLACEMENTS:
            title, condition = PLACEMENTS[measure]
            queryset = self.f.period_placement_list(condition)
            return Drilldown(measure, "placements", title, queryset)
        if measure in CLIENTS:
            _, title, condition = CLIENTS[measure]
            queryset = (
                self.client_placement_counts()
                .filter(n_all__gte=1)
                .filter(condition)
                .select_related("owner")
                .order_by("-n_all", "name", "pk")
            )
            return Drilldown(measure, "clients", title, queryset, **PLACEMENT_COUNT)
        if measure == "candidates_repeat":
            title = "Candidates placed more than once"
            queryset = self.candidate_placement_counts().filter(n_all__gte=REPEAT)
        else:
            title = "Candidates placed again in the period"
            again = self.f.period_placements().filter(repeat_candidate=True)
            queryset = self.candidate_placement_counts().filter(
                pk__in=again.values("candidate")
            )
        queryset = queryset.select_related("owner").order_by(
            "-n_all", "last_name", "pk"
        )
        return Drilldown(measure, "candidates", title, queryset, **PLACEMENT_COUNT)

    def chart(self) -> dict[str, Any]:
        return {
            "labels": [date_format(m.month, "M Y") for m in self.months],
            "new": [m.new for m in self.months],
            "repeat": [m.repeat for m in self.months],
        }


# Tables


def repeat_table(r: RepeatFigures) -> Table:
    links = r.f.links
    c = r.repeat_clients
    all_time = share(c["repeat_all"], c["placed_all"])
    in_period = share(c["repeat_period"], c["placed_period"])
    return Table(
        key="repeat",
        title="Repeat clients and candidates",
        columns=["Measure", "All time", "In the period"],
        rows=[
            [
                Cell("Clients placed with", header=True),
                Cell(c["placed_all"], url=links.drill("clients_placed")),
                Cell(c["placed_period"], url=links.drill("clients_placed_period")),
            ],
            [
                Cell("Clients with two placements or more", header=True),
                Cell(c["repeat_all"], url=links.drill("clients_repeat")),
                Cell(c["repeat_period"], url=links.drill("clients_repeat_period")),
            ],
            [
                Cell("Share of repeat clients (%)", header=True),
                Cell(
                    rate_value(all_time),
                    text=percent(all_time),
                    url=links.drill("clients_repeat"),
                    numeric=True,
                ),
                Cell(
                    rate_value(in_period),
                    text=percent(in_period),
                    url=links.drill("clients_repeat_period"),
                    numeric=True,
                ),
            ],
            [
                Cell("Candidates placed more than once", header=True),
                Cell(r.repeat_candidates_all, url=links.drill("candidates_repeat")),
                Cell(
                    r.f.period_business["candidates_again"],
                    url=links.drill("candidates_again"),
                ),
            ],
        ],
        note=(
            "Counting the team's live placements. In the period: clients placed "
            "with in the period, repeat when they have two placements or more "
            "counting earlier ones; candidates placed in the period who had been "
            "placed before."
        ),
    )


def new_vs_repeat_table(r: RepeatFigures) -> Table:
    links, currency = r.f.links, r.f.currency
    b = r.f.period_business
    note = "A client is new on its first placement with the team, repeat after."
    if b["other_currency"]:
        note += (
            f" Fees leave out {b['other_currency']} placement(s) in currencies "
            f"other than {currency}."
        )
    return Table(
        key="new_vs_repeat",
        title="Placements in the period: new against repeat clients",
        columns=["Placements from", "Placements", f"Fees ({currency})"],
        rows=[
            [
                Cell("New clients", header=True),
                Cell(b["new"], url=links.drill("placements_new")),
                Cell(b["new_fees"], url=links.drill("placements_new")),
            ],
            [
                Cell("Repeat clients", header=True),
                Cell(b["repeat"], url=links.drill("placements_repeat")),
                Cell(b["repeat_fees"], url=links.drill("placements_repeat")),
            ],
        ],
        foot=[
            [
                Cell("Total", header=True),
                Cell(b["total"], url=links.drill("placements_period")),
                Cell(b["fees"], url=links.drill("placements_period")),
            ]
        ],
        note=note,
    )


def placements_by_month_table(r: RepeatFigures) -> Table:
    links = r.f.links
    rows = []
    for m in r.months:
        month_end = (m.month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        within = {"from": m.month, "to": month_end}
        rows.append(
            [
                Cell(m.month, text=date_format(m.month, "M Y"), header=True),
                Cell(m.new, url=links.drill("placements_new", **within)),
                Cell(m.repeat, url=links.drill("placements_repeat", **within)),
                Cell(m.total, url=links.drill("placements_period", **within)),
            ]
        )
    return Table(
        key="placements_by_month",
        title="Placements per month: new against repeat clients",
        columns=["Month", "New clients", "Repeat clients", "Total"],
        rows=rows,
    )
