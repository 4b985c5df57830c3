"""Once, and never silently lost: the beat twice, a retried task, a lost task, two
workers at once, temporary and permanent SMTP failures, stuck sends, previews.

The follow-up tests run on Friday 20 November 2026 at 10:00 UTC (see conftest):
alice (Europe/London, default hour 07:00) has her digest due."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from followups import delivery as delivery_module
from followups import tasks
from followups.delivery import (
    deliveries_run,
    deliveries_schedule,
    delivery_send,
    digest_preview_send,
)
from followups.models import EmailDelivery

from .digest_helpers import add_followup

pytestmark = pytest.mark.django_db
UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DAILY = EmailDelivery.Kind.DAILY_DIGEST
Status = EmailDelivery.Status


@pytest.fixture
def due(alice):
    """Alice has something to read today."""
    add_followup(alice, dt.date(2026, 11, 20), title="Call today")
    return alice


@pytest.fixture
def eager():
    """Celery tasks run in the calling process, as a worker would run them."""
    from crm.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


class ScriptedBackend(BaseEmailBackend):
    """An email backend that plays a script: each entry is ("open", exc) or
    ("send", exc) to raise at that stage, or None to deliver (into mail.outbox).
    With the script empty, it delivers."""

    script: list = []
    delay = 0.0

    def open(self):
        if ScriptedBackend.script and ScriptedBackend.script[0] is not None:
            stage, exc = ScriptedBackend.script[0]
            if stage == "open":
                ScriptedBackend.script.pop(0)
                raise exc
        return False

    def send_messages(self, messages):
        if ScriptedBackend.script:
            entry = ScriptedBackend.script.pop(0)
            if entry is not None:
                raise entry[1]
        if ScriptedBackend.delay:
            time.sleep(ScriptedBackend.delay)
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.script = []
    ScriptedBackend.delay = 0.0
    yield ScriptedBackend
    ScriptedBackend.script = []
    ScriptedBackend.delay = 0.0


def refused(code: int, address="alice@example.com"):
    text = b"busy, try later" if code < 500 else b"no such mailbox"
    return smtplib.SMTPRecipientsRefused({address: (code, text)})


def at(frozen, minutes: float):
    """Move to `minutes` after 10:00 UTC on Friday."""
    frozen.move_to(NOW + dt.timedelta(minutes=minutes), tick=False)


def only_delivery() -> EmailDelivery:
    return EmailDelivery.objects.get(kind=DAILY, user__email="alice@example.com")


# Exactly once


def test_the_beat_task_twice_sends_one_digest(due, eager):
    assert tasks.send_due_digests.apply().get() == 1
    assert tasks.send_due_digests.apply().get() == 0
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert only_delivery().status == Status.SENT


def test_the_command_twice_sends_one_digest_and_says_so(due):
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "1 daily digests handled: 1 sent"
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "No daily digests due now."
    assert len(mail.outbox) == 1


def test_a_task_retried_after_it_sent_sends_nothing(due, eager):
    (pk,) = deliveries_schedule(kind=DAILY)
    assert tasks.send_delivery.apply(args=[pk]).get() == Status.SENT
    # A redelivered message (acks_late after a lost ack), or a retry.
    assert tasks.send_delivery.apply(args=[pk]).get() == "not claimed"
    assert len(mail.outbox) == 1
    assert only_delivery().attempts == 1


def test_a_lost_task_is_handed_out_again_after_the_lease_and_sent_once(due, frozen):
    (pk,) = deliveries_schedule(kind=DAILY)  # its message is lost
    at(frozen, 5)
    assert deliveries_schedule(kind=DAILY) == []  # still leased
    at(frozen, 11)
    assert deliveries_schedule(kind=DAILY) == [pk]
    assert delivery_send(delivery_id=pk) == Status.SENT
    assert delivery_send(delivery_id=pk) == "not claimed"  # the first message, late
    assert len(mail.outbox) == 1


def test_two_beats_at_the_same_moment_record_one_delivery(due):
    first = deliveries_schedule(kind=DAILY)
    second = deliveries_schedule(kind=DAILY)
    assert len(first) == 1 and second == []
    assert EmailDelivery.objects.count() == 1


@pytest.mark.postgres
def test_two_workers_at_once_send_one_email(
    require_postgres, transactional_db, due, scripted
):
    scripted.delay = 0.3  # both are inside the send at the same time if both got in
    (pk,) = deliveries_schedule(kind=DAILY)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(delivery_send(delivery_id=pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["not claimed", Status.SENT]
    assert len(mail.outbox) == 1
    assert only_delivery().attempts == 1


@pytest.mark.postgres
def test_two_beats_and_their_workers_at_once_send_one_email(
    require_postgres, transactional_db, due, scripted
):
    scripted.delay = 0.2
    barrier = threading.Barrier(3)
    results = []

    def beat_and_worker():
        try:
            barrier.wait()
            results.append(deliveries_run(kind=DAILY))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat_and_worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail.outbox) == 1
    assert sum(r.get(Status.SENT, 0) for r in results) == 1
    assert EmailDelivery.objects.count() == 1


@pytest.mark.postgres
def test_two_beats_at_once_hand_out_each_delivery_once(
    require_postgres, transactional_db
):
    from ..factories import UserFactory

    for n in range(30):
        UserFactory(email=f"r{n}@example.com", digest_when_empty=True)
    barrier = threading.Barrier(4)
    handed_out: list[int] = []

    def beat():
        try:
            barrier.wait()
            handed_out.extend(deliveries_schedule(kind=DAILY))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(handed_out) == 30
    assert sorted(handed_out) == sorted(
        EmailDelivery.objects.values_list("pk", flat=True)
    )


# SMTP failures


def test_a_4xx_is_retried_with_backoff_and_then_delivered(due, scripted, frozen):
    scripted.script = [("send", refused(451)), ("send", refused(451))]
    assert deliveries_run(kind=DAILY) == {Status.PENDING: 1}
    delivery = only_delivery()
    assert (delivery.attempts, delivery.not_before) == (
        1,
        NOW + dt.timedelta(minutes=2),
    )
    assert "451" in delivery.error
    at(frozen, 1)
    assert deliveries_run(kind=DAILY) == {}  # backing off
    at(frozen, 5)
    assert deliveries_run(kind=DAILY) == {Status.PENDING: 1}
    delivery = only_delivery()
    assert (delivery.attempts, delivery.not_before) == (
        2,
        NOW + dt.timedelta(minutes=10),
    )
    at(frozen, 10)
    assert deliveries_run(kind=DAILY) == {Status.SENT: 1}
    assert only_delivery().attempts == 3
    assert len(mail.outbox) == 1


def test_a_refused_connection_is_temporary(due, scripted, frozen):
    scripted.script = [("open", ConnectionRefusedError(111, "Connection refused"))]
    assert deliveries_run(kind=DAILY) == {Status.PENDING: 1}
    assert "Could not reach the mail server" in only_delivery().error
    at(frozen, 5)
    assert deliveries_run(kind=DAILY) == {Status.SENT: 1}


def test_temporary_failures_are_retried_a_bounded_number_of_times(
    due, scripted, frozen, settings
):
    settings.DIGEST_MAX_ATTEMPTS = 5
    scripted.script = [("send", refused(421))] * 50
    attempts_seen = []
    for minutes in range(0, 180, 5):  # every beat for three hours
        at(frozen, minutes)
        if deliveries_run(kind=DAILY):
            attempts_seen.append(minutes)
    delivery = only_delivery()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == 5
    assert delivery.error.startswith("Gave up after 5 attempts")
    # Backoff 2, 5, 15, 30 minutes, each retried at the first beat after it.
    assert attempts_seen == [0, 5, 10, 25, 55]
    assert mail.outbox == []


def test_a_5xx_fails_at_once_and_is_never_retried(due, scripted, frozen):
    scripted.script = [("send", refused(550))]
    assert deliveries_run(kind=DAILY) == {Status.FAILED: 1}
    delivery = only_delivery()
    assert (delivery.attempts, delivery.status) == (1, Status.FAILED)
    assert "550" in delivery.error
    for minutes in range(5, 120, 5):
        at(frozen, minutes)
        assert deliveries_run(kind=DAILY) == {}
    assert mail.outbox == []


def test_a_5xx_after_the_data_fails_too(due, scripted):
    scripted.script = [("send", smtplib.SMTPDataError(554, b"Message rejected"))]
    assert deliveries_run(kind=DAILY) == {Status.FAILED: 1}
    assert "554 Message rejected" in only_delivery().error


def test_a_connection_lost_mid_send_is_stuck_and_never_resent_blindly(
    due, scripted, frozen
):
    scripted.script = [("send", smtplib.SMTPServerDisconnected("gone"))]
    assert deliveries_run(kind=DAILY) == {Status.STUCK: 1}
    assert "may or may not have arrived" in only_delivery().error
    for minutes in range(5, 120, 5):
        at(frozen, minutes)
        assert deliveries_run(kind=DAILY) == {}
    assert only_delivery().status == Status.STUCK


def test_a_send_left_sending_is_marked_stuck_and_never_resent(due, frozen, settings):
    settings.DIGEST_STUCK_AFTER_MINUTES = 15
    (pk,) = deliveries_schedule(kind=DAILY)
    # A worker claims it and dies before it records anything.
    EmailDelivery.objects.filter(pk=pk).update(
        status=Status.SENDING, attempts=1, claimed_at=NOW
    )
    at(frozen, 10)
    assert deliveries_run(kind=DAILY) == {}
    assert only_delivery().status == Status.SENDING
    at(frozen, 20)
    assert deliveries_run(kind=DAILY) == {}
    delivery = only_delivery()
    assert delivery.status == Status.STUCK
    assert "Still sending after 15 minutes" in delivery.error
    at(frozen, 60)
    assert deliveries_run(kind=DAILY) == {}
    assert mail.outbox == []


def test_an_admin_resends_a_stuck_delivery_once_they_have_checked(
    due, scripted, frozen, ada
):
    scripted.script = [("send", smtplib.SMTPServerDisconnected("gone"))]
    deliveries_run(kind=DAILY)
    model_admin = admin_site._registry[EmailDelivery]
    # The action asks first (test_digest_records.py), then acts on "confirm".
    asked = RequestFactory().post("/")
    asked.user = ada
    page = model_admin.send_again(asked, EmailDelivery.objects.filter(user=due))
    assert page.template_name.endswith("send_again.html")
    assert only_delivery().status == Status.STUCK
    request = RequestFactory().post("/", {"confirm": "yes"})
    request.user = ada
    with mock.patch.object(model_admin, "message_user") as told:
        model_admin.send_again(request, EmailDelivery.objects.filter(user=due))
    assert "1 deliveries will be sent again" in told.call_args.args[1]
    delivery = only_delivery()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 0)
    assert delivery.error.startswith("Resent by Ada Admin after: Connection lost")
    at(frozen, 5)
    assert deliveries_run(kind=DAILY) == {Status.SENT: 1}
    assert len(mail.outbox) == 1


def test_the_admin_lists_deliveries_with_a_status_filter(as_user, ada, due):
    deliveries_run(kind=DAILY)
    client = as_user(ada)
    response = client.get("/admin/followups/emaildelivery/?status__exact=sent")
    assert response.status_code == 200
    assert "Alice Archer" in response.content.decode()
    assert "By status" in response.content.decode()
    response = client.get("/admin/followups/emaildelivery/?status__exact=failed")
    assert "Alice Archer" not in response.content.decode()
    page = client.get(f"/admin/followups/emaildelivery/{only_delivery().pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()  # read-only


def test_a_retry_that_would_fall_on_the_next_day_fails_instead(alice, scripted, frozen):
    alice.digest_when_empty = True
    alice.save()
    # 23:58 in London: the backoff would end after midnight.
    frozen.move_to(dt.datetime(2026, 11, 20, 23, 58, tzinfo=UTC), tick=False)
    scripted.script = [("send", refused(451))]
    assert deliveries_run(kind=DAILY) == {Status.FAILED: 1}
    assert "would fall on the next day" in only_delivery().error


def test_an_email_that_cannot_be_built_fails_and_is_not_retried(due, frozen):
    with mock.patch.object(
        delivery_module, "digest_context", side_effect=RuntimeError("bug")
    ):
        assert deliveries_run(kind=DAILY) == {Status.FAILED: 1}
    assert "Could not build the email" in only_delivery().error
    at(frozen, 30)
    assert deliveries_run(kind=DAILY) == {}


def test_turned_off_between_the_beat_and_the_worker_sends_nothing(due):
    (pk,) = deliveries_schedule(kind=DAILY)
    due.digest_enabled = False
    due.save()
    assert delivery_send(delivery_id=pk) == Status.SKIPPED
    assert mail.outbox == []


# Previews


def test_a_preview_is_sent_now_and_is_not_the_days_digest(due, frozen):
    frozen.move_to(dt.datetime(2026, 11, 20, 6, 30, tzinfo=UTC), tick=False)
    preview = digest_preview_send(user=due)
    assert preview.status == Status.SENT
    assert preview.kind == EmailDelivery.Kind.PREVIEW
    (message,) = mail.outbox
    assert message.subject.startswith("[Preview] 1 due today")
    assert "PREVIEW" in message.body
    # The day's digest still goes out at the hour.
    frozen.move_to(dt.datetime(2026, 11, 20, 7, 0, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {Status.SENT: 1}
    assert len(mail.outbox) == 2
    assert not mail.outbox[1].subject.startswith("[Preview]")
    # ...and a preview after it is allowed too: it is not the day's digest.
    frozen.move_to(dt.datetime(2026, 11, 20, 7, 5, tzinfo=UTC), tick=False)
    assert digest_preview_send(user=due).status == Status.SENT
    assert EmailDelivery.objects.filter(kind=DAILY).count() == 1


def test_previews_are_limited_to_one_a_minute(due, frozen):
    digest_preview_send(user=due)
    with pytest.raises(ValidationError, match="less than a minute ago"):
        digest_preview_send(user=due)
    at(frozen, 2)
    digest_preview_send(user=due)
    assert len(mail.outbox) == 2


def test_a_preview_that_fails_says_why_and_is_not_retried(due, scripted, frozen):
    scripted.script = [("send", refused(451))]
    preview = digest_preview_send(user=due)
    assert preview.status == Status.FAILED
    assert "451" in preview.error
    at(frozen, 10)
    assert deliveries_run(kind=EmailDelivery.Kind.DAILY_DIGEST) == {Status.SENT: 1}
    assert EmailDelivery.objects.get(kind=EmailDelivery.Kind.PREVIEW).status == (
        Status.FAILED
    )
