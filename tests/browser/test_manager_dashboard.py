"""A manager's journey in a real browser: open the team dashboard, switch the period,
see the charts drawn, and follow an overdue count to the recruiter's overdue list."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from followups.models import FollowUp
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    PlacementFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "dashboard-pass-2026"
CHARTS = ("chart-on-time", "chart-health", "chart-placements")


def build_team(today: dt.date) -> tuple[User, User]:
    team = TeamFactory(name="North team")
    mia = UserFactory(
        email="mia@example.com",
        first_name="Mia",
        last_name="Morgan",
        role=User.Role.MANAGER,
        password=PASSWORD,
    )
    team.managers.add(mia)
    alice = UserFactory(first_name="Alice", last_name="Archer", time_zone="UTC")
    bob = UserFactory(first_name="Bob", last_name="Brennan", time_zone="UTC")
    team.members.add(alice, bob)
    contact = ContactFactory(client=ClientFactory(name="Acme", owner=alice))

    def followup(user, days_ago: int, **extra):
        due = today - dt.timedelta(days=days_ago)
        FollowUp.objects.create(
            assigned_to=user,
            title=f"Call {user.first_name} {days_ago}",
            contact=contact,
            client=contact.client,
            due_date=due,
            original_due_date=due,
            **extra,
        )

    followup(alice, 3)  # overdue
    followup(alice, 10)  # overdue
    followup(alice, -5)  # next week
    followup(bob, 4)  # overdue
    for days_ago, done_after in ((5, 0), (12, 2), (20, 0), (40, 1)):
        done = today - dt.timedelta(days=days_ago - done_after)
        followup(
            alice,
            days_ago,
            status="done",
            completed_on=done,
            completed_at=dt.datetime.combine(done, dt.time(12), tzinfo=dt.UTC),
        )
    # Placements over the last months, at new and repeat clients.
    for days_ago, client in ((10, "Acme"), (45, "Acme"), (70, "Birch"), (200, "Acme")):
        existing = ClientFactory._meta.model.objects.filter(name=client).first()
        PlacementFactory(
            job__client=existing or ClientFactory(name=client, owner=bob),
            job__owner=alice,
            start_date=today - dt.timedelta(days=days_ago),
            fee=Decimal("10000"),
        )
    ActivityFactory(by=alice, candidate=None, contact=contact, client=contact.client)
    return mia, alice


def sign_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^\s*Email address")).fill("mia@example.com")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role(
            "button", name="Mia Morgan"
        )
    ).to_be_visible()


def drawn(page: Page, canvas_id: str) -> dict:
    """What Chart.js made of a canvas: its size, how many labels, and whether it
    holds more than a blank canvas of the same size."""
    return page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            const chart = window.Chart && Chart.getChart(canvas);
            const blank = document.createElement("canvas");
            blank.width = canvas.width;
            blank.height = canvas.height;
            return {
                chart: Boolean(chart),
                width: canvas.width,
                height: canvas.height,
                labels: chart ? chart.data.labels.length : 0,
                painted: canvas.toDataURL().length > blank.toDataURL().length + 500,
            };
        }""",
        canvas_id,
    )


def expect_charts_drawn(page: Page) -> dict[str, dict]:
    result = {}
    for canvas_id in CHARTS:
        page.wait_for_function(
            "(id) => window.Chart && Chart.getChart(document.getElementById(id))",
            arg=canvas_id,
        )
        state = drawn(page, canvas_id)
        assert state["chart"] and state["painted"], (canvas_id, state)
        assert state["width"] > 0 and state["height"] > 0, (canvas_id, state)
        result[canvas_id] = state
    return result


def test_a_manager_reads_the_dashboard_and_opens_the_overdue_list(page: Page):
    today = dt.datetime.now(dt.UTC).date()
    _, alice = build_team(today)

    sign_in(page)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Team dashboard"
    ).click()
    expect(
        page.get_by_role("heading", level=1, name="Team dashboard: North team")
    ).to_be_visible()
    periods = page.get_by_role("navigation", name="Period")
    expect(periods.get_by_role("link", name="90 days")).to_have_attribute(
        "aria-current", "page"
    )
    charts = expect_charts_drawn(page)
    assert charts["chart-placements"]["labels"] == 4  # months of the 90 days

    # Each chart has its figures as a table, for screen readers and everyone.
    page.get_by_text("Show as a table").first.click()
    expect(page.locator('table[data-table="on_time_by_week"]')).to_be_visible()

    # The last 30 days: fewer months, the charts drawn again.
    periods.get_by_role("link", name="30 days").click()
    expect(page).to_have_url(re.compile(r"period=30"))
    expect(periods.get_by_role("link", name="30 days")).to_have_attribute(
        "aria-current", "page"
    )
    charts = expect_charts_drawn(page)
    assert charts["chart-placements"]["labels"] in (1, 2)

    # Alice's overdue count opens her overdue follow-ups.
    discipline = page.locator('table[data-table="discipline"]')
    alice_row = discipline.get_by_role("row").filter(has_text="Alice Archer")
    overdue = alice_row.get_by_role("link", name=re.compile(r"Overdue \(now\)"))
    expect(overdue).to_contain_text("2")
    overdue.click()
    expect(page).to_have_url(
        re.compile(rf"/followups/\?user={alice.pk}&status=open&due_to=")
    )
    expect(
        page.get_by_role("heading", level=1, name="Follow-ups of Alice Archer")
    ).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("(overdue)")
