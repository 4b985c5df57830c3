"""The follow-up engine in a real browser: a recruiter records a placement, sees the
plan's follow-ups on the placement page, marks today's one done from the dashboard
(in place, with htmx), sees it leave the dashboard and finds the call on the
candidate's timeline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import CandidateFactory, ContactFactory, JobFactory, UserFactory

from .test_journey import PASSWORD, field, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recruiter_works_todays_followup_from_the_dashboard(page: Page):
    rita = UserFactory(
        email="rita@example.com",
        first_name="Rita",
        last_name="Ramos",
        time_zone="UTC",
        password=PASSWORD,
    )
    contact = ContactFactory(owner=rita, first_name="Hannah", last_name="Moreau")
    job = JobFactory(
        client=contact.client, owner=rita, hiring_contact=contact, title="Data Analyst"
    )
    CandidateFactory(owner=rita, first_name="Sam", last_name="Okafor")
    # Started yesterday: the "first day" check-in (start + 1) is due today.
    start = rita.local_today() - dt.timedelta(days=1)

    sign_in(page, "rita@example.com", "Rita Ramos")
    page.goto(job.get_absolute_url())
    page.get_by_role("link", name="Record placement").click()
    field(page, "Candidate").select_option(label="Sam Okafor")
    field(page, "Start date").fill(start.isoformat())
    field(page, "Fee").fill("12000")
    field(page, "Status").select_option(label="Active")
    submit(page, "Record placement")
    expect(
        page.get_by_role("status").filter(has_text="Placement recorded.")
    ).to_be_visible()

    # The plan's follow-ups are on the placement page at once.
    followups = page.get_by_role("region", name=re.compile("Follow-ups"))
    expect(followups).to_contain_text("First day check-in")
    expect(followups).to_contain_text("How is the new hire settling?")
    expect(followups.get_by_role("row")).to_have_count(12)  # header + 11 rules

    # Today's one is on the dashboard; mark it done with an outcome, in place.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Today"
    ).click()
    today = page.get_by_role("region", name=re.compile("Due today"))
    card = today.get_by_role("article").filter(has_text="First day check-in")
    expect(card).to_be_visible()
    url_before = page.url
    card.get_by_label("Outcome").select_option(label="Reached")
    card.get_by_label("Note").fill("Great first day, laptop arrived.")
    card.get_by_role("button", name="Done").click()
    expect(page.get_by_role("region", name=re.compile("Due today"))).to_contain_text(
        "Nothing due today."
    )
    assert page.url == url_before  # no page load: htmx swapped the sections

    # The call is on Sam's timeline.
    page.goto(job.placements.get().candidate.get_absolute_url())
    timeline = page.get_by_role("region", name="Activity timeline")
    expect(timeline).to_contain_text("First day check-in: reached")
    expect(timeline).to_contain_text("Great first day, laptop arrived.")
