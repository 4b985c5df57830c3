"""The dashboard's tables: the figures of `selectors` as rows of cells, each with the
link to the list behind it. The page and the CSV export read the same tables, so a
download always says what the page says."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import date_format

from followups.selectors import describe_health

from .selectors import (
    HORIZON_DAYS,
    LEVELS,
    Discipline,
    Drilldown,
    TeamFigures,
    next_anniversary,
)


@dataclass
class Cell:
    value: Any = None  # what the CSV holds
    text: str | None = None  # what the page shows; the value, formatted, if None
    url: str = ""
    badge: str = ""  # a health level, shown as a coloured badge
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
            self.text = _format(self.value)
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


def _format(value: Any) -> str:
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


class Links:
    """URLs of the lists behind the figures, for one scope and period."""

    def __init__(self, figures: TeamFigures) -> None:
        self.figures = figures
        self.scope = figures.scope
        self.period = figures.period

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

    def followup_measure(self, row: Discipline, measure: str) -> str:
        period = self.period
        if row.user is None:
            return self.drill(measure)
        uid = row.user.pk
        done = {"status": "done", "done_from": period.start, "done_to": period.end}
        return {
            "open": lambda: self.followups(uid, status="open"),
            # Overdue: due before the recruiter's own today, on their list.
            "overdue": lambda: self.followups(
                uid, status="open", due_to=row.today - timedelta(days=1)
            ),
            "on_time": lambda: self.followups(uid, timing="on_time", **done),
            "late": lambda: self.followups(uid, timing="late", **done),
            "done": lambda: self.followups(uid, **done),
            "skipped": lambda: self.followups(
                uid, status="skipped", due_from=period.start, due_to=period.end
            ),
        }[measure]()


# The dashboard's tables


def discipline_table(f: TeamFigures) -> Table:
    links = Links(f)

    def row(d: Discipline) -> list[Cell]:
        name = str(d.user) if d.user else "Total"
        return [
            Cell(
                name,
                url=links.followups(d.user.pk) if d.user else "",
                header=True,
            ),
            *[
                Cell(getattr(d, m), url=links.followup_measure(d, m))
                for m in ("open", "overdue", "on_time", "late", "skipped")
            ],
            Cell(
                rate_value(d.on_time_rate),
                text=percent(d.on_time_rate),
                url=links.followup_measure(d, "done"),
                numeric=True,
            ),
            Cell(
                " ".join("n/a" if r is None else str(round(r * 100)) for r in d.trend),
                text=", ".join(percent(r) for r in d.trend),
                spark=d.trend,
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
        rows=[row(d) for d in f.discipline],
        foot=[row(f.discipline_total)],
        note=(
            "On time: done on or before the day first due (a snooze does not move "
            "it). Overdue: open and due before the recruiter's own today. Skipped: "
            "fell due in the period and skipped."
        ),
        empty="No recruiters in this team yet.",
    )


def health_table(f: TeamFigures) -> Table:
    links = Links(f)
    rows = []
    for label, counts, prefix in (
        ("Clients", f.client_health, "clients"),
        ("Placed candidates", f.candidate_health, "candidates"),
    ):
        rows.append(
            [
                Cell(label, header=True),
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
        columns=["Relationships", "Warm", "Cooling", "Cold", "Total"],
        rows=rows,
        note=(
            "Warm, cooling or cold from the recency and frequency of touches, open "
            "overdue follow-ups and repeat placements. Clients and placed "
            "candidates the team owns."
        ),
    )


def _coldest_table(f: TeamFigures, kind: str) -> Table:
    links = Links(f)
    records = f.coldest_clients if kind == "clients" else f.coldest_candidates
    rows = []
    for obj in records:
        health = describe_health(obj, now=f.now)
        last_placement = (
            reverse("followups:placement_detail", args=[obj.last_placement_id])
            if obj.last_placement_id
            else ""
        )
        rows.append(
            [
                Cell(str(obj), url=obj.get_absolute_url(), header=True),
                Cell(health.label, badge=health.level),
                Cell(health.reason),
                Cell(str(obj.owner)),
                Cell(
                    obj.last_touch.date() if obj.last_touch else None,
                    text=_format(obj.last_touch.date()) if obj.last_touch else "never",
                ),
                Cell(obj.last_placement_start, url=last_placement),
            ]
        )
    noun = "clients" if kind == "clients" else "placed candidates"
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
        more=Cell(f"All {noun}, coldest first", url=links.drill(kind)),
    )


def coldest_clients_table(f: TeamFigures) -> Table:
    return _coldest_table(f, "clients")


def coldest_candidates_table(f: TeamFigures) -> Table:
    return _coldest_table(f, "candidates")


def dormant_table(f: TeamFigures) -> Table:
    links = Links(f)
    count = f.dormant_count
    rows = [
        [
            Cell(str(c), url=c.get_absolute_url(), header=True),
            Cell(str(c.owner)),
            Cell(
                c.last_touch.date() if c.last_touch else None,
                text=_format(c.last_touch.date()) if c.last_touch else "never",
            ),
            Cell(c.lifetime_placements),
            Cell(c.lifetime_fees),
        ]
        for c in f.dormant_top
    ]
    return Table(
        key="dormant",
        title=f"Dormant clients: {count}",
        columns=[
            "Client",
            "Owner",
            "Last touch",
            "Placements (lifetime)",
            f"Fees (lifetime, {f.currency})",
        ],
        rows=rows,
        note=(
            f"No activity for {f.settings.dormancy_days} days or more (the agency's "
            "threshold), most valuable first."
        ),
        empty="No dormant client. Every relationship has been touched lately.",
        more=Cell(f"All {count} dormant clients", url=links.drill("dormant"))
        if count > len(rows)
        else None,
    )


def repeat_table(f: TeamFigures) -> Table:
    links = Links(f)
    r = f.repeat_clients
    return Table(
        key="repeat",
        title="Repeat clients and candidates",
        columns=["Measure", "All time", "In the period"],
        rows=[
            [
                Cell("Clients placed with", header=True),
                Cell(r["placed_all"], url=links.drill("clients_placed")),
                Cell(r["placed_period"], url=links.drill("clients_placed_period")),
            ],
            [
                Cell("Clients with two placements or more", header=True),
                Cell(r["repeat_all"], url=links.drill("clients_repeat")),
                Cell(r["repeat_period"], url=links.drill("clients_repeat_period")),
            ],
            [
                Cell("Share of repeat clients (%)", header=True),
                Cell(
                    rate_value(_share(r["repeat_all"], r["placed_all"])),
                    text=percent(_share(r["repeat_all"], r["placed_all"])),
                    url=links.drill("clients_repeat"),
                    numeric=True,
                ),
                Cell(
                    rate_value(_share(r["repeat_period"], r["placed_period"])),
                    text=percent(_share(r["repeat_period"], r["placed_period"])),
                    url=links.drill("clients_repeat_period"),
                    numeric=True,
                ),
            ],
            [
                Cell("Candidates placed more than once", header=True),
                Cell(f.repeat_candidates_all, url=links.drill("candidates_repeat")),
                Cell(
                    f.period_business["candidates_again"],
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


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def new_vs_repeat_table(f: TeamFigures) -> Table:
    links = Links(f)
    b = f.period_business
    note = "A client is new on its first placement with the team, repeat after."
    if b["other_currency"]:
        note += (
            f" Fees leave out {b['other_currency']} placement(s) in currencies "
            f"other than {f.currency}."
        )
    return Table(
        key="new_vs_repeat",
        title="Placements in the period: new against repeat clients",
        columns=["Placements from", "Placements", f"Fees ({f.currency})"],
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


def referrals_table(f: TeamFigures) -> Table:
    links = Links(f)
    r, b = f.referrals, f.period_business
    return Table(
        key="referrals",
        title="Received in the period",
        columns=["Measure", "In the period"],
        rows=[
            [
                Cell("Candidates referred", header=True),
                Cell(r["candidates"], url=links.drill("candidates_referred")),
            ],
            [
                Cell("Clients referred", header=True),
                Cell(r["clients"], url=links.drill("clients_referred")),
            ],
            [
                Cell("Placements from a referral", header=True),
                Cell(b["referral"], url=links.drill("placements_referral")),
            ],
            [
                Cell(f"Fees from referral placements ({f.currency})", header=True),
                Cell(b["referral_fees"], url=links.drill("placements_referral")),
            ],
        ],
        note=(
            "Referred: candidates and clients the team owns, added in the period "
            "with a referrer. A placement is from a referral when its candidate or "
            "its client was referred."
        ),
    )


def top_referrers_table(f: TeamFigures) -> Table:
    links = Links(f)
    rows = []
    for r in f.referrals["top"]:
        key = f"{r.kind}:{r.pk}"
        person = r.person
        who = (
            "Candidate"
            if r.kind == "candidate"
            else f"Contact at {person.client}"
            if person
            else "Contact"
        )
        rows.append(
            [
                Cell(
                    str(person) if person else "(removed)",
                    url=person.get_absolute_url() if person else "",
                    header=True,
                ),
                Cell(who),
                Cell(
                    r.candidates,
                    url=links.drill("candidates_referred", referrer=key),
                ),
                Cell(r.clients, url=links.drill("clients_referred", referrer=key)),
                Cell(
                    r.placements,
                    url=links.drill("placements_referral", referrer=key),
                ),
            ]
        )
    return Table(
        key="top_referrers",
        title="Top referrers in the period",
        columns=[
            "Referrer",
            "Who",
            "Candidates referred",
            "Clients referred",
            "Placements from their referrals",
        ],
        rows=rows,
        empty="No referral in the period.",
    )


def _coming_up_table(f: TeamFigures, name: str) -> Table:
    links = Links(f)
    count = f.coming_up_counts[name]
    titles = {
        "contracts_ending": ("Contracts ending (redeploy)", "Ends"),
        "guarantees_ending": ("Guarantee periods ending", "Guarantee ends"),
        "anniversaries": ("Placement anniversaries", "Anniversary"),
    }
    title, date_column = titles[name]
    rows = []
    for p in f.coming_up_top[name]:
        if name == "contracts_ending":
            day, text = p.end_date, None
        elif name == "guarantees_ending":
            day, text = p.guarantee_ends, None
        else:
            day, years = next_anniversary(p.start_date, f.today)
            text = f"{_format(day)} ({years} year{'s' if years != 1 else ''})"
        rows.append(
            [
                Cell(str(p.candidate), url=p.get_absolute_url(), header=True),
                Cell(str(p.client), url=p.client.get_absolute_url()),
                Cell(day, text=text),
                Cell((day - f.today).days),
                Cell(str(p.recruiter)),
            ]
        )
    return Table(
        key=name,
        title=f"{title}: {count}",
        columns=["Candidate", "Client", date_column, "In days", "Recruiter"],
        rows=rows,
        empty=f"None in the next {HORIZON_DAYS} days.",
        more=Cell(f"All {count}", url=links.drill(name)) if count > len(rows) else None,
    )


def contracts_ending_table(f: TeamFigures) -> Table:
    return _coming_up_table(f, "contracts_ending")


def guarantees_ending_table(f: TeamFigures) -> Table:
    return _coming_up_table(f, "guarantees_ending")


def anniversaries_table(f: TeamFigures) -> Table:
    return _coming_up_table(f, "anniversaries")


def placements_by_month_table(f: TeamFigures) -> Table:
    links = Links(f)
    rows = []
    for m in f.months:
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


def on_time_by_week_table(f: TeamFigures) -> Table:
    links = Links(f)
    rows = []
    for w in f.weekly:
        within = {"from": w.week, "to": w.week + timedelta(days=6)}
        rows.append(
            [
                Cell(w.week, text=f"Week of {_format(w.week)}", header=True),
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


TABLES: dict[str, Callable[[TeamFigures], Table]] = {
    "discipline": discipline_table,
    "health": health_table,
    "coldest_clients": coldest_clients_table,
    "coldest_candidates": coldest_candidates_table,
    "dormant": dormant_table,
    "repeat": repeat_table,
    "new_vs_repeat": new_vs_repeat_table,
    "referrals": referrals_table,
    "top_referrers": top_referrers_table,
    "contracts_ending": contracts_ending_table,
    "guarantees_ending": guarantees_ending_table,
    "anniversaries": anniversaries_table,
    "placements_by_month": placements_by_month_table,
    "on_time_by_week": on_time_by_week_table,
}


def chart_data(f: TeamFigures) -> dict[str, Any]:
    """What the three charts draw; the tables above are their text versions."""
    return {
        "placements": {
            "labels": [date_format(m.month, "M Y") for m in f.months],
            "new": [m.new for m in f.months],
            "repeat": [m.repeat for m in f.months],
        },
        "on_time": {
            "labels": [date_format(w.week, "j M") for w in f.weekly],
            "rate": [rate_value(w.rate) for w in f.weekly],
            "done": [w.done for w in f.weekly],
        },
        "health": {
            "labels": ["Warm", "Cooling", "Cold"],
            "clients": [f.client_health[level] for level in LEVELS],
            "candidates": [f.candidate_health[level] for level in LEVELS],
        },
    }


# The lists behind the figures


def drilldown_table(
    d: Drilldown, rows: Iterable, *, today: date, lazy: bool = False
) -> Table:
    """Columns for one kind of record, the same on the page and in the CSV."""
    builder = {
        "followups": _followup_rows,
        "clients": _client_rows,
        "candidates": _candidate_rows,
        "placements": _placement_rows,
    }[d.kind]
    columns, cells = builder(d, rows, today)
    # lazy: a CSV export streams its rows as the database sends them.
    return Table(
        key=d.measure,
        title=d.title,
        columns=columns,
        rows=cells if lazy else list(cells),
    )


def _followup_rows(d: Drilldown, rows, today: date):
    columns = [
        "Follow-up",
        "Kind",
        "With",
        "Company",
        "Assigned to",
        "Due",
        "First due",
        "Status",
        "Done on",
    ]
    cells = (
        [
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
                f.completed_on, text=_format(f.completed_on) if f.completed_on else ""
            ),
        ]
        for f in rows
    )
    return columns, cells


def _health_cells(obj) -> list[Cell]:
    health = describe_health(obj)
    return [Cell(health.label, badge=health.level), Cell(health.reason)]


def _client_rows(d: Drilldown, rows, today: date):
    placements = d.measure.startswith(("clients_placed", "clients_repeat"))
    health = d.measure == "clients" or d.measure.removeprefix("clients_") in LEVELS
    columns = ["Client", "Owner", "City"]
    if d.measure == "clients_referred":
        columns += ["Referred by", "Added"]
    elif d.measure == "dormant":
        columns += ["Last touch", "Placements (lifetime)", "Fees (lifetime)"]
    elif placements:
        columns += ["Placements (team, all time)"]
    elif health:
        columns += ["Health", "Why", "Last touch"]

    def cells():
        for c in rows:
            row = [
                Cell(str(c), url=c.get_absolute_url(), header=True),
                Cell(str(c.owner)),
                Cell(c.city),
            ]
            if d.measure == "clients_referred":
                row += [Cell(str(c.referrer or "")), Cell(c.created_at.date())]
            elif d.measure == "dormant":
                row += [
                    Cell(c.last_touch.date() if c.last_touch else None),
                    Cell(c.lifetime_placements),
                    Cell(c.lifetime_fees),
                ]
            elif placements:
                row += [Cell(c.n_all)]
            elif health:
                row += [
                    *_health_cells(c),
                    Cell(c.last_touch.date() if c.last_touch else None),
                ]
            yield row

    return columns, cells()


def _candidate_rows(d: Drilldown, rows, today: date):
    columns = ["Candidate", "Owner", "Current title"]
    if d.measure == "candidates_referred":
        columns += ["Referred by", "Added"]
    elif d.measure in ("candidates_repeat", "candidates_again"):
        columns += ["Placements (team, all time)"]
    else:
        columns += ["Health", "Why", "Last touch"]

    def cells():
        for c in rows:
            row = [
                Cell(str(c), url=c.get_absolute_url(), header=True),
                Cell(str(c.owner)),
                Cell(c.current_title),
            ]
            if d.measure == "candidates_referred":
                row += [Cell(str(c.referrer or "")), Cell(c.created_at.date())]
            elif d.measure in ("candidates_repeat", "candidates_again"):
                row += [Cell(c.n_all)]
            else:
                row += [
                    *_health_cells(c),
                    Cell(c.last_touch.date() if c.last_touch else None),
                ]
            yield row

    return columns, cells()


def _placement_rows(d: Drilldown, rows, today: date):
    columns = [
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
    ]
    cells = (
        [
            Cell(str(p.candidate), url=p.get_absolute_url(), header=True),
            Cell(str(p.client), url=p.client.get_absolute_url()),
            Cell(p.get_placement_type_display()),
            Cell(p.start_date),
            Cell(p.end_date, text=_format(p.end_date) if p.end_date else ""),
            Cell(p.guarantee_ends_on if p.guarantee_days else None),
            Cell(p.fee),
            Cell(p.currency),
            Cell(p.get_status_display()),
            Cell(str(p.recruiter)),
        ]
        for p in rows
    )
    return columns, cells
