"""Every page a user can reach from the navigation, in a real browser, under the
Content-Security-Policy: signed in as a recruiter, a manager and an admin of the demo
agency (`seed_demo`), follow same-origin links breadth first from the home page and
fail on any policy violation, console error or uncaught exception, and on any link
that answers 404 or 500 (a link the product shows never leads to a dead end).

Also the behaviours that moved from inline handlers and styles to static/js/app.js
and app.css, and htmx under the policy."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pyotp
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.rules import must_use_two_factor
from demo.data import ADMIN_EMAIL, DEMO_PASSWORD
from followups.email_actions import action_url, unsubscribe_url
from followups.models import EmailActionUse, EmailDelivery, FollowUp
from imports import services
from imports.models import ImportJob
from tests.factories import ClientFactory, ContactFactory

from .conftest import open_page
from .test_journey import field as form_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_PERSONA = 60
MAX_DEPTH = 3
# Pages of one shape (/clients/12/ and /clients/13/; a list sorted two ways) look
# alike to the policy: a few of each leave room for every kind of page.
PER_SHAPE = 2
# The admin is Django's own: its index and the model lists and add forms it links
# to directly.
ADMIN_PAGES = 20
# Downloads (CSV exports, the calendar feed) are not pages: asked for over HTTP
# with the same session, for their status only, a few of each shape.
DOWNLOADS = 8

# The test personas' password (tests/factories.py).
PASSWORD = "pw-for-tests-1"
PERSONAS = {
    "recruiter": ("alice@demo.agency", "Alice Archer"),
    "manager": ("mia@demo.agency", "Mia Morgan"),
    "admin": (ADMIN_EMAIL, "Ada Admin"),
}


@dataclass
class Crawl:
    origin: str
    visited: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def is_download(url: str) -> bool:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return "export" in query or parts.path.endswith((".csv", ".ics"))


def watch(page: Page, crawl: Crawl) -> None:
    """Console errors and uncaught exceptions, with the page they happened on.
    (Policy violations are recorded by the page fixture, see conftest.py.)"""

    def on_console(message) -> None:
        if message.type == "error":
            crawl.problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on(
        "pageerror",
        lambda error: crawl.problems.append(f"uncaught error on {page.url}: {error}"),
    )

    # A page's own files (scripts, styles, images, htmx requests) must load too;
    # the pages themselves are checked where they are visited.
    def on_response(response) -> None:
        if response.request.is_navigation_request():
            return
        if response.url.startswith(crawl.origin) and response.status >= 400:
            crawl.broken.append(f"{response.status} {response.url} (on {page.url})")

    page.on("response", on_response)


def links_on(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        if not href.startswith(origin + "/"):
            continue  # mailto:, tel:, other sites
        parts = urlsplit(href)
        found.append(urlunsplit(parts._replace(fragment="")))
    return found


def allowed(url: str, origin: str, came_from: str) -> bool:
    path = urlsplit(url).path
    if path.startswith("/accounts/logout"):
        return False
    if path.startswith("/admin/"):
        # The admin index and the model lists and add forms it links to, no deeper.
        return path == "/admin/" or (
            urlsplit(came_from).path == "/admin/"
            and re.fullmatch(r"/admin/\w+/\w+/(add/)?", path) is not None
        )
    return True


def path_shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl_as(page: Page, origin: str) -> Crawl:
    crawl = Crawl(origin=origin)
    watch(page, crawl)
    # Links to a kind of page not seen yet go first (a new path shape), then the
    # rest in the order found: breadth first, but every kind of page before the
    # 20th client.
    fresh: deque[tuple[str, int, str]] = deque([(origin + "/", 0, "the start")])
    rest: deque[tuple[str, int, str]] = deque()
    queued = {origin + "/"}
    fresh_shapes = {path_shape(origin + "/")}
    shapes: Counter[str] = Counter()
    download_shapes: Counter[str] = Counter()
    app_pages = admin_pages = 0
    while fresh or rest:
        url, depth, came_from = (fresh or rest).popleft()
        if is_download(url):
            if len(crawl.downloads) < DOWNLOADS and download_shapes[shape(url)] < 2:
                download_shapes[shape(url)] += 1
                response = page.request.get(url)
                crawl.downloads.append(url)
                if response.status >= 400:
                    crawl.broken.append(
                        f"{response.status} {url} (linked from {came_from})"
                    )
            continue
        if shapes[shape(url)] >= PER_SHAPE:
            continue
        is_admin = urlsplit(url).path.startswith("/admin/")
        if admin_pages >= ADMIN_PAGES if is_admin else app_pages >= PAGES_PER_PERSONA:
            continue
        shapes[shape(url)] += 1
        admin_pages += is_admin
        app_pages += not is_admin
        response = page.goto(url)
        page.wait_for_load_state("load")
        crawl.visited.append(url)
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            crawl.broken.append(f"{status} {url} (linked from {came_from})")
            continue
        if depth >= MAX_DEPTH:
            continue
        for link in links_on(page, origin):
            if link not in queued and allowed(link, origin, url):
                queued.add(link)
                if path_shape(link) in fresh_shapes:
                    rest.append((link, depth + 1, url))
                else:
                    fresh_shapes.add(path_shape(link))
                    fresh.append((link, depth + 1, url))
    return crawl


def sign_in(page: Page, email: str, name: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a person would: the password, then, for whoever must use
    two-factor sign-in (admins), a code from their authenticator app (pyotp)."""
    user = User.objects.get(email__iexact=email)
    app = None
    if must_use_two_factor(user, agency_requires=False):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Crawl"}
        )
        app = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^\s*Email address")).fill(email)
    page.get_by_label(re.compile(r"^\s*Password")).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if app is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        page.get_by_label(re.compile(r"^\s*Code")).fill(app.now())
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name=name)
    ).to_be_visible()


