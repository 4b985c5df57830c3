"""Real delivery: the digests go through the project's SMTP backend (Django's, keeping
the server's reply: core/mail.py) to a real SMTP server (aiosmtpd) on a loopback port,
started by the test. It answers 451 to some recipients (they arrive after retries),
550 to one (failed), and accepts the rest; the messages are parsed with the `email`
package. On PostgreSQL, the worker's database connection is killed right after the
server accepted an email."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from django.db import connection, connections

from core.mail import EmailBackend
from followups.delivery import deliveries_run, deliveries_schedule, delivery_send
from followups.models import EmailDelivery

from ..factories import UserFactory
from .digest_helpers import RecordingHandler, SmtpServer, add_followup, free_port

pytestmark = pytest.mark.django_db
UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DAILY = EmailDelivery.Kind.DAILY_DIGEST
Status = EmailDelivery.Status
SITE = "https://crm.example.test"


@pytest.fixture
def smtp_settings(settings):
    def point_at(port: int):
        settings.EMAIL_BACKEND = "core.mail.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "digests@crm.example.test"

    return point_at


@pytest.fixture
def recruiters(db):
    """Eight recruiters in London, each with one follow-up due today."""
    users = []
    for n in range(8):
        user = UserFactory(
            email=f"recruiter{n}@example.com",
            first_name=f"R{n}",
            time_zone="Europe/London",
        )
        add_followup(user, dt.date(2026, 11, 20), title=f"Call for recruiter {n}")
        users.append(user)
    return users


def test_451s_arrive_after_retries_the_550_fails_and_nothing_is_doubled(
    recruiters, smtp_settings, frozen
):
    busy = {"recruiter1@example.com", "recruiter4@example.com"}
    gone = "recruiter6@example.com"
    handler = RecordingHandler(temporary=busy, temporary_times=2, permanent=[gone])
    with SmtpServer(handler) as server:
        smtp_settings(server.port)
        first = deliveries_run(kind=DAILY)
        assert first == {Status.SENT: 5, Status.PENDING: 2, Status.FAILED: 1}
        for minutes in range(5, 60, 5):  # the beat keeps running
            frozen.move_to(NOW + dt.timedelta(minutes=minutes), tick=False)
            deliveries_run(kind=DAILY)
    statuses = dict(
        EmailDelivery.objects.filter(kind=DAILY).values_list("user__email", "status")
    )
    assert statuses.pop(gone) == Status.FAILED
    assert set(statuses.values()) == {Status.SENT}
    assert len(statuses) == 7
    for address in busy:
        delivery = EmailDelivery.objects.get(user__email=address)
        assert delivery.attempts == 3  # 451, 451, accepted
        assert handler.refused[address] == 2
    failed = EmailDelivery.objects.get(user__email=gone)
    assert failed.attempts == 1
    assert "550" in failed.error and "No such mailbox" in failed.error
    # One message per accepted recipient, none for the 550, no duplicates.
    received = sorted(m["To"] for m in handler.messages)
    assert received == sorted(statuses)
    assert handler.to(gone) == []


def test_the_received_message_is_multipart_with_the_right_headers(
    recruiters, smtp_settings, settings
):
    settings.SITE_URL = SITE
    handler = RecordingHandler()
    with SmtpServer(handler) as server:
        smtp_settings(server.port)
        deliveries_run(kind=DAILY)
    (message,) = handler.to("recruiter3@example.com")
    assert message["From"] == "digests@crm.example.test"
    assert message["Subject"] == "1 due today · your follow-ups for Fri 20 Nov"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Call for recruiter 3" in text and "Call for recruiter 3" in html
    assert "Call for recruiter 2" not in text
    assert f"{SITE}/followups/" in text and f"{SITE}/email/act/" in html
    unsubscribe = message["List-Unsubscribe"].strip()  # folded: it is long
    assert unsubscribe.startswith(f"<{SITE}/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    delivery = EmailDelivery.objects.get(user__email="recruiter3@example.com")
    assert message["Message-ID"] == delivery.message_id
    assert message["Date"]


def test_a_mail_server_that_is_down_is_retried_then_given_up(
    recruiters, smtp_settings, frozen, settings
):
    settings.DIGEST_MAX_ATTEMPTS = 3
    smtp_settings(free_port())  # nothing listens there
    for minutes in range(0, 60, 5):
        frozen.move_to(NOW + dt.timedelta(minutes=minutes), tick=False)
        deliveries_run(kind=DAILY)
    deliveries = EmailDelivery.objects.filter(kind=DAILY)
    assert {d.status for d in deliveries} == {Status.FAILED}
    assert {d.attempts for d in deliveries} == {3}
    assert all("Could not reach the mail server" in d.error for d in deliveries)


def test_when_the_server_comes_back_the_pending_ones_go_out_once(
    recruiters, smtp_settings, frozen
):
    port = free_port()
    smtp_settings(port)
    assert deliveries_run(kind=DAILY) == {Status.PENDING: 8}  # server down
    handler = RecordingHandler()
    with SmtpServer(handler, port=port):
        for minutes in range(5, 30, 5):
            frozen.move_to(NOW + dt.timedelta(minutes=minutes), tick=False)
            deliveries_run(kind=DAILY)
    assert sorted(m["To"] for m in handler.messages) == sorted(
        u.email for u in recruiters
    )


def test_the_servers_queue_id_and_the_message_id_are_kept(recruiters, smtp_settings):
    handler = RecordingHandler(queue_ids=True)
    with SmtpServer(handler) as server:
        smtp_settings(server.port)
        assert deliveries_run(kind=DAILY) == {Status.SENT: 8}
    deliveries = EmailDelivery.objects.filter(kind=DAILY)
    assert sorted(d.queue_id for d in deliveries) == [
        f"ABC{n}" for n in range(123, 131)
    ]
    for delivery in deliveries:
        (message,) = handler.to(delivery.user.email)
        assert delivery.message_id == message["Message-ID"]
        assert delivery.queue_id == handler.queued[delivery.message_id]
        assert delivery.smtp_reply == f"250 2.0.0 Ok: queued as {delivery.queue_id}"


def test_a_server_that_names_no_queue_id_leaves_it_empty(recruiters, smtp_settings):
    handler = RecordingHandler()
    with SmtpServer(handler) as server:
        smtp_settings(server.port)
        deliveries_run(kind=DAILY)
    delivery = EmailDelivery.objects.filter(kind=DAILY).first()
    assert delivery.smtp_reply == "250 Message accepted for delivery"
    assert delivery.queue_id == ""
    assert delivery.message_id.startswith("<")


# The database connection dropped after the server accepted the email


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    """Kill the PostgreSQL backend `pid` from another connection, and wait until it
    has gone."""
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0], f"backend {pid} was not there to kill"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.05)
        raise AssertionError(f"backend {pid} still there 10 s after it was killed")
    finally:
        killer.close()


class KillsTheDatabaseAfterSending(EmailBackend):
    """The project's SMTP backend; once the server has accepted a message, the
    sending thread's database connection is killed (pg_terminate_backend), as a
    database restart or a failover would, before the delivery records it."""

    killed: list[int] = []

    def send_messages(self, email_messages):
        pid = _backend_pid()
        sent = super().send_messages(email_messages)
        terminate(pid)
        KillsTheDatabaseAfterSending.killed.append(pid)
        return sent


@pytest.mark.postgres
def test_the_database_killed_after_the_server_accepted_leaves_it_sent_with_its_queue_id(
    require_postgres, transactional_db, smtp_settings, settings, caplog
):
    user = UserFactory(email="killed@example.com", time_zone="Europe/London")
    add_followup(user, dt.date(2026, 11, 20))
    handler = RecordingHandler(queue_ids=True)
    KillsTheDatabaseAfterSending.killed = []
    caplog.set_level(logging.WARNING, logger="followups")
    with SmtpServer(handler) as server:
        smtp_settings(server.port)
        settings.EMAIL_BACKEND = f"{__name__}.KillsTheDatabaseAfterSending"
        (pk,) = deliveries_schedule(kind=DAILY)
        assert delivery_send(delivery_id=pk) == Status.SENT
    (killed,) = KillsTheDatabaseAfterSending.killed
    assert _backend_pid() != killed  # recorded on a fresh connection
    assert "could not record sent" in caplog.text and "retrying" in caplog.text
    delivery = EmailDelivery.objects.get(pk=pk)
    (message,) = handler.messages
    assert (delivery.status, delivery.attempts) == (Status.SENT, 1)
    assert (delivery.queue_id, delivery.message_id) == ("ABC123", message["Message-ID"])
    assert delivery.smtp_reply == "250 2.0.0 Ok: queued as ABC123"
    assert delivery.sent_at == NOW and delivery.error == ""
    # Later beats leave it alone: it is sent, not stuck, and never sent again.
    for minutes in (5, 20, 60):
        later = NOW + dt.timedelta(minutes=minutes)
        assert deliveries_run(kind=DAILY, now=later) == {}
    assert EmailDelivery.objects.get(pk=pk).status == Status.SENT
    assert len(handler.messages) == 1
