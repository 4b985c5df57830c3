"""The team dashboard's figures against the hand-built book in conftest.py: every
figure on the page equals the value worked out by hand below, for each period, and
every number links to a list of exactly that many records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards.cells import Table

pytestmark = pytest.mark.django_db
D = dt.date
URL = reverse("dashboards:team")


def dashboard(client, period: int, **params):
    response = client.get(URL, {"period": period, **params})
    assert response.status_code == 200
    return response


def figures(table: Table) -> dict[str, list]:
    """{row name: [the row's other values]}: what the page and the CSV show."""
    return {
        str(row[0].value): [cell.value for cell in row[1:]]
        for row in [*table.rows, *table.foot]
    }


def names(table: Table) -> list[str]:
    return [str(row[0].value) for row in table.rows]


# Follow-up discipline: open, overdue (now), on time, late, skipped, on-time rate %.
DISCIPLINE = {
    30: {
        "Alice Archer": [4, 2, 2, 1, 1, 66.7],
        "Bob Brennan": [2, 2, 0, 0, 0, None],
        "Total": [6, 4, 2, 1, 1, 66.7],
    },
    90: {
        "Alice Archer": [4, 2, 2, 2, 1, 50.0],
        "Bob Brennan": [2, 2, 1, 0, 0, 100.0],
        "Total": [6, 4, 3, 2, 1, 60.0],
    },
    365: {
        "Alice Archer": [4, 2, 3, 2, 2, 60.0],
        "Bob Brennan": [2, 2, 1, 1, 0, 50.0],
        "Total": [6, 4, 4, 3, 2, 57.1],
    },
}
# The team's weekly on-time rate (%), as the CSV writes it. 30 days: the weeks of
# 19 Oct, 26 Oct, 2 Nov (a6 late), 9 Nov (a5 on time), 16 Nov (a12 on time).
TOTAL_TREND = {
    30: "n/a n/a 0 100 100",
    # From the week of 17 Aug: b2 on time in the week of 31 Aug, a7 late in the
    # week of 5 Oct, then as above.
    90: "n/a n/a 100 n/a n/a n/a n/a 0 n/a n/a n/a 0 100 100",
}
# 365 days: 53 weeks from that of 17 Nov 2025. b3 (late) in the week of 24 Nov 2025,
# a8 (on time) in that of 9 Mar 2026, then the 14 weeks of the 90 days.
TOTAL_TREND[365] = " ".join(
    ["n/a", "0"] + ["n/a"] * 14 + ["100"] + ["n/a"] * 22 + TOTAL_TREND[90].split()
)
# Measure: all time, in the period.
REPEAT = {
    30: {
        "Clients placed with": [5, 3],
        "Clients with two placements or more": [2, 2],
        "Share of repeat clients (%)": [40.0, 66.7],
        "Candidates placed more than once": [1, 1],
    },
    90: {
        "Clients placed with": [5, 4],
        "Clients with two placements or more": [2, 2],
        "Share of repeat clients (%)": [40.0, 50.0],
        "Candidates placed more than once": [1, 1],
    },
}
REPEAT[365] = REPEAT[90]
# Placements, fees.
NEW_VS_REPEAT = {
    30: {
        "New clients": [2, Decimal("15000")],
        "Repeat clients": [2, Decimal("32000")],
        "Total": [4, Decimal("47000")],
    },
    90: {
        "New clients": [3, Decimal("20000")],
        "Repeat clients": [2, Decimal("32000")],
        "Total": [5, Decimal("52000")],
    },
}
NEW_VS_REPEAT[365] = NEW_VS_REPEAT[90]
REFERRALS = {
    30: {
        "Candidates referred": [1],
        "Clients referred": [0],
        "Placements from a referral": [2],
        "Fees from referral placements (GBP)": [Decimal("20000")],
    },
    90: {
        "Candidates referred": [1],
        "Clients referred": [1],
        "Placements from a referral": [2],
        "Fees from referral placements (GBP)": [Decimal("20000")],
    },
}
REFERRALS[365] = REFERRALS[90]
# Who, candidates referred, clients referred, placements from their referrals.
TOP_REFERRERS = {
    30: [("Xavier Test", [1, 0, 1]), ("Hank Hill", [0, 0, 2])],
    90: [("Hank Hill", [0, 1, 2]), ("Xavier Test", [1, 0, 1])],
}
TOP_REFERRERS[365] = TOP_REFERRERS[90]
# Month: new, repeat, total.
MONTHS = {
    30: [("Oct 2026", [2, 0, 2]), ("Nov 2026", [0, 2, 2])],
    90: [
        ("Aug 2026", [0, 0, 0]),
        ("Sep 2026", [1, 0, 1]),
        ("Oct 2026", [2, 0, 2]),
        ("Nov 2026", [0, 2, 2]),
    ],
    365: [
        *[
            (label, [0, 0, 0])
            for label in (
                "Nov 2025",
                "Dec 2025",
                "Jan 2026",
                "Feb 2026",
                "Mar 2026",
                "Apr 2026",
                "May 2026",
                "Jun 2026",
                "Jul 2026",
                "Aug 2026",
            )
        ],
        ("Sep 2026", [1, 0, 1]),
        ("Oct 2026", [2, 0, 2]),
        ("Nov 2026", [0, 2, 2]),
    ],
}


@pytest.mark.parametrize("period", [30, 90, 365])
def test_every_figure_equals_the_hand_count(book, mia, as_user, period):
    tables = dashboard(as_user(mia), period).context["tables"]

    discipline = figures(tables["discipline"])
    assert {name: row[:6] for name, row in discipline.items()} == DISCIPLINE[period]
    assert discipline["Total"][6] == TOTAL_TREND[period]
    assert figures(tables["health"]) == {
        "Clients": [2, 1, 2, 5],
        "Placed candidates": [2, 2, 2, 6],
    }
    assert names(tables["coldest_clients"]) == [
        "=Fir",
        "Elm",
        'Birch, Bolt & "Co"',
        "Acme",
        "Cedar",
    ]
    assert [row[1].value for row in tables["coldest_clients"].rows] == [
        "Cold",
        "Cold",
        "Cooling",
        "Warm",
        "Warm",
    ]
    assert names(tables["coldest_candidates"]) == [
        "Vic Test",
        "Zed Test",
        "Wes Test",
        "Yara Test",
        "Rita Test",
        "Xavier Test",
    ]
    assert figures(tables["dormant"]) == {
        "Elm": ["Alice Archer", D(2026, 5, 1), 1, Decimal("9000")]
    }
    assert tables["dormant"].title == "Dormant clients: 1"
    assert _rounded(figures(tables["repeat"])) == REPEAT[period]
    assert figures(tables["new_vs_repeat"]) == NEW_VS_REPEAT[period]
    assert figures(tables["referrals"]) == REFERRALS[period]
    assert [
        (row[0].value, [cell.value for cell in row[2:]])
        for row in tables["top_referrers"].rows
    ] == TOP_REFERRERS[period]
    assert [
        (row[0].text, [c.value for c in row[1:]])
        for row in tables["placements_by_month"].rows
    ] == MONTHS[period]
    assert figures(tables["contracts_ending"]) == {
        "Zed Test": ['Birch, Bolt & "Co"', D(2026, 12, 31), 41, "Bob Brennan"]
    }
    assert figures(tables["guarantees_ending"]) == {
        "Wes Test": ["Delta", D(2026, 12, 24), 34, "Alice Archer"]
    }
    assert figures(tables["anniversaries"]) == {
        "Vic Test": ["Elm", D(2027, 1, 10), 51, "Alice Archer"]
    }
    assert tables["anniversaries"].rows[0][2].text == "10 Jan 2027 (2 years)"


def _rounded(rows: dict[str, list]) -> dict[str, list]:
    return {
        name: [round(v, 1) if isinstance(v, float) else v for v in values]
        for name, values in rows.items()
    }
