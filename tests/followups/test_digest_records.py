"""Delivery records that tell the truth when the clock or the database misbehaves:
waits measured against beats on exact 5-minute ticks while the worker's clock runs a
little later; an outcome recorded through a dropped database connection; what the
admin shows before resending and what waits for a person.

The follow-up tests run on Friday 20 November 2026 at 10:00 UTC (see conftest):
alice (Europe/London, default hour 07:00) has her digest due."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils.html import escape

from followups import delivery_outcomes
from followups.delivery import BEAT_SLACK, deliveries_schedule, delivery_send
from followups.models import EmailDelivery

from .digest_helpers import add_followup
from .test_digest_delivery import ScriptedBackend, refused

pytestmark = pytest.mark.django_db
UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DAILY = EmailDelivery.Kind.DAILY_DIGEST
Status = EmailDelivery.Status
# How long after the beat's tick its worker reads the clock: a real worker starts
# a little after the beat, and measured waits from its own clock.
WORKER_LATE = dt.timedelta(seconds=0.4)
ADMIN_LIST = "/admin/followups/emaildelivery/"


@pytest.fixture
def due(alice):
    add_followup(alice, dt.date(2026, 11, 20), title="Call today")
    return alice


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = f"{ScriptedBackend.__module__}.ScriptedBackend"
    ScriptedBackend.script = []
    yield ScriptedBackend
    ScriptedBackend.script = []


@pytest.fixture
def admin(ada):
    """ada, who gets no digest of her own: each test's one delivery is alice's."""
    ada.digest_enabled = False
    ada.save()
    return ada


def beat(frozen, minutes: int, *, late=WORKER_LATE, beat_late=dt.timedelta(0)):
    """The beat at 10:00 + `minutes` (`beat_late` after the exact tick) hands out
    what is due, and its worker sends each, its clock `late` after the tick (its
    task is lost if `late` is None). Returns what each send ended in."""
    tick = NOW + dt.timedelta(minutes=minutes)
    frozen.move_to(tick + beat_late, tick=False)
    ids = deliveries_schedule(kind=DAILY)
    if late is None:
        return ids
    frozen.move_to(tick + late, tick=False)
    return [delivery_send(delivery_id=pk) for pk in ids]


def only_delivery() -> EmailDelivery:
    return EmailDelivery.objects.get(kind=DAILY, user__email="alice@example.com")


# Waits end at the first beat at or after their due time


def test_each_retry_goes_out_at_the_first_beat_after_its_backoff(
    due, scripted, frozen, settings
):
    settings.DIGEST_MAX_ATTEMPTS = 5
    scripted.script = [("send", refused(421))] * 50
    attempts_at = []
    for minutes in range(0, 120, 5):  # beats on exact 5-minute ticks
        if beat(frozen, minutes):
            attempts_at.append(minutes)
    # Backoff 2, 5, 15 and 30 minutes, each measured from an attempt at 0.4 s past
    # its beat: 2 min 0.4 s is first passed at the 5-minute beat; 5 min 0.4 s after
    # the 5-minute beat is the 10-minute beat, not the 15-minute one.
    assert attempts_at == [0, 5, 10, 25, 55]
    delivery = only_delivery()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 5)


def test_a_lost_task_is_handed_out_again_at_the_beat_its_lease_ends(due, frozen):
    # The beat at 10:00 runs 0.3 s after its tick; its task is lost.
    assert len(beat(frozen, 0, beat_late=dt.timedelta(seconds=0.3), late=None)) == 1
    frozen.move_to(NOW + dt.timedelta(minutes=5, seconds=0.1), tick=False)
    assert deliveries_schedule(kind=DAILY) == []  # leased for 10 minutes
    # The lease ends 10 minutes after 10:00:00.3; the beat at 10:10:00.1 hands it
    # out again (it used to wait for 10:15).
    assert beat(frozen, 10, beat_late=dt.timedelta(seconds=0.1)) == [Status.SENT]
    assert len(mail.outbox) == 1


def test_a_send_left_sending_turns_stuck_at_the_beat_its_limit_ends(
    due, frozen, settings
):
    settings.DIGEST_STUCK_AFTER_MINUTES = 15
    (pk,) = deliveries_schedule(kind=DAILY)
    # A worker claims it 0.4 s after the beat and dies before recording anything.
    EmailDelivery.objects.filter(pk=pk).update(
        status=Status.SENDING, attempts=1, claimed_at=NOW + WORKER_LATE
    )
    beat(frozen, 10)
    assert only_delivery().status == Status.SENDING
    beat(frozen, 15)
    assert only_delivery().status == Status.STUCK


def test_a_due_time_counts_at_a_beat_only_within_the_slack(due, frozen):
    (pk,) = deliveries_schedule(kind=DAILY)
    EmailDelivery.objects.filter(pk=pk).update(
        enqueued_at=None, not_before=NOW + BEAT_SLACK + dt.timedelta(seconds=1)
    )
    assert deliveries_schedule(kind=DAILY) == []  # due after this beat's slack
    assert delivery_send(delivery_id=pk) == "not claimed"
    EmailDelivery.objects.filter(pk=pk).update(not_before=NOW + BEAT_SLACK)
    assert deliveries_schedule(kind=DAILY) == [pk]


def test_a_worker_claims_what_its_beat_handed_out_just_before_it_was_due(due, frozen):
    (pk,) = deliveries_schedule(kind=DAILY)
    EmailDelivery.objects.filter(pk=pk).update(
        enqueued_at=None, not_before=NOW + dt.timedelta(seconds=20)
    )
    assert beat(frozen, 0, late=dt.timedelta(seconds=0.1)) == [Status.SENT]


# Recording the outcome through a dropped database connection


@pytest.fixture
def no_waits(monkeypatch):
    monkeypatch.setattr(delivery_outcomes, "RECORD_RETRY_DELAYS", (0, 0, 0))


def failing_update(times: int):
    """A QuerySet.update that fails, as a dropped connection does, the first `times`
    times it records a sent delivery."""
    real = QuerySet.update
    failures = []

    def update(self, **fields):
        if fields.get("status") == Status.SENT and len(failures) < times:
            failures.append(fields)
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, **fields)

    return mock.patch.object(QuerySet, "update", update), failures


def test_recording_a_sent_email_is_retried_on_a_fresh_connection(
    transactional_db, due, no_waits, caplog
):
    patch, failures = failing_update(2)
    with (
        patch,
        mock.patch.object(delivery_outcomes.connections["default"], "close") as close,
    ):
        (pk,) = deliveries_schedule(kind=DAILY)
        assert delivery_send(delivery_id=pk) == Status.SENT
    assert len(failures) == 2 and close.call_count == 2
    assert caplog.text.count("retrying in 0 s on a fresh database connection") == 2
    delivery = only_delivery()
    assert (delivery.status, delivery.sent_at) == (Status.SENT, NOW)
    assert delivery.message_id == mail.outbox[0].extra_headers["Message-ID"]


def test_a_database_that_stays_away_is_logged_and_the_delivery_turns_stuck(
    transactional_db, due, no_waits, caplog, frozen, settings, admin, as_user
):
    settings.DIGEST_STUCK_AFTER_MINUTES = 15
    patch, failures = failing_update(100)
    (pk,) = deliveries_schedule(kind=DAILY)
    with patch, pytest.raises(OperationalError):
        delivery_send(delivery_id=pk)
    assert len(failures) == 4  # the first try and three retries
    message_id = mail.outbox[0].extra_headers["Message-ID"]
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "could not record sent" in error.getMessage()
    assert message_id in error.getMessage()
    # The Message-ID was recorded before sending: the stuck delivery names it.
    assert only_delivery().message_id == message_id
    beat(frozen, 15)
    assert only_delivery().status == Status.STUCK
    page = as_user(admin).post(
        ADMIN_LIST, {"action": "send_again", "_selected_action": [pk]}
    )
    assert escape(message_id) in page.content.decode()


def test_inside_a_transaction_a_dropped_connection_is_not_retried(due, no_waits):
    # (The test's own transaction: a new connection could not carry it on.)
    patch, failures = failing_update(1)
    (pk,) = deliveries_schedule(kind=DAILY)
    with patch, pytest.raises(OperationalError):
        delivery_send(delivery_id=pk)
    assert len(failures) == 1


# What the admin shows


def stuck_delivery(scripted) -> EmailDelivery:
    scripted.script = [("send", smtplib.SMTPServerDisconnected("gone"))]
    (pk,) = deliveries_schedule(kind=DAILY)
    assert delivery_send(delivery_id=pk) == Status.STUCK
    return only_delivery()


def test_send_again_shows_what_is_known_and_asks_first(
    due, scripted, frozen, admin, as_user
):
    delivery = stuck_delivery(scripted)
    client = as_user(admin)
    page = client.post(
        ADMIN_LIST, {"action": "send_again", "_selected_action": [delivery.pk]}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "may have reached its recipient" in html
    assert escape(delivery.message_id) in html and delivery.message_id
    assert "Connection lost while sending" in html
    assert "I checked: send 1 again today" in html
    assert 'name="confirm" value="yes"' in html
    assert only_delivery().status == Status.STUCK  # asked, nothing done yet
    response = client.post(
        ADMIN_LIST,
        {"action": "send_again", "_selected_action": [delivery.pk], "confirm": "yes"},
        follow=True,
    )
    assert "1 deliveries will be sent again" in response.content.decode()
    resent = only_delivery()
    assert (resent.status, resent.attempts) == (Status.PENDING, 0)
    assert resent.error.startswith("Resent by Ada Admin after: Connection lost")
    assert delivery.message_id in resent.error
    assert beat(frozen, 5) == [Status.SENT]
    assert len(mail.outbox) == 1


def test_send_again_says_why_it_cannot_and_offers_no_button(
    due, scripted, frozen, admin, as_user
):
    stuck = stuck_delivery(scripted)  # Friday's
    frozen.move_to(dt.datetime(2026, 11, 21, 9, 0, tzinfo=UTC), tick=False)
    saturday = dt.date(2026, 11, 21)
    sent = EmailDelivery.objects.create(
        user=due,
        kind=DAILY,
        local_date=saturday,
        status=Status.SENT,
        not_before=NOW,
        queue_id="ABC123",
        smtp_reply="250 2.0.0 Ok: queued as ABC123",
    )
    preview = EmailDelivery.objects.create(
        user=due,
        kind=EmailDelivery.Kind.PREVIEW,
        local_date=saturday,
        status=Status.FAILED,
        not_before=NOW,
    )
    page = as_user(admin).post(
        ADMIN_LIST,
        {"action": "send_again", "_selected_action": [stuck.pk, sent.pk, preview.pk]},
    )
    html = page.content.decode()
    assert "Its day has passed in the recipient&#x27;s time zone." in html
    assert "It is sent, not stuck or failed." in html
    assert "A preview is never resent" in html
    assert "250 2.0.0 Ok: queued as ABC123 (queue id ABC123)" in html
    assert "None of these can be sent again." in html
    assert 'name="confirm"' not in html


def test_the_deliveries_list_counts_stuck_and_failed_of_the_last_24_hours(
    alice, bob, carol, admin, as_user
):
    def delivery(user, day, status, hours_ago):
        made = EmailDelivery.objects.create(
            user=user, kind=DAILY, local_date=day, status=status, not_before=NOW
        )
        EmailDelivery.objects.filter(pk=made.pk).update(
            updated_at=NOW - dt.timedelta(hours=hours_ago)
        )

    today, yesterday = dt.date(2026, 11, 20), dt.date(2026, 11, 19)
    delivery(alice, today, Status.STUCK, 1)
    delivery(bob, today, Status.STUCK, 23)
    delivery(carol, today, Status.FAILED, 2)
    delivery(alice, yesterday, Status.FAILED, 25)  # older: not counted
    delivery(bob, yesterday, Status.SENT, 3)
    html = as_user(admin).get(ADMIN_LIST).content.decode()
    assert "2 stuck</a>" in html and "1 failed</a>" in html
    assert EmailDelivery.objects.needing_attention(NOW) == {"stuck": 2, "failed": 1}
    response = as_user(admin).get(ADMIN_LIST + "?status__exact=failed&changed=24h")
    assert response.status_code == 200
    assert "Carol" in response.content.decode()
    assert "1 email delivery" in response.content.decode()