def test_every_page_each_persona_reaches_is_clean_under_the_policy(
    browser, live_server, plans
):
    # One test for the three personas: the demo agency takes long to seed, and a
    # test with a live server starts from an empty database.
    call_command("seed_demo", verbosity=0)
    failures = []
    for persona, (email, name) in PERSONAS.items():
        context, page = open_page(browser, live_server.url)
        try:
            sign_in(page, email, name)
            crawl = crawl_as(page, live_server.url)
        finally:
            context.close()
        failures += [f"{persona}: {problem}" for problem in check(persona, crawl)]
        failures += [
            f"{persona}: the policy refused {violation}"
            for violation in page.csp_violations
        ]
    assert not failures, "\n".join(failures)


def check(persona: str, crawl: Crawl) -> list[str]:
    """What is wrong with one persona's crawl: broken links, errors, and pages it
    should have reached (so that a crawl that stopped early does not pass)."""
    visited = {urlsplit(url).path for url in crawl.visited}
    expected = {"/", "/followups/", "/clients/", "/contacts/", "/candidates/"}
    expected |= {"/jobs/", "/placements/", "/accounts/profile/"}
    if persona in {"manager", "admin"}:
        expected |= {"/team/", "/plans/", "/imports/"}
    if persona == "admin":
        expected.add("/admin/")
    problems = [f"never reached {path}" for path in sorted(expected - visited)]
    kinds = ["clients", "candidates", "contacts", "placements", "jobs"]
    if persona == "recruiter":
        kinds.append("followups")  # a manager's own list is empty in the demo
    for kind in kinds:
        if not any(re.fullmatch(rf"/{kind}/\d+/", path) for path in visited):
            problems.append(f"reached no /{kind}/<id>/ page")
    if persona == "recruiter" and visited & {"/team/", "/plans/", "/admin/"}:
        problems.append("a recruiter was shown a manager's or admin's page")
    if persona == "manager" and "/admin/" in visited:
        problems.append("a manager was shown the admin")
    if persona == "admin" and not any(
        path.startswith("/admin/") and path != "/admin/" for path in visited
    ):
        problems.append("no admin page past its index")
    if len(crawl.visited) < 30:
        problems.append(f"only {len(crawl.visited)} pages: {crawl.visited}")
    if not crawl.downloads:
        problems.append("no export link was followed")
    return problems + crawl.broken + crawl.problems


# The behaviours that moved out of inline handlers and styles into static/js/app.js.


def test_choosing_a_team_member_submits_the_form(page: Page, mia, alice, bob):
    sign_in(page, mia.email, str(mia), PASSWORD)
    page.goto("/followups/")
    page.get_by_label("Show the list of").select_option(str(bob.pk))
    expect(page).to_have_url(re.compile(rf"/followups/\?user={bob.pk}$"))
    expect(
        page.get_by_role("heading", level=1, name="Follow-ups of Bob Brennan")
    ).to_be_visible()


def test_choosing_a_team_on_the_dashboard_submits_the_form(
    page: Page, ada, alice, carol
):
    sign_in(page, ada.email, str(ada), PASSWORD)
    page.goto("/team/")
    page.get_by_label("Team", exact=True).select_option(label="Team B")
    expect(page).to_have_url(re.compile(r"/team/\?team=\d+&period=\d+$"))
    expect(
        page.get_by_role("heading", level=1, name="Team dashboard: Team B")
    ).to_be_visible()
    # Chart.js draws under the policy.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('chart-health'))"
    )


def test_a_click_selects_the_calendar_address(page: Page, alice):
    sign_in(page, alice.email, str(alice), PASSWORD)
    page.goto("/accounts/profile/")
    address = page.get_by_label("Calendar address")
    address.click()
    selected = address.evaluate(
        "input => input.value.substring(input.selectionStart, input.selectionEnd)"
    )
    assert selected.endswith(".ics") and selected == address.input_value()


