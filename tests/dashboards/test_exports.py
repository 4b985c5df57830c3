"""Every dashboard table and every list behind a figure exports to CSV: the same
rows as the page, formulas neutralised, the rest unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from dashboards.team import MEASURES, TABLES

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


@pytest.mark.parametrize("key", list(TABLES))
def test_each_table_exports_what_the_page_shows(book, mia, as_user, key):
    client = as_user(mia)
    table = client.get(reverse("dashboards:team"), {"period": 30}).context["tables"][
        key
    ]
    exported = rows(
        client.get(reverse("dashboards:export", args=[key]), {"period": 30})
    )
    assert exported[0] == table.columns
    assert len(exported) == 1 + len(table.rows) + len(table.foot)
    for line, row in zip(exported[1:], [*table.rows, *table.foot], strict=True):
        assert line[0] == str(row[0].value).replace("=Fir", "'=Fir")


def test_a_client_named_like_a_formula_is_neutralised_and_others_round_trip(
    book, mia, as_user
):
    exported = rows(
        as_user(mia).get(reverse("dashboards:export", args=["coldest_clients"]))
    )
    assert [line[0] for line in exported[1:]] == [
        "'=Fir",
        "Elm",
        'Birch, Bolt & "Co"',
        "Acme",
        "Cedar",
    ]
    fir = exported[1]
    assert fir[1:4] == ["Cold", "no touch on record", "Bob Brennan"]
    assert fir[4:] == ["", ""]  # never touched, never placed
    elm = exported[2]
    assert elm[4:] == ["2026-05-01", "2025-01-10"]


def test_the_discipline_export_holds_numbers_and_the_weekly_trend(book, mia, as_user):
    exported = rows(
        as_user(mia).get(
            reverse("dashboards:export", args=["discipline"]), {"period": 30}
        )
    )
    assert exported == [
        [
            "Recruiter",
            "Open (now)",
            "Overdue (now)",
            "Done on time",
            "Done late",
            "Skipped",
            "On-time rate (%)",
            "On-time rate by week (%)",
        ],
        ["Alice Archer", "4", "2", "2", "1", "1", "66.7", "n/a n/a 0 100 100"],
        ["Bob Brennan", "2", "2", "0", "0", "0", "", "n/a n/a n/a n/a n/a"],
        ["Total", "6", "4", "2", "1", "1", "66.7", "n/a n/a 0 100 100"],
    ]


@pytest.mark.parametrize("measure", list(MEASURES))
def test_each_list_behind_a_figure_exports_all_its_rows(book, mia, as_user, measure):
    client = as_user(mia)
    page = client.get(reverse("dashboards:drilldown", args=[measure]), {"period": 365})
    exported = rows(
        client.get(
            reverse("dashboards:drilldown_export", args=[measure]), {"period": 365}
        )
    )
    assert exported[0] == page.context["table"].columns
    assert len(exported) - 1 == page.context["paginator"].count
