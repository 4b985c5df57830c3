"""Two-factor sign-in in a real browser: an admin signs in with a password, is sent to
set it up, scans (reads) the secret shown on the page into an authenticator app
(pyotp here), confirms with its code, keeps the recovery codes, then signs in again
with a code from the app, and once with a recovery code."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "two-factor-pass-2026"
EMAIL = "ada@example.com"


def user_menu(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "button", name="Ada Admin"
    )


def password_step(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label(re.compile(r"^\s*Email address")).fill(EMAIL)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    user_menu(page).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def code_step(page: Page, code: str) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_label(re.compile(r"^\s*Code")).fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_an_admin_enrols_then_signs_in_with_a_code_and_a_recovery_code(
    page: Page, tmp_path: Path
):
    UserFactory(
        email=EMAIL,
        first_name="Ada",
        last_name="Admin",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        password=PASSWORD,
    )

    # The password is not enough for an admin: the set-up page, and nothing else.
    password_step(page)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_text("Your account needs two-factor sign-in")).to_be_visible()
    page.goto("/clients/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))

    # The QR code is an image made by the server, and it shows.
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)

    page.get_by_label(re.compile("6-digit code")).fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    # After a wrong code the next try waits a second (then 2, 4, 8 ...).
    page.wait_for_timeout(1100)
    page.get_by_label(re.compile("6-digit code")).fill(app.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    # Ten recovery codes, once, with a text file to keep.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a text file").click()
    saved = tmp_path / "codes.txt"
    download.value.save_as(saved)
    assert all(code in saved.read_text() for code in recovery)
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(user_menu(page)).to_be_visible()
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/")
    sign_out(page)

    # Signing in again: password, then the app's code. A code is accepted once: the
    # one the app shows now may be the one used to set it up (same 30 seconds), so
    # the app's next code, which the server accepts a window early, is typed.
    password_step(page)
    code_step(page, app.at(time.time() + app.interval))
    expect(user_menu(page)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    sign_out(page)

    # No phone: a recovery code, which works once.
    password_step(page)
    code_step(page, recovery[0])
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()
    expect(user_menu(page)).to_be_visible()
    sign_out(page)
    password_step(page)
    code_step(page, recovery[0])
    expect(page.get_by_text("That code is not right")).to_be_visible()
