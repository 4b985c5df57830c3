"""Real delivery: the digests go through Django's SMTP backend to a real SMTP server
(aiosmtpd) on a loopback port, started by the test. It answers 451 to some
recipients (they arrive after retries), 550 to one (failed), and accepts the rest;
the messages are parsed with the `email` package."""

from __future__ import annotations

import datetime as dt

import pytest

from followups.delivery import deliveries_run
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
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
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