def test_snooze_acts_in_place_under_the_policy(page: Page, alice):
    contact = ContactFactory(client=ClientFactory(name="Acme", owner=alice))
    today = alice.local_today()
    followup = FollowUp.objects.create(
        assigned_to=alice,
        title="Call Acme",
        contact=contact,
        client=contact.client,
        due_date=today,
        original_due_date=today,
    )
    sign_in(page, alice.email, str(alice), PASSWORD)
    card = page.locator(f"#followup-{followup.pk}")
    expect(card).to_be_visible()
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    card.get_by_role("button", name="Next week").click()
    expect(page.locator("#action-status")).to_contain_text("Snoozed")
    expect(card).to_contain_text("snoozed; first due")
    followup.refresh_from_db()
    assert followup.due_date == today + dt.timedelta(days=7)
    # In place: htmx swapped the sections, the page did not load again.
    assert loads == []


def test_the_import_progress_bar_is_drawn_and_polls(
    page: Page, mia, tmp_path, settings
):
    settings.IMPORTS_DIR = tmp_path
    job = services.import_job_create(
        by=mia,
        kind="candidates",
        file=SimpleUploadedFile(
            "big.csv", b"Full Name,E-mail\nAnn Lee,ann@example.com\n"
        ),
    )
    # A worker is half-way through it (no worker runs here: the test moves it on).
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, total_rows=200, processed_rows=50
    )
    sign_in(page, mia.email, str(mia), PASSWORD)
    page.goto(f"/imports/{job.pk}/")
    bar = page.locator("#import-progress .progress-bar")
    expect(bar).to_have_text("25%")
    track = page.locator("#import-progress .progress").bounding_box()
    assert abs(bar.bounding_box()["width"] - track["width"] * 0.25) < 2

    # The next poll brings the new figure, and the bar follows.
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=150)
    expect(page.locator("#import-progress")).to_contain_text("150 of 200 rows")
    expect(bar).to_have_text("75%")
    page.wait_for_function(
        "() => document.querySelector('#import-progress .progress-bar').style.width"
        " === '75%'"
    )
    assert abs(bar.bounding_box()["width"] - track["width"] * 0.75) < 2


def test_the_pages_seen_without_signing_in_are_clean_under_the_policy(
    page: Page, live_server, alice, mailoutbox
):
    """Sign-in, password reset, the pages of the links in a digest, a 404 and a
    form sent without its CSRF token: none signed in, all under the policy."""
    crawl = Crawl(origin=live_server.url)
    watch(page, crawl)

    # The password reset, from the sign-in page to a new password.
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label(re.compile(r"^\s*Email")).fill(alice.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(re.compile(r"/accounts/password_reset/done/$"))
    (email,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", email.body).group(0)
    page.goto(urlsplit(link).path)
    form_field(page, "New password").fill("A-new-pass-2026!")
    form_field(page, "New password confirmation").fill("A-new-pass-2026!")
    page.get_by_role("button", name="Set password").click()
    expect(page).to_have_url(re.compile(r"/accounts/reset/done/$"))

    # A digest's "snooze" link: the page that asks, the one that confirms, undo.
    contact = ContactFactory(client=ClientFactory(name="Acme", owner=alice))
    today = alice.local_today()
    followup = FollowUp.objects.create(
        assigned_to=alice,
        title="Call Acme",
        contact=contact,
        client=contact.client,
        due_date=today,
        original_due_date=today,
    )
    snooze = action_url(followup=followup, action=EmailActionUse.Action.SNOOZE)
    page.goto(urlsplit(snooze).path)
    page.get_by_role("button").filter(has_text="Snooze").click()
    undo = page.get_by_role("link", name="Undo")
    expect(undo).to_be_visible()
    # Links in emails' pages are absolute, from SITE_URL: follow its path here.
    page.goto(urlsplit(undo.get_attribute("href")).path)
    expect(page.get_by_role("button", name=re.compile("Undo"))).to_be_visible()
    page.goto(
        urlsplit(unsubscribe_url(user=alice, kind=EmailDelivery.Kind.DAILY_DIGEST)).path
    )
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()

    # A 404, and a form sent without its CSRF cookie (a page of ours, not Django's).
    assert page.goto("/no-such-page/").status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label(re.compile(r"^\s*Email address")).fill(alice.email)
    page.get_by_label(re.compile(r"^\s*Password")).fill("A-new-pass-2026!")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()

    # The browser logs the 404 and the 403 it was asked for; nothing else.
    expected = re.compile(r"Failed to load resource: .*status of (403|404)")
    unexpected = [p for p in crawl.problems if not expected.search(p)]
    assert not unexpected, "\n".join(unexpected)
    assert len(crawl.problems) == 2, crawl.problems
