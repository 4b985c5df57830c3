"""Bringing a book in, in a real browser: a manager uploads a spreadsheet export,
fixes the columns the guess missed, reads the dry run, confirms, and finds the
records in the candidate list."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from clients.models import Candidate
from tests.factories import UserFactory

from .test_journey import PASSWORD, field, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def spreadsheet() -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(
        [
            ["Full Name", "E-mail", "Cell no.", "Town"],
            ["Zoë Adams", "zoe@example.com", "+44 7700 900001", "Leeds"],
            ["Bo Ray", "bo@example.com", "07700 900002", "York"],
            ["Cy Day", "cy@", "", "Hull"],
        ]
    )
    return out.getvalue().encode("cp1252")


def test_a_manager_imports_candidates_from_a_spreadsheet(
    page: Page, settings, tmp_path
):
    settings.IMPORTS_DIR = tmp_path
    UserFactory(
        email="ivy@example.com",
        first_name="Ivy",
        last_name="Imports",
        role=User.Role.MANAGER,
        password=PASSWORD,
    )
    sign_in(page, "ivy@example.com", "Ivy Imports")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Import"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Import")).to_be_visible()
    field(page, "What the file holds").select_option("candidates")
    field(page, "File").set_input_files(
        {"name": "old-crm.csv", "mimeType": "text/csv", "buffer": spreadsheet()}
    )
    submit(page, "Upload and choose the columns")

    # The guess: name and email from their headers; the other two it cannot tell.
    expect(
        page.get_by_role("heading", name="Choose the columns of old-crm.csv")
    ).to_be_visible()
    expect(page.get_by_text("separated by semicolons")).to_be_visible()
    expect(page.get_by_label("Field for column Full Name")).to_have_value("full_name")
    expect(page.get_by_label("Field for column E-mail")).to_have_value("email")
    expect(page.get_by_label("Field for column Cell no.")).to_have_value("")
    page.get_by_label("Field for column Cell no.").select_option("phone")
    page.get_by_label("Field for column Town").select_option("city")
    field(page, "Save this mapping as").fill("Old CRM")
    submit(page, "Check the file (dry run)")

    # The dry run: counts, and the row that is wrong, in words. Nothing written.
    expect(
        page.get_by_role("heading", name="Dry run: nothing has been written yet")
    ).to_be_visible()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("email 'cy@' is not an email address")
    expect(errors.get_by_role("cell", name="4", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    assert not Candidate.objects.exists()

    # Fix the file, upload it again: the saved mapping does the columns.
    fixed = spreadsheet().replace(b"cy@;", b"cy@example.com;")
    page.get_by_role("link", name="Upload another file").click()
    field(page, "What the file holds").select_option("candidates")
    field(page, "File").set_input_files(
        {"name": "old-crm.csv", "mimeType": "text/csv", "buffer": fixed}
    )
    submit(page, "Upload and choose the columns")
    page.get_by_label("Use a saved mapping").select_option(label="Old CRM")
    submit(page, "Use it")
    expect(page.get_by_label("Field for column Cell no.")).to_have_value("phone")
    submit(page, "Check the file (dry run)")

    counts = page.locator("#import-counts")
    expect(counts).to_contain_text("3 to create")
    expect(counts).to_contain_text("0 with errors")
    assert not Candidate.objects.exists()
    submit(page, "Import 3 rows")

    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    expect(counts).to_contain_text("3 created")
    page.get_by_role("link", name="See the candidates").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Zoë Adams")).to_be_visible()
    expect(table.get_by_role("link", name="Bo Ray")).to_be_visible()
    expect(table.get_by_role("link", name="Cy Day")).to_be_visible()
    zoe = Candidate.objects.get(email="zoe@example.com")
    assert (zoe.phone, zoe.city) == ("+44 7700 900001", "Leeds")
