"""Every number on the dashboard links to the list behind it, and that list holds
exactly as many records as the number says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def linked_counts(tables):
    """(table, row, column, count, url) for every linked whole number."""
    for table in tables.values():
        for row in [*table.rows, *table.foot]:
            for column, cell in zip(table.columns, row, strict=False):
                if (
                    cell.url
                    and isinstance(cell.value, int)
                    and not isinstance(cell.value, bool)
                ):
                    yield table.key, row[0].text, column, cell.value, cell.url


@pytest.mark.parametrize("period", [30, 90, 365])
def test_every_count_opens_a_list_of_that_many_records(book, mia, as_user, period):
    client = as_user(mia)
    tables = client.get(reverse("dashboards:team"), {"period": period}).context[
        "tables"
    ]
    checked = 0
    for table, row, column, count, url in linked_counts(tables):
        response = client.get(url)
        assert response.status_code == 200, (table, row, column, url)
        assert response.context["paginator"].count == count, (
            table,
            row,
            column,
            url,
        )
        checked += 1
    # Discipline 3 rows x 5, health 2 x 4, repeat 6, new/repeat 3, referrals 3,
    # top referrers 2 x 3, months, weeks x 2: every one was followed.
    assert checked > 50


def test_fees_and_rates_link_to_the_same_lists_as_their_counts(book, mia, as_user):
    tables = as_user(mia).get(reverse("dashboards:team")).context["tables"]
    for key in ("new_vs_repeat", "repeat", "referrals", "discipline"):
        for row in [*tables[key].rows, *tables[key].foot]:
            for cell in row[1:]:
                if cell.spark is None and (
                    isinstance(cell.value, Decimal | float)
                    or cell.text.endswith("%")
                    or cell.text == "—"
                ):
                    assert cell.url, (key, row[0].text)


def test_the_overdue_count_opens_the_recruiters_own_overdue_list(
    book, mia, bob, as_user
):
    client = as_user(mia)
    tables = client.get(reverse("dashboards:team")).context["tables"]
    bob_row = next(r for r in tables["discipline"].rows if r[0].text == str(bob))
    overdue = bob_row[2]
    # Bob lives at UTC+14: on 20 November 10:00 UTC his today is the 21st, so what
    # fell due on the 20th is overdue, and his list shows it.
    assert overdue.url == (
        f"{reverse('followups:followup_list')}?user={bob.pk}&status=open"
        "&due_to=2026-11-20"
    )
    page = client.get(overdue.url)
    assert {f.title for f in page.context["object_list"]} == {
        "Follow-up b1",
        "Follow-up b4",
    }


def test_done_on_time_and_late_filters_on_the_follow_up_list(book, mia, alice, as_user):
    client = as_user(mia)
    url = reverse("followups:followup_list")
    base = {
        "user": alice.pk,
        "status": "done",
        "done_from": "2026-08-23",
        "done_to": "2026-11-20",
    }
    titles = {
        timing: {
            f.title
            for f in client.get(url, {**base, "timing": timing}).context["object_list"]
        }
        for timing in ("on_time", "late")
    }
    assert titles == {
        "on_time": {"Follow-up a5", "Follow-up a12"},
        # a7 was snoozed and done before the snoozed date, but after the first.
        "late": {"Follow-up a6", "Follow-up a7"},
    }


def test_a_chart_month_narrows_the_list_to_that_month(book, mia, as_user):
    client = as_user(mia)
    url = reverse("dashboards:drilldown", args=["placements_new"])
    page = client.get(url, {"period": 90, "from": "2026-10-01", "to": "2026-10-31"})
    assert page.context["paginator"].count == 2
    # Never beyond the period, whatever the query string says.
    page = client.get(url, {"period": 30, "from": "2020-01-01", "to": "2030-01-01"})
    assert page.context["period"].start.isoformat() == "2026-10-22"
    assert page.context["paginator"].count == 2


def test_a_top_referrers_numbers_open_what_they_referred(book, mia, as_user):
    client = as_user(mia)
    hank = book.contacts["acme"]
    url = reverse("dashboards:drilldown", args=["placements_referral"])
    page = client.get(url, {"period": 90, "referrer": f"contact:{hank.pk}"})
    assert page.status_code == 200
    assert {str(p.candidate) for p in page.context["page_obj"]} == {
        "Xavier Test",
        "Rita Test",
    }
    assert "through Hank Hill" in page.content.decode()
    for bad in ("contact:999999", "client:1", "nonsense"):
        assert client.get(url, {"referrer": bad}).status_code == 404
