"""The building blocks of the dashboard's tables: cells, tables, and the links to the
lists behind the figures. The page and the CSV export read the same tables, so a
download always says what the page says."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import date_format

from .selectors import Period, Scope


@dataclass
class Cell:
    value: Any = None  # what the CSV holds
    text: str | None = None  # what the page shows; the value, formatted, if None
    url: str = ""
    badge: str = ""  # a badge's class (a health level's colour): shown as a badge
    spark: list[float | None] | None = None  # weekly rates, drawn as a sparkline
    numeric: bool = False
    header: bool = False  # the row's header cell (<th scope="row">)
    label: str = ""  # what a linked number is, for screen readers

    @property
    def spark_svg(self) -> dict[str, Any] | None:
        """The sparkline's polylines (gaps where a week had nothing done) and
        lone points, in a 100 x 24 box; 0% at the bottom, 100% at the top."""
        if self.spark is None:
            return None
        n = len(self.spark)
        step = 96 / max(n - 1, 1)
        runs: list[list[tuple[float, float]]] = [[]]
        for i, rate in enumerate(self.spark):
            if rate is None:
                runs.append([])
            else:
                runs[-1].append((round(2 + i * step, 1), round(22 - rate * 20, 1)))
        lines = [run for run in runs if len(run) > 1]
        return {
            "lines": [" ".join(f"{x},{y}" for x, y in run) for run in lines],
            "dots": [run[0] for run in runs if len(run) == 1],
        }

    def __post_init__(self) -> None:
        if self.text is None:
            self.text = format_value(self.value)
        if isinstance(self.value, int | float | Decimal) and not isinstance(
            self.value, bool
        ):
            self.numeric = True


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    foot: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    empty: str = "Nothing here."
    more: Cell | None = None  # "All 123 …": the whole list behind a top-20

    def __post_init__(self) -> None:
        if isinstance(self.rows, list):
            self.label_links()

    def label_links(self) -> None:
        """A number alone ("3") says nothing to a screen reader: each linked cell
        gets its column and its row's name ("Overdue (now), Alice Archer")."""
        for row in [*self.rows, *self.foot]:
            name = next((cell.text for cell in row if cell.header), "")
            for column, cell in zip(self.columns, row, strict=False):
                if cell.url and not cell.header:
                    cell.label = f"{column}, {name}" if name else column

    @property
    def columns_aligned(self) -> list[tuple[str, bool]]:
        """Each column with whether it holds numbers (right-aligned)."""
        first = self.rows[0] if self.rows else []
        return [
            (column, i < len(first) and first[i].numeric)
            for i, column in enumerate(self.columns)
        ]

    def csv_rows(self) -> Iterator[list[Any]]:
        for row in [*self.rows, *self.foot]:
            yield [cell.value for cell in row]


def format_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return intcomma(f"{value:.0f}")
    if isinstance(value, int):
        return intcomma(value)
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return str(value)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def rate_value(rate: float | None) -> float | None:
    """A rate as the CSV's percentage (one decimal)."""
    return None if rate is None else round(rate * 100, 1)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def date_cell(moment: datetime | None, *, never: str | None = None) -> Cell:
    """The day of a moment (a last touch); `never` is shown when there is none."""
    if moment is None and never is not None:
        return Cell(None, text=never)
    return Cell(moment.date() if moment else None)


class Links:
    """URLs of the lists behind the figures, for one scope and period."""

    def __init__(self, scope: Scope, period: Period) -> None:
        self.scope = scope
        self.period = period

    def params(self, **extra: Any) -> str:
        query = {"team": self.scope.key, "period": self.period.days}
        query.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(query)

    def dashboard(self, **extra: Any) -> str:
        return f"{reverse('dashboards:team')}?{self.params(**extra)}"

    def drill(self, measure: str, **extra: Any) -> str:
        url = reverse("dashboards:drilldown", args=[measure])
        return f"{url}?{self.params(**extra)}"

    def export(self, key: str) -> str:
        return f"{reverse('dashboards:export', args=[key])}?{self.params()}"

    def drill_export(self, measure: str, query: str) -> str:
        url = reverse("dashboards:drilldown_export", args=[measure])
        return f"{url}?{query}"

    def followups(self, user_id: int, **filters: Any) -> str:
        """The recruiter's own follow-up list, filtered (managers may open it)."""
        query = {"user": user_id, **{k: v for k, v in filters.items() if v}}
        return f"{reverse('followups:followup_list')}?{urlencode(query)}"
