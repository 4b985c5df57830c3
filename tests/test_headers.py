"""Security headers on every kind of page: a strict Content-Security-Policy (no
'unsafe-inline' or 'unsafe-eval' for scripts or styles), X-Frame-Options,
Referrer-Policy, Permissions-Policy and Cross-Origin-Opener-Policy. And no page
template carries what that policy would refuse (inline scripts, event handlers or
style attributes), so the browser crawl is not the only guard."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import PermissionsPolicyMiddleware
from followups.models import FollowUp
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"}


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} response"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice in {header!r}"
        directives[name] = sources
    return directives


def assert_secure_headers(response) -> None:
    directives = policy(response)
    assert directives == STRICT, directives
    for name in ("script-src", "style-src", "default-src"):
        assert not UNSAFE & set(directives[name]), (name, directives[name])
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", (feature, features.get(feature))
    if response["Content-Type"].startswith("text/html"):
        assert_nothing_inline(response.content.decode(), response.request["PATH_INFO"])


def assert_nothing_inline(html: str, where: str) -> None:
    """What the policy would refuse, in a page as rendered: this also sees what
    forms and widgets add (a widget's style attribute, say)."""
    for pattern, what in INLINE:
        match = pattern.search(html)
        assert not match, f"{what} in {where}: {match.group(0)!r}"


@pytest.fixture
def followup(alice):
    contact = ContactFactory(client=ClientFactory(name="Acme", owner=alice))
    today = dt.datetime.now(dt.UTC).date()
    return FollowUp.objects.create(
        assigned_to=alice,
        title="Call Acme",
        contact=contact,
        client=contact.client,
        due_date=today,
        original_due_date=today,
    )


@pytest.mark.parametrize(
    "name, url",
    [
        ("a list", lambda f: reverse("followups:client_list")),
        (
            "a detail page",
            lambda f: reverse("followups:client_detail", args=[f.client_id]),
        ),
        ("a form", lambda f: reverse("clients:client_create")),
        ("another form", lambda f: reverse("placements:placement_create")),
        ("the recruiter's day", lambda f: reverse("followups:dashboard")),
        ("the follow-up list", lambda f: reverse("followups:followup_list")),
        ("the profile", lambda f: reverse("followups:profile")),
        ("a CSV export", lambda f: reverse("followups:client_list") + "?export=csv"),
    ],
)
def test_signed_in_pages_send_the_strict_policy_and_the_other_headers(
    as_user, alice, followup, name, url
):
    response = as_user(alice).get(url(followup))
    assert response.status_code == 200, name
    assert_secure_headers(response)


def test_the_team_dashboard_sends_them(as_user, mia):
    response = as_user(mia).get(reverse("dashboards:team"))
    assert response.status_code == 200
    assert_secure_headers(response)
    # Chart.js and the charts' own script are files of this site, not inline.
    body = response.content.decode()
    assert "js/dashboard-charts.js" in body and "chart.umd.min.js" in body


def test_an_htmx_partial_sends_them(as_user, alice, followup):
    response = as_user(alice).post(
        reverse("followups:followup_snooze", args=[followup.pk]),
        {"until": (followup.due_date + dt.timedelta(days=7)).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="sections">')
    assert_secure_headers(response)


def test_the_sign_in_page_sends_them(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_secure_headers(response)


def test_a_404_sends_them(as_user, alice):
    response = as_user(alice).get("/clients/999999/")
    assert response.status_code == 404
    assert_secure_headers(response)


def test_healthz_sends_them(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_the_admin_sends_the_same_strict_policy(as_user, ada):
    for url in ("/admin/", "/admin/clients/client/", "/admin/clients/client/add/"):
        response = as_user(ada).get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)


def test_no_page_asks_for_a_nonce_it_does_not_need(as_user, alice, followup):
    # A nonce in the header would mean some template reads request.csp_nonce to
    # let an inline script through: none does.
    response = as_user(alice).get(reverse("followups:dashboard"))
    assert "nonce-" not in response["Content-Security-Policy"]


def test_the_permissions_policy_comes_from_the_setting(settings):
    settings.PERMISSIONS_POLICY = "camera=(), fullscreen=(self)"
    middleware = PermissionsPolicyMiddleware(lambda request: HttpResponse())
    response = middleware(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == "camera=(), fullscreen=(self)"


def test_a_view_may_set_its_own_permissions_policy():
    def get_response(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "camera=(self)"
        return response

    response = PermissionsPolicyMiddleware(get_response)(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == "camera=(self)"


# What a strict policy refuses, in a template: an inline <script> (a JSON data block
# is not run, so it may stay), an inline event handler, a style attribute or element,
# a javascript: URL.
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
        "an inline <script>",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def page_templates() -> list[Path]:
    # Emails are not pages: their HTML parts need inline styles for mail clients.
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if "emails" not in path.relative_to(TEMPLATES).parts
        and path.name != "password_reset_email.html"
    )


def test_the_template_list_is_not_empty():
    assert len(page_templates()) > 30


@pytest.mark.parametrize(
    "path", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_page_template_holds_what_the_policy_refuses(path):
    text = path.read_text()
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert not match, f"{what} in {path.relative_to(TEMPLATES)}: {match.group(0)!r}"


def test_a_csrf_failure_is_a_page_of_ours_under_the_policy(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("followups:profile"), {"time_zone": "UTC"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert_secure_headers(response)
