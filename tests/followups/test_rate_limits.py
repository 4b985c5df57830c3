"""Rate limits where tokens come in: the email links (done, snooze, undo,
unsubscribe) per token and per address, the calendar feed per token, the digest
preview per user. Over a limit: 429 with Retry-After, and nothing happens.

The follow-up tests run on Friday 20 November 2026 at 10:00 UTC (see conftest)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from followups.email_actions import action_url, unsubscribe_url
from followups.models import EmailDelivery, FollowUp

from .digest_helpers import add_followup
from .test_email_actions import path_of, state

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def followup(alice):
    return add_followup(alice, D(2026, 11, 19), title="Check in with the new hire")


def from_address(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def assert_limited(response, *, plain: bool = False) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response["Cache-Control"] == "no-store"
    if plain:
        assert response["Content-Type"].startswith("text/plain")
        assert response.content.decode().startswith("Too many requests. Try again")
    else:
        page = response.content.decode()
        assert "Too many requests" in page
        assert "wait" in page and "try again" in page


# Email links, per token


def test_a_done_link_over_its_limit_answers_429_and_does_not_act(
    settings, followup, frozen
):
    settings.RATE_LIMIT_EMAIL_LINK = (3, 60)
    path = path_of(action_url(followup=followup, action="done"))
    client = Client()
    before = state(followup)
    for _ in range(3):  # opening it (a mail scanner, the user) counts
        assert client.get(path).status_code == 200
    response = client.post(path)
    assert_limited(response)
    assert response["Retry-After"] == "60"  # 10:00:00, a minute's window
    assert "Please wait 60 seconds and try again." in response.content.decode()
    assert state(followup) == before
    # The window ends: the button works.
    frozen.shift(dt.timedelta(seconds=60))
    assert client.post(path).status_code == 200
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE


def test_another_link_is_not_limited_by_one_over_its_limit(settings, followup):
    settings.RATE_LIMIT_EMAIL_LINK = (2, 60)
    client = Client()
    done = path_of(action_url(followup=followup, action="done"))
    for _ in range(3):
        client.get(done)
    assert client.get(done).status_code == 429
    snooze = path_of(action_url(followup=followup, action="snooze"))
    assert client.post(snooze).status_code == 200
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 27)


def test_a_head_request_counts_too(settings, followup):
    settings.RATE_LIMIT_EMAIL_LINK = (2, 60)
    path = path_of(action_url(followup=followup, action="done"))
    client = Client()
    assert [client.head(path).status_code for _ in range(3)] == [200, 200, 429]


def test_an_undo_over_its_limit_does_not_undo(settings, followup):
    settings.RATE_LIMIT_EMAIL_LINK = (2, 60)
    client = Client()
    response = client.post(path_of(action_url(followup=followup, action="done")))
    undo = re.search(
        r'href="(https?://[^"]+/email/undo/[^"]+)"', response.content.decode()
    )
    undo_path = path_of(undo.group(1))
    assert client.get(undo_path).status_code == 200
    assert client.get(undo_path).status_code == 200
    assert_limited(client.post(undo_path))
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE


def test_an_unsubscribe_over_its_limit_keeps_the_digest_on(settings, alice, frozen):
    settings.RATE_LIMIT_EMAIL_LINK = (1, 60)
    path = path_of(unsubscribe_url(user=alice, kind="daily_digest"))
    # One-click unsubscribe: no session, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    assert_limited(client.post(path, {"List-Unsubscribe": "One-Click"}))
    alice.refresh_from_db()
    assert alice.digest_enabled
    frozen.shift(dt.timedelta(minutes=1))
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    alice.refresh_from_db()
    assert not alice.digest_enabled


# Email links, per address


def test_one_address_is_limited_across_tokens_and_link_kinds(
    settings, followup, alice, frozen
):
    settings.RATE_LIMIT_EMAIL_LINK_ADDRESS = (3, 60)
    guesser = from_address("198.51.100.7")
    paths = [
        path_of(action_url(followup=followup, action="done")),
        "/email/undo/not-a-real-token/",
        path_of(unsubscribe_url(user=alice, kind="daily_digest")),
    ]
    assert [guesser.get(p).status_code for p in paths] == [200, 400, 200]
    # A fourth link, however new its token, from that address: refused.
    snooze = path_of(action_url(followup=followup, action="snooze"))
    before = state(followup)
    assert_limited(guesser.post(snooze))
    assert state(followup) == before
    # Someone else is not held up by it.
    assert from_address("198.51.100.8").post(snooze).status_code == 200
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 27)


def test_made_up_tokens_from_one_address_are_stopped(settings):
    settings.RATE_LIMIT_EMAIL_LINK_ADDRESS = (5, 60)
    guesser = from_address("198.51.100.7")
    statuses = [guesser.get(f"/email/act/guess-{n}/").status_code for n in range(7)]
    assert statuses == [400] * 5 + [429] * 2


def test_behind_the_proxy_each_client_counts_by_its_own_address(settings, followup):
    settings.BEHIND_PROXY = True
    settings.RATE_LIMIT_EMAIL_LINK_ADDRESS = (2, 60)
    path = "/email/act/guess/"

    def via_proxy(forwarded):
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    # What the client puts before the proxy's hop changes nothing.
    statuses = [
        via_proxy(f"192.0.2.{n}, 203.0.113.5").get(path).status_code for n in range(3)
    ]
    assert statuses == [400, 400, 429]
    # Another client through the same proxy has its own count.
    assert via_proxy("203.0.113.6").get(path).status_code == 400


# The calendar feed, per token


def test_the_calendar_feed_over_its_limit_answers_a_plain_429(
    settings, client, alice, bob, frozen
):
    settings.RATE_LIMIT_CALENDAR = (3, 3600)
    feed = reverse("followups:calendar_feed", args=[alice.calendar_token])
    for _ in range(3):
        assert client.get(feed).status_code == 200
    response = client.get(feed)
    assert_limited(response, plain=True)
    assert response["Retry-After"] == "3600"  # 10:00: the hour has just begun
    assert "60 minutes" in response.content.decode()
    # Bob's calendar is not held up by Alice's.
    bobs = reverse("followups:calendar_feed", args=[bob.calendar_token])
    assert client.get(bobs).status_code == 200
    frozen.shift(dt.timedelta(minutes=30))
    assert client.get(feed)["Retry-After"] == "1800"
    frozen.shift(dt.timedelta(minutes=30))
    response = client.get(feed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


# The digest preview, per user


def preview(client):
    return client.post(reverse("followups:digest_preview"))


def test_the_preview_over_its_limit_answers_429_and_sends_nothing(
    settings, as_user, alice, bob, frozen
):
    settings.RATE_LIMIT_DIGEST_PREVIEW = (2, 3600)
    add_followup(alice, D(2026, 11, 20), title="Call")
    client = as_user(alice)
    for _ in range(2):
        assert preview(client).status_code == 302
        frozen.shift(dt.timedelta(minutes=2))  # past the one-a-minute rule
    assert len(mail.outbox) == 2
    response = preview(client)
    assert_limited(response)
    assert len(mail.outbox) == 2
    assert EmailDelivery.objects.filter(user=alice).count() == 2
    # Signed in, the 429 page still shows the navigation.
    assert "Profile and preferences" in response.content.decode()
    # Bob's button still works.
    bobs = Client()
    bobs.force_login(bob)
    assert preview(bobs).status_code == 302
    assert len(mail.outbox) == 3
    # Next hour, Alice may again.
    frozen.shift(dt.timedelta(hours=1))
    assert preview(client).status_code == 302
    assert len(mail.outbox) == 4


def test_the_preview_limit_holds_by_default(as_user, alice, frozen):
    add_followup(alice, D(2026, 11, 20), title="Call")
    client = as_user(alice)
    for _ in range(5):
        preview(client)
        frozen.shift(dt.timedelta(minutes=2))
    assert len(mail.outbox) == 5
    assert preview(client).status_code == 429
    assert len(mail.outbox) == 5


def test_a_get_of_the_preview_is_refused_before_it_counts(settings, as_user, alice):
    settings.RATE_LIMIT_DIGEST_PREVIEW = (1, 3600)
    client = as_user(alice)
    for _ in range(3):
        assert client.get(reverse("followups:digest_preview")).status_code == 405
    assert preview(client).status_code == 302
