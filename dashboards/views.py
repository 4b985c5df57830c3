"""The manager dashboards: thin views over `selectors` (scope, period) and `team`
(the sections' figures, tables and lists)."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date

from core.csv_export import csv_response
from followups.health import levels_in_words

from .drilldowns import drilldown_table
from .sections.coming_up import HORIZON_DAYS
from .sections.referrals import parse_referrer
from .selectors import PERIODS, get_scope_for_user, parse_period
from .team import TABLES, TeamFigures, chart_data, drilldown

DRILLDOWN_PAGE = 50


def _figures(request, *, narrow: bool = False) -> TeamFigures:
    """The scope (or 404) and period the request asks for."""
    user = request.user
    scope = get_scope_for_user(user, request.GET.get("team"))
    period = parse_period(
        request.GET.get("period"), today=user.local_today(), tz=user.tzinfo
    )
    if narrow:
        period = period.narrowed(_date(request, "from"), _date(request, "to"))
    return TeamFigures(scope=scope, period=period)


def _date(request, name: str) -> date | None:
    try:
        return parse_date(request.GET.get(name, ""))
    except ValueError:
        return None


def team_dashboard(request):
    figures = _figures(request)
    links = figures.links
    return render(
        request,
        "dashboards/team.html",
        {
            "figures": figures,
            "scope": figures.scope,
            "period": figures.period,
            "periods": [(days, links.dashboard(period=days)) for days in PERIODS],
            "tables": {key: build(figures) for key, build in TABLES.items()},
            "exports": {key: links.export(key) for key in TABLES},
            "charts": chart_data(figures),
            "horizon_days": HORIZON_DAYS,
            "health_levels": levels_in_words("and"),
        },
    )


def team_export(request, table: str):
    figures = _figures(request)
    if table not in TABLES:
        raise Http404("No such table.")
    rows = TABLES[table](figures)
    name = f"{figures.scope.label}-{table}-{figures.period.days}d-{figures.today}"
    return csv_response(name, rows.columns, rows.csv_rows())


def _drilldown(request, measure: str):
    figures = _figures(request, narrow=True)
    user = None
    if request.GET.get("user"):
        user_id = request.GET["user"]
        user = (
            figures.scope.users().filter(pk=user_id).first()
            if user_id.isdecimal()
            else None
        )
        if user is None:
            raise Http404("No one of your team here.")
    referrer = parse_referrer(request.GET.get("referrer"))
    if request.GET.get("referrer") and referrer is None:
        raise Http404("No such referrer.")
    return figures, drilldown(figures, measure, user=user, referrer=referrer)


def drilldown_list(request, measure: str):
    figures, found = _drilldown(request, measure)
    paginator = Paginator(found.queryset, DRILLDOWN_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    links = figures.links
    return render(
        request,
        "dashboards/drilldown.html",
        {
            "figures": figures,
            "scope": figures.scope,
            "period": figures.period,
            "table": drilldown_table(found, page.object_list),
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "export_url": links.drill_export(measure, query.urlencode()),
            "back_url": links.dashboard(),
        },
    )


def drilldown_export(request, measure: str):
    figures, found = _drilldown(request, measure)
    table = drilldown_table(found, found.queryset.iterator(chunk_size=2000))
    name = (
        f"{figures.scope.label}-{measure}-{figures.period.start}-{figures.period.end}"
    )
    return csv_response(name, table.columns, table.csv_rows())
