"""The lists behind the figures (drill-downs): which records, and their columns, the
same on the page and in the CSV. Each section says which records stand behind each
of its figures, and adds its own columns after those of the kind of record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .cells import Cell, Table, format_value


def _no_cells(obj: Any) -> list[Cell]:
    return []


@dataclass
class Drilldown:
    measure: str
    kind: str  # "followups", "clients", "candidates", "placements"
    title: str
    queryset: QuerySet
    # The section's own columns, after the kind's, and their cells for one record.
    columns: tuple[str, ...] = ()
    cells: Callable[[Any], list[Cell]] = _no_cells


def drilldown_table(d: Drilldown, rows: Iterable, *, lazy: bool = False) -> Table:
    """Columns for one kind of record, then the section's own."""
    columns, cells = KINDS[d.kind]
    table_rows = ([*cells(obj), *d.cells(obj)] for obj in rows)
    # lazy: a CSV export streams its rows as the database sends them.
    return Table(
        key=d.measure,
        title=d.title,
        columns=[*columns, *d.columns],
        rows=table_rows if lazy else list(table_rows),
    )


def _followup_cells(f) -> list[Cell]:
    return [
        Cell(f.title, url=f.get_absolute_url(), header=True),
        Cell(f.get_kind_display()),
        Cell(str(f.person), url=f.person.get_absolute_url()),
        Cell(str(f.company) if f.company else ""),
        Cell(str(f.assigned_to)),
        Cell(f.due_date),
        Cell(f.original_due_date),
        Cell(
            f.get_status_display()
            + (f": {f.get_outcome_display()}" if f.outcome else "")
        ),
        Cell(
            f.completed_on,
            text=format_value(f.completed_on) if f.completed_on else "",
        ),
    ]


def _client_cells(c) -> list[Cell]:
    return [
        Cell(str(c), url=c.get_absolute_url(), header=True),
        Cell(str(c.owner)),
        Cell(c.city),
    ]


def _candidate_cells(c) -> list[Cell]:
    return [
        Cell(str(c), url=c.get_absolute_url(), header=True),
        Cell(str(c.owner)),
        Cell(c.current_title),
    ]


def _placement_cells(p) -> list[Cell]:
    return [
        Cell(str(p.candidate), url=p.get_absolute_url(), header=True),
        Cell(str(p.client), url=p.client.get_absolute_url()),
        Cell(p.get_placement_type_display()),
        Cell(p.start_date),
        Cell(p.end_date, text=format_value(p.end_date) if p.end_date else ""),
        Cell(p.guarantee_ends_on if p.guarantee_days else None),
        Cell(p.fee),
        Cell(p.currency),
        Cell(p.get_status_display()),
        Cell(str(p.recruiter)),
    ]


KINDS: dict[str, tuple[list[str], Callable[[Any], list[Cell]]]] = {
    "followups": (
        [
            "Follow-up",
            "Kind",
            "With",
            "Company",
            "Assigned to",
            "Due",
            "First due",
            "Status",
            "Done on",
        ],
        _followup_cells,
    ),
    "clients": (["Client", "Owner", "City"], _client_cells),
    "candidates": (["Candidate", "Owner", "Current title"], _candidate_cells),
    "placements": (
        [
            "Candidate",
            "Client",
            "Type",
            "Start",
            "End",
            "Guarantee ends",
            "Fee",
            "Currency",
            "Status",
            "Recruiter",
        ],
        _placement_cells,
    ),
}
