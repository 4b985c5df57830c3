"""Acting from the email without signing in: done and snooze links work once and
offer an undo; tampered, expired and reused links show a clear page and change
nothing. One-click unsubscribe (RFC 8058).

The follow-up tests run on Friday 20 November 2026 at 10:00 UTC (see conftest)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import Client

from activities.models import Activity
from followups.delivery import deliveries_run
from followups.email_actions import (
    ACTION_SALT,
    action_url,
    email_action_apply,
    unsubscribe_url,
)
from followups.models import EmailActionUse, EmailDelivery, FollowUp

from .digest_helpers import add_followup

pytestmark = pytest.mark.django_db
D = dt.date
UTC = dt.UTC


@pytest.fixture
def followup(alice):
    return add_followup(alice, D(2026, 11, 19), title="Check in with the new hire")


@pytest.fixture
def anonymous():
    return Client()


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def state(followup: FollowUp) -> tuple:
    followup.refresh_from_db()
    return (
        followup.status,
        followup.due_date,
        followup.outcome,
        followup.completed_at,
        Activity.objects.count(),
    )


def test_done_from_the_email_works_without_signing_in_and_logs_the_call(
    anonymous, followup, alice
):
    url = action_url(followup=followup, action="done")
    response = anonymous.post(path_of(url))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is done (reached)" in page
    assert "Undo" in page
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE
    assert followup.outcome == FollowUp.Outcome.REACHED
    assert followup.completed_by == alice
    assert followup.activity.note == "Marked done from the email digest."
    assert response["Cache-Control"] == "no-store"


def test_snooze_from_the_email_moves_it_a_week_from_today(anonymous, followup):
    response = anonymous.post(path_of(action_url(followup=followup, action="snooze")))
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 27)
    assert followup.original_due_date == D(2026, 11, 19)
    assert "snoozed until Friday 27 November" in response.content.decode()


def test_a_used_link_does_nothing_the_second_time(anonymous, followup):
    path = path_of(action_url(followup=followup, action="snooze"))
    assert anonymous.post(path).status_code == 200
    followup.refresh_from_db()
    snoozed = state(followup)
    FollowUp.objects.filter(pk=followup.pk).update(due_date=D(2026, 11, 21))
    response = anonymous.post(path)
    assert response.status_code == 409
    assert "This link was already used" in response.content.decode()
    assert "Fri 20 Nov 2026 at 10:00" in response.content.decode()  # London time
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 21)  # not snoozed a second time
    assert snoozed[2:] == state(followup)[2:]
    assert EmailActionUse.objects.count() == 1


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(anonymous, followup):
    url = action_url(followup=followup, action="snooze")
    token = path_of(url).split("/")[3]
    payload, stamp, signature = token.split(":")
    before = state(followup)
    other = signing.b64_encode(
        f'{{"f":{followup.pk},"a":"done","u":{followup.assigned_to_id},"n":"x"}}'.encode()
    ).decode()
    for bad in (
        f"{other}:{stamp}:{signature}",  # a different action under the old signature
        f"{payload}:{stamp}:{signature[:-2]}AA",
        "not-a-token",
        f"{payload}:{stamp}",
    ):
        response = anonymous.post(f"/email/act/{bad}/")
        assert response.status_code == 400, bad
        assert "This link is not valid" in response.content.decode()
        assert state(followup) == before
    assert EmailActionUse.objects.count() == 0


def test_a_link_signed_for_another_purpose_is_refused(anonymous, followup):
    # An unsubscribe-style signature must not work as an action.
    token = signing.TimestampSigner(salt="something-else").sign_object(
        {"f": followup.pk, "a": "done", "u": followup.assigned_to_id, "n": "abc"}
    )
    response = anonymous.post(f"/email/act/{token}/")
    assert response.status_code == 400
    assert state(followup)[0] == FollowUp.Status.OPEN


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(
    anonymous, followup, frozen, settings
):
    settings.EMAIL_ACTION_MAX_AGE_DAYS = 7
    path = path_of(action_url(followup=followup, action="done"))
    before = state(followup)
    frozen.move_to(dt.datetime(2026, 11, 27, 10, 0, 1, tzinfo=UTC), tick=False)
    response = anonymous.post(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert state(followup) == before


def test_a_link_for_a_followup_already_done_in_the_crm_changes_nothing(
    anonymous, followup, alice
):
    from followups.services import followup_complete

    path = path_of(action_url(followup=followup, action="snooze"))
    followup_complete(followup=followup, outcome="left_message", by=alice)
    before = state(followup)
    response = anonymous.post(path)
    assert response.status_code == 409
    assert "already done" in response.content.decode()
    assert state(followup) == before
    # The link was not used up: nothing happened.
    assert EmailActionUse.objects.count() == 0


def test_a_link_for_a_followup_handed_to_someone_else_changes_nothing(
    anonymous, followup, bob
):
    path = path_of(action_url(followup=followup, action="done"))
    FollowUp.objects.filter(pk=followup.pk).update(assigned_to=bob)
    response = anonymous.post(path)
    assert response.status_code == 409
    assert "now someone else" in response.content.decode()
    assert state(followup)[0] == FollowUp.Status.OPEN


def test_a_head_request_from_a_link_checker_changes_nothing(anonymous, followup):
    path = path_of(action_url(followup=followup, action="done"))
    assert anonymous.head(path).status_code == 200
    assert state(followup)[0] == FollowUp.Status.OPEN


def test_opening_a_link_only_asks_the_button_acts(anonymous, followup):
    """Mail security scanners open every link: a GET must change nothing."""
    path = path_of(action_url(followup=followup, action="done"))
    for _ in range(2):
        page = anonymous.get(path)
        assert page.status_code == 200
        assert "Mark done (reached)" in page.content.decode()
        assert 'method="post"' in page.content.decode()
    assert state(followup)[0] == FollowUp.Status.OPEN
    assert anonymous.post(path).status_code == 200
    assert state(followup)[0] == FollowUp.Status.DONE


def test_undo_done_reopens_and_removes_the_logged_call_once(anonymous, followup):
    before = state(followup)
    response = anonymous.post(path_of(action_url(followup=followup, action="done")))
    undo = re.search(
        r'href="(https?://[^"]+/email/undo/[^"]+)"', response.content.decode()
    )
    assert undo, "the confirmation page offers an undo link"
    response = anonymous.post(path_of(undo.group(1)))
    assert response.status_code == 200
    assert "is open again" in response.content.decode()
    assert state(followup) == before
    response = anonymous.post(path_of(undo.group(1)))
    assert response.status_code == 409
    assert "Already undone" in response.content.decode()
    assert state(followup) == before


def test_undo_snooze_puts_back_the_date_it_had(anonymous, followup):
    response = anonymous.post(path_of(action_url(followup=followup, action="snooze")))
    undo = re.search(
        r'href="(https?://[^"]+/email/undo/[^"]+)"', response.content.decode()
    )
    anonymous.post(path_of(undo.group(1)))
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 19)
    assert followup.is_open


def test_undo_after_someone_changed_it_changes_nothing(anonymous, followup, alice):
    from followups.services import followup_snooze

    response = anonymous.post(path_of(action_url(followup=followup, action="snooze")))
    undo = re.search(
        r'href="(https?://[^"]+/email/undo/[^"]+)"', response.content.decode()
    )
    followup_snooze(followup=followup, until=D(2026, 12, 24), by=alice)
    response = anonymous.post(path_of(undo.group(1)))
    assert response.status_code == 409
    assert "Cannot undo" in response.content.decode()
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 12, 24)


def test_a_tampered_undo_link_changes_nothing(anonymous, followup):
    anonymous.post(path_of(action_url(followup=followup, action="done")))
    use = EmailActionUse.objects.get()
    forged = signing.TimestampSigner(salt=ACTION_SALT).sign_object({"x": use.pk})
    response = anonymous.post(f"/email/undo/{forged}/")
    assert response.status_code == 400
    assert state(followup)[0] == FollowUp.Status.DONE


@pytest.mark.postgres
def test_two_clicks_at_once_act_once(require_postgres, transactional_db, alice):
    followup = add_followup(alice, D(2026, 11, 19))
    url = action_url(followup=followup, action="snooze")
    token = path_of(url).split("/")[3]
    barrier = threading.Barrier(2)
    results = []

    def click():
        try:
            barrier.wait()
            results.append(email_action_apply(token=token).ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert EmailActionUse.objects.count() == 1


def test_the_links_in_a_real_digest_work(anonymous, followup):
    deliveries_run(kind=EmailDelivery.Kind.DAILY_DIGEST)
    (message,) = [m for m in mail.outbox if m.to == ["alice@example.com"]]
    done = re.search(r"Done, reached: (\S+)", message.body).group(1)
    assert anonymous.post(path_of(done)).status_code == 200
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE


# Unsubscribe


def test_unsubscribe_page_asks_first_and_a_get_changes_nothing(anonymous, alice):
    path = path_of(unsubscribe_url(user=alice, kind="daily_digest"))
    response = anonymous.get(path)
    assert response.status_code == 200
    assert "Stop the daily digest?" in response.content.decode()
    alice.refresh_from_db()
    assert alice.digest_enabled


def test_one_click_unsubscribe_posts_without_a_session_or_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    path = path_of(unsubscribe_url(user=alice, kind="daily_digest"))
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.digest_enabled
    assert alice.team_summary_enabled
    # Twice is fine.
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_the_unsubscribe_in_the_team_summary_stops_only_the_summary(mia):
    client = Client(enforce_csrf_checks=True)
    client.post(path_of(unsubscribe_url(user=mia, kind="team_summary")))
    mia.refresh_from_db()
    assert not mia.team_summary_enabled
    assert mia.digest_enabled


def test_an_unsubscribed_user_gets_no_more_digests(alice):
    add_followup(alice, D(2026, 11, 20))
    Client().post(path_of(unsubscribe_url(user=alice, kind="daily_digest")))
    assert deliveries_run(kind=EmailDelivery.Kind.DAILY_DIGEST) == {}
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_changes_nothing(alice, bob):
    url = unsubscribe_url(user=alice, kind="daily_digest")
    token = path_of(url).split("/")[3]
    payload, signature = token.rsplit(":", 1)
    forged = signing.b64_encode(
        f'{{"u":{bob.pk},"k":"daily_digest"}}'.encode()
    ).decode()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/email/unsubscribe/{forged}:{signature}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.digest_enabled and alice.digest_enabled


def test_only_the_unsubscribe_endpoint_is_csrf_exempt(as_user, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/digests/preview/")
    assert response.status_code == 403
    response = client.post("/accounts/profile/", {"first_name": "X"})
    assert response.status_code == 403
