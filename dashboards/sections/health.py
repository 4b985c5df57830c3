"""Relationship health: the scope's clients and placed candidates by level (as
`followups.health` rates them, now), the coldest of each, and the dormant clients:
no activity for the agency's dormancy threshold (as the nightly job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from clients.models import Candidate, Client
from followups.health import (
    COLDEST_FIRST,
    LEVEL_Q,
    LEVELS,
    correlated_count,
    count_by_level,
    describe_health,
    dormant_q,
    last_touch_expression,
    level_label,
    levels_in_words,
    with_health,
)
from followups.selectors import placed_candidates
from placements.models import Placement

from ..cells import Cell, Table, date_cell
from ..drilldowns import Drilldown
from ..figures import TOP, Section

# The relationships rated, by kind of record: (as a heading, in a sentence).
RECORDS = {
    "clients": ("Clients", "clients"),
    "candidates": ("Placed candidates", "placed candidates"),
}


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


class HealthFigures(Section):
    MEASURES = {
        "clients": "clients",
        **{f"clients_{level}": "clients" for level in LEVELS},
        "dormant": "clients",
        "candidates": "candidates",
        **{f"candidates_{level}": "candidates" for level in LEVELS},
    }

    def clients(self) -> QuerySet[Client]:
        return with_health(
            Client.objects.active().filter(self.f.scope.q("owner")), now=self.f.now
        )

    def placed_candidates(self) -> QuerySet[Candidate]:
        return with_health(
            placed_candidates().active().filter(self.f.scope.q("owner")),
            now=self.f.now,
        )

    def records(self, kind: str) -> QuerySet:
        return self.clients() if kind == "clients" else self.placed_candidates()

    @cached_property
    def client_health(self) -> dict[str, int]:
        return count_by_level(self.clients())

    @cached_property
    def candidate_health(self) -> dict[str, int]:
        return count_by_level(self.placed_candidates())

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

    # Dormant clients

    @property
    def dormancy_cutoff(self) -> datetime:
        return self.f.now - timedelta(days=self.f.settings.dormancy_days)

    @property
    def dormant_q(self) -> Q:
        return dormant_q(self.dormancy_cutoff)

    @cached_property
    def dormant_count(self) -> int:
        return (
            Client.objects.active()
            .filter(self.f.scope.q("owner"))
            .annotate(last_touch=last_touch_expression(Client))
            .filter(self.dormant_q)
            .count()
        )

    def dormant_clients(self) -> QuerySet[Client]:
        placements = Placement.objects.live().filter(client=OuterRef("pk"))
        return (
            self.clients()
            .filter(self.dormant_q)
            .annotate(
                lifetime_fees=_fee_sum(placements, "client", self.f.currency),
                lifetime_placements=correlated_count(placements, "client"),
            )
            .select_related("owner")
            .order_by("-lifetime_fees", "name", "pk")
        )

    @cached_property
    def dormant_top(self) -> list[Client]:
        return list(self.dormant_clients()[:TOP])

    # The lists behind the figures

    def _health_cells(self, obj) -> list[Cell]:
        health = describe_health(obj, now=self.f.now)
        return [
            Cell(health.label, badge=health.badge_class),
            Cell(health.reason),
            date_cell(obj.last_touch),
        ]

    def drilldown(self, measure: str) -> Drilldown:
        if measure == "dormant":
            return Drilldown(
                measure,
                "clients",
                "Dormant clients",
                self.dormant_clients(),
                columns=("Last touch", "Placements (lifetime)", "Fees (lifetime)"),
                cells=lambda c: [
                    date_cell(c.last_touch),
                    Cell(c.lifetime_placements),
                    Cell(c.lifetime_fees),
                ],
            )
        kind, _, level = measure.partition("_")
        queryset = self.records(kind)
        if level:
            title = f"{level_label(level)} {RECORDS[kind][1]}"
            queryset = queryset.filter(LEVEL_Q[level])
        else:
            title = f"{RECORDS[kind][0]}, coldest first"
        return Drilldown(
            measure,
            kind,
            title,
            queryset.select_related("owner").order_by(*COLDEST_FIRST),
            columns=("Health", "Why", "Last touch"),
            cells=self._health_cells,
        )

    def chart(self) -> dict[str, Any]:
        return {
            "labels": [level_label(level) for level in LEVELS],
            "clients": [self.client_health[level] for level in LEVELS],
            "candidates": [self.candidate_health[level] for level in LEVELS],
        }


# Tables


def health_table(h: HealthFigures) -> Table:
    links = h.f.links
    rows = []
    for prefix, counts in (
        ("clients", h.client_health),
        ("candidates", h.candidate_health),
    ):
        rows.append(
            [
                Cell(RECORDS[prefix][0], header=True),
                *[
                    Cell(counts[level], url=links.drill(f"{prefix}_{level}"))
                    for level in LEVELS
                ],
                Cell(
                    sum(counts[level] for level in LEVELS),
                    url=links.drill(prefix),
                ),
            ]
        )
    return Table(
        key="health",
        title="By level, now",
        columns=["Relationships", *[level_label(level) for level in LEVELS], "Total"],
        rows=rows,
        note=(
            f"{levels_in_words().capitalize()} from the recency and frequency of "
            "touches, open overdue follow-ups and repeat placements. Clients and "
            "placed candidates the team owns."
        ),
    )


def _coldest_table(h: HealthFigures, kind: str) -> Table:
    records = h.coldest_clients if kind == "clients" else h.coldest_candidates
    rows = []
    for obj in records:
        health = describe_health(obj, now=h.f.now)
        last_placement = (
            reverse("followups:placement_detail", args=[obj.last_placement_id])
            if obj.last_placement_id
            else ""
        )
        rows.append(
            [
                Cell(str(obj), url=obj.get_absolute_url(), header=True),
                Cell(health.label, badge=health.badge_class),
                Cell(health.reason),
                Cell(str(obj.owner)),
                date_cell(obj.last_touch, never="never"),
                Cell(obj.last_placement_start, url=last_placement),
            ]
        )
    noun = RECORDS[kind][1]
    return Table(
        key=f"coldest_{kind}",
        title=f"The {len(rows) or ''} coldest {noun}".replace("  ", " "),
        columns=[
            "Client" if kind == "clients" else "Candidate",
            "Health",
            "Why",
            "Owner",
            "Last touch",
            "Last placement",
        ],
        rows=rows,
        empty=f"No {noun} yet.",
        more=Cell(f"All {noun}, coldest first", url=h.f.links.drill(kind)),
    )


def coldest_clients_table(h: HealthFigures) -> Table:
    return _coldest_table(h, "clients")


def coldest_candidates_table(h: HealthFigures) -> Table:
    return _coldest_table(h, "candidates")


def dormant_table(h: HealthFigures) -> Table:
    count = h.dormant_count
    rows = [
        [
            Cell(str(c), url=c.get_absolute_url(), header=True),
            Cell(str(c.owner)),
            date_cell(c.last_touch, never="never"),
            Cell(c.lifetime_placements),
            Cell(c.lifetime_fees),
        ]
        for c in h.dormant_top
    ]
    return Table(
        key="dormant",
        title=f"Dormant clients: {count}",
        columns=[
            "Client",
            "Owner",
            "Last touch",
            "Placements (lifetime)",
            f"Fees (lifetime, {h.f.currency})",
        ],
        rows=rows,
        note=(
            f"No activity for {h.f.settings.dormancy_days} days or more (the "
            "agency's threshold), most valuable first."
        ),
        empty="No dormant client. Every relationship has been touched lately.",
        more=Cell(f"All {count} dormant clients", url=h.f.links.drill("dormant"))
        if count > len(rows)
        else None,
    )
