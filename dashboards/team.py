"""The team dashboard: its sections over one scope and period, and by key their
tables (on the page and as CSV), the lists behind their figures, and the charts."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.http import Http404

from accounts.models import User

from .cells import Table
from .drilldowns import Drilldown
from .figures import Figures, Section
from .sections.coming_up import (
    ComingUpFigures,
    anniversaries_table,
    contracts_ending_table,
    guarantees_ending_table,
)
from .sections.discipline import (
    DisciplineFigures,
    discipline_table,
    on_time_by_week_table,
)
from .sections.health import (
    HealthFigures,
    coldest_candidates_table,
    coldest_clients_table,
    dormant_table,
    health_table,
)
from .sections.referrals import ReferralFigures, referrals_table, top_referrers_table
from .sections.repeat import (
    RepeatFigures,
    new_vs_repeat_table,
    placements_by_month_table,
    repeat_table,
)


class TeamFigures(Figures):
    """Each section is made, and each of its figures read, when first asked for: an
    export of one table runs only that table's queries."""

    @cached_property
    def discipline(self) -> DisciplineFigures:
        return DisciplineFigures(self)

    @cached_property
    def health(self) -> HealthFigures:
        return HealthFigures(self)

    @cached_property
    def repeat(self) -> RepeatFigures:
        return RepeatFigures(self)

    @cached_property
    def referrals(self) -> ReferralFigures:
        return ReferralFigures(self)

    @cached_property
    def coming_up(self) -> ComingUpFigures:
        return ComingUpFigures(self)

    def sections(self) -> list[Section]:
        return [
            self.discipline,
            self.health,
            self.repeat,
            self.referrals,
            self.coming_up,
        ]


TABLES: dict[str, Callable[[TeamFigures], Table]] = {
    "discipline": lambda f: discipline_table(f.discipline),
    "health": lambda f: health_table(f.health),
    "coldest_clients": lambda f: coldest_clients_table(f.health),
    "coldest_candidates": lambda f: coldest_candidates_table(f.health),
    "dormant": lambda f: dormant_table(f.health),
    "repeat": lambda f: repeat_table(f.repeat),
    "new_vs_repeat": lambda f: new_vs_repeat_table(f.repeat),
    "referrals": lambda f: referrals_table(f.referrals),
    "top_referrers": lambda f: top_referrers_table(f.referrals),
    "contracts_ending": lambda f: contracts_ending_table(f.coming_up),
    "guarantees_ending": lambda f: guarantees_ending_table(f.coming_up),
    "anniversaries": lambda f: anniversaries_table(f.coming_up),
    "placements_by_month": lambda f: placements_by_month_table(f.repeat),
    "on_time_by_week": lambda f: on_time_by_week_table(f.discipline),
}

# Every list behind a figure: measure -> the kind of record it lists.
MEASURES: dict[str, str] = {
    **DisciplineFigures.MEASURES,
    **HealthFigures.MEASURES,
    **RepeatFigures.MEASURES,
    **ReferralFigures.MEASURES,
    **ComingUpFigures.MEASURES,
}


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
    if referrer is not None and measure not in ReferralFigures.MEASURES:
        raise Http404("No such list.")
    if user is not None:
        return figures.discipline.drilldown(measure, user=user)
    if referrer is not None:
        return figures.referrals.drilldown(measure, referrer=referrer)
    section = next(s for s in figures.sections() if measure in s.MEASURES)
    return section.drilldown(measure)


def chart_data(f: TeamFigures) -> dict[str, Any]:
    """What the three charts draw; the tables are their text versions."""
    return {
        "placements": f.repeat.chart(),
        "on_time": f.discipline.chart(),
        "health": f.health.chart(),
    }
