"""What came of one attempt to send an email, and recording it so that it sticks.

An SMTP error is temporary (retry), permanent (failed) or unknown (the connection
was lost mid-transaction: the email may have arrived, so stuck). Whatever the
outcome, it is written with a conditional UPDATE; when the database connection
drops at that moment (after the mail server accepted the email, the one write that
must not be lost), the write is retried a few times on a fresh connection, so a
sent email is recorded as sent instead of turning stuck and being sent again.
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import datetime

from django.db import InterfaceError, OperationalError, connections, router

from .models import EmailDelivery

logger = logging.getLogger(__name__)

Status = EmailDelivery.Status

# Seconds to wait before each new try at recording an outcome: about 8 s in all,
# enough for a dropped connection or a database failover, short enough for a worker.
RECORD_RETRY_DELAYS: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 4.0)


class Temporary(Exception):
    pass


class Permanent(Exception):
    pass


class Unknown(Exception):
    pass


def classify(exc: Exception, *, sending: bool) -> Exception:
    """Temporary (retry), permanent (failed) or unknown (maybe sent: stuck)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(
            f"{rcpt}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
        if codes and all(400 <= c < 500 for c in codes):
            return Temporary(f"Recipient refused for now: {text}")
        return Permanent(f"Recipient refused: {text}")
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        text = f"SMTP {exc.smtp_code} {message}"
        if 400 <= exc.smtp_code < 500:
            return Temporary(text)
        if 500 <= exc.smtp_code < 600:
            return Permanent(text)
    if sending and isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return Unknown(f"Connection lost while sending: {exc!r}")
    if isinstance(exc, OSError):  # includes smtplib.SMTPException
        return Temporary(f"Could not reach the mail server: {exc!r}")
    return Permanent(repr(exc))


def record(
    delivery: EmailDelivery,
    status: str,
    now: datetime,
    **fields,
) -> str:
    """Record the outcome of an attempt: `status` and `fields`, if the delivery is
    still the claimant's (sending, or stuck: a worker that finishes after its
    delivery was marked stuck still records what really happened). A dropped
    database connection is retried on a fresh one (RECORD_RETRY_DELAYS); if the
    database stays away, the error is logged with what the server answered and
    raised, and the delivery later turns stuck."""
    rows = EmailDelivery.objects.filter(
        pk=delivery.pk, status__in=(Status.SENDING, Status.STUCK)
    )
    connection = connections[router.db_for_write(EmailDelivery)]
    delays = iter(RECORD_RETRY_DELAYS)
    while True:
        try:
            rows.update(status=status, updated_at=now, **fields)
            return status
        except (OperationalError, InterfaceError) as exc:
            delay = next(delays, None)
            # Inside a transaction a fresh connection could not carry on its work.
            if delay is None or connection.in_atomic_block:
                logger.error(
                    "Email delivery %s: could not record %s %r: %s",
                    delivery.pk,
                    status,
                    fields,
                    exc,
                )
                raise
            logger.warning(
                "Email delivery %s: could not record %s (%s); retrying in %s s on a "
                "fresh database connection",
                delivery.pk,
                status,
                exc,
                delay,
            )
            connection.close()  # the next query opens a new one
            time.sleep(delay)
