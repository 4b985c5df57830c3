"""Playwright in Debian's Chromium, against pytest-django's live server.

Playwright's sync API runs an asyncio event loop in this thread, so Django's
"you are in an async context" guard would refuse the ORM calls a journey makes to
set up its user and the flush after it; the live server runs in its own thread.
DJANGO_ALLOW_ASYNC_UNSAFE lifts that guard only while a browser is open: set for the
whole process it would leak into every subprocess a test starts, and
`manage.py check --deploy` rightly fails when it sees it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous for a cold live server on a loaded CI machine, short enough to fail fast.
TIMEOUT_MS = 15_000
# Every page of every journey reports what the Content-Security-Policy refused.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: document.location.pathname + document.location.search,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def open_page(browser, base_url: str):
    """A fresh browser context (no cookies) and a page in it, whose
    `page.csp_violations` lists what the Content-Security-Policy refused."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(TIMEOUT_MS)
    violations: list[dict] = []
    context.expose_function("__cspViolation", lambda v: violations.append(v))
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.csp_violations = violations
    return context, page


@pytest.fixture
def page(browser, live_server, plans):
    context, page = open_page(browser, live_server.url)
    yield page
    context.close()
    assert not page.csp_violations, (
        f"the Content-Security-Policy refused: {page.csp_violations}"
    )
