"""core.mail: the SMTP backend keeps the server's reply to each message it sent, and
queue_id() reads the server's id for the message out of it."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from core.mail import EmailBackend, queue_id

from ..followups.digest_helpers import RecordingHandler, SmtpServer


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("250 2.0.0 Ok: queued as 4BX2Lk0Mcz", "4BX2Lk0Mcz"),  # Postfix
        ("250 OK id=1rAbCd-0001Xy-2Q", "1rAbCd-0001Xy-2Q"),  # Exim
        ("250 2.0.0 4AKA0a5X012345 Message accepted for delivery", "4AKA0a5X012345"),
        ("250 2.0.0 OK  1700000000 a1-20020a170906 - gsmtp", "a1-20020a170906"),
        ("250 Ok 0102018c3f6c8d2e-6f0e-000000", "0102018c3f6c8d2e-6f0e-000000"),
        ("250 OK", ""),  # aiosmtpd's default: no id
        ("250 Message accepted for delivery", ""),
        ("", ""),
    ],
)
def test_queue_id_reads_the_servers_id_for_the_message(reply, expected):
    assert queue_id(reply) == expected


def test_the_backend_keeps_each_messages_reply_from_a_real_server(settings):
    settings.DEFAULT_FROM_EMAIL = "crm@example.test"
    handler = RecordingHandler(queue_ids=True, permanent=["gone@example.com"])
    with SmtpServer(handler) as server:
        backend = EmailBackend(host="127.0.0.1", port=server.port, timeout=5)
        first = EmailMessage("One", "body", to=["a@example.com"])
        second = EmailMessage("Two", "body", to=["b@example.com"])
        assert backend.send_messages([first, second]) == 2
        refused = EmailMessage("Three", "body", to=["gone@example.com"])
        backend.fail_silently = True
        assert backend.send_messages([refused]) == 0
    assert first.smtp_reply == "250 2.0.0 Ok: queued as ABC123"
    assert second.smtp_reply == "250 2.0.0 Ok: queued as ABC124"
    assert refused.smtp_reply == ""
    assert [m["Subject"] for m in handler.messages] == ["One", "Two"]
