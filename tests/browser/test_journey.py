"""The core journey in a real browser: a recruiter signs in, builds a small book of
business through the forms, records a placement from the job page and finds it on
the candidate's page. It also saves the README's screenshot."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-pass-2026"
# The README's screenshot is refreshed on demand (UPDATE_SCREENSHOT=1 make test), so
# that an ordinary test run leaves the work tree clean.
SCREENSHOT = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
    if os.environ.get("UPDATE_SCREENSHOT")
    else Path(tempfile.gettempdir()) / "crm-journey-screenshot.png"
)


def js_escape(text: str) -> str:
    """re.escape, minus its escaped spaces, which JavaScript's regexes reject."""
    return re.escape(text).replace("\\ ", " ")


def field(page: Page, label: str):
    """A form field by its visible label; crispy-forms appends "*" to required ones."""
    return page.get_by_label(re.compile(rf"^\s*{js_escape(label)}\s*\*?\s*$"))


def submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def heading(page: Page, text: str):
    return page.get_by_role("heading", level=1, name=re.compile(js_escape(text)))


def sign_in(page: Page, email: str, name: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    field(page, "Email address").fill(email)
    field(page, "Password").fill(PASSWORD)
    submit(page, "Sign in")
    # Signed in: the navigation bar's user menu carries the user's name.
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name=name)
    ).to_be_visible()


def test_a_recruiter_records_a_placement_and_sees_it_on_the_candidate(page: Page):
    UserFactory(
        email="rita@example.com",
        first_name="Rita",
        last_name="Ramos",
        time_zone="Europe/London",
        password=PASSWORD,
    )
    # Only typed into a date field and read back, so the machine's date will do.
    start = dt.date.today() + dt.timedelta(days=14)  # noqa: DTZ011

    sign_in(page, "rita@example.com", "Rita Ramos")

    # A client, from the navigation bar.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Clients"
    ).click()
    page.get_by_role("link", name="New client").click()
    field(page, "Name").fill("Northwind Analytics")
    field(page, "Industry").fill("Software")
    field(page, "City").fill("Leeds")
    field(page, "Country").fill("United Kingdom")
    submit(page, "Create")
    expect(
        page.get_by_role("status").filter(has_text="Client created.")
    ).to_be_visible()
    expect(heading(page, "Northwind Analytics")).to_be_visible()
    client_url = page.url

    # A contact at that client: the client's page preselects it.
    page.get_by_role("link", name="Add contact").click()
    expect(field(page, "Client").locator("option:checked")).to_have_text(
        "Northwind Analytics"
    )
    field(page, "First name").fill("Hannah")
    field(page, "Last name").fill("Moreau")
    field(page, "Job title").fill("Head of Engineering")
    field(page, "Email").fill("hannah.moreau@northwind.example")
    submit(page, "Create")
    expect(heading(page, "Hannah Moreau")).to_be_visible()

    # A candidate.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Candidates"
    ).click()
    page.get_by_role("link", name="New candidate").click()
    field(page, "First name").fill("Sam")
    field(page, "Last name").fill("Okafor")
    field(page, "Email").fill("sam.okafor@example.net")
    field(page, "Current title").fill("Senior Data Engineer")
    field(page, "City").fill("Manchester")
    submit(page, "Create")
    expect(heading(page, "Sam Okafor")).to_be_visible()
    candidate_url = page.url

    # A job for the client, with the contact as hiring contact.
    page.goto(client_url)
    page.get_by_role("link", name="Add job").click()
    field(page, "Client").select_option(label="Northwind Analytics")
    field(page, "Title").fill("Data Platform Lead")
    field(page, "Hiring contact").select_option(label="Hannah Moreau")
    field(page, "Location").fill("Leeds, hybrid")
    submit(page, "Create")
    expect(heading(page, "Data Platform Lead")).to_be_visible()
    expect(page.get_by_role("link", name="Hannah Moreau")).to_be_visible()

    # The placement, from the job page: job and hiring contact come prefilled.
    page.get_by_role("link", name="Record placement").click()
    expect(heading(page, "Record a placement")).to_be_visible()
    expect(field(page, "Job").locator("option:checked")).to_have_text(
        "Data Platform Lead at Northwind Analytics"
    )
    expect(field(page, "Contact").locator("option:checked")).to_have_text(
        "Hannah Moreau"
    )
    field(page, "Candidate").select_option(label="Sam Okafor")
    field(page, "Type").select_option(label="Permanent")
    field(page, "Start date").fill(start.isoformat())
    field(page, "Fee").fill("18500")
    submit(page, "Record placement")
    expect(
        page.get_by_role("status").filter(has_text="Placement recorded.")
    ).to_be_visible()
    expect(heading(page, "Sam Okafor at Northwind Analytics")).to_be_visible()
    expect(page.get_by_text("GBP 18500.00")).to_be_visible()

    # The candidate's page lists it.
    page.goto(candidate_url)
    placements = page.get_by_role("region", name="Placements")
    row = placements.get_by_role("row").filter(has_text="Data Platform Lead")
    expect(row).to_contain_text("Northwind Analytics")
    expect(row).to_contain_text("Permanent")
    expect(row).to_contain_text(f"{start.day} {start:%b %Y}")
    expect(row).to_contain_text("Pending start")
    # ...and its follow-up plan is already applied: the first check-in is the day
    # after the start.
    first_day = start + dt.timedelta(days=1)
    expect(page.get_by_role("region", name="Open follow-ups")).to_contain_text(
        f"due {first_day.day} {first_day:%b %Y}"
    )

    # Log a call about it, so the relationship has a history.
    page.get_by_role("link", name="Log activity").click()
    field(page, "Kind").select_option(label="Call")
    field(page, "About placement").select_option(index=1)
    field(page, "Subject").fill("Offer accepted")
    field(page, "Note").fill("Sam accepted; starts in two weeks. Call on day one.")
    submit(page, "Log activity")
    timeline = page.get_by_role("region", name="Activity timeline")
    expect(timeline).to_contain_text("Offer accepted")

    # The client's page gathers it all: contact, job, placement and the call.
    page.goto(client_url)
    expect(page.get_by_role("region", name="Contacts")).to_contain_text("Hannah Moreau")
    expect(page.get_by_role("region", name="Placements")).to_contain_text("Sam Okafor")
    expect(page.get_by_role("region", name="Timeline")).to_contain_text(
        "Offer accepted"
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
