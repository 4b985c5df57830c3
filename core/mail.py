"""The SMTP backend the project sends through: Django's, except that it keeps what the
server answered to each message it accepted.

Django's backend (and `smtplib.SMTP.sendmail`) drop the server's reply to DATA, yet
that reply is the one proof of delivery we can show: "250 2.0.0 Ok: queued as
4BX2Lk0Mcz" names the message in the server's own log. Each message this backend
sends gets `smtp_reply` (that reply, "250 ...") set on it; `queue_id()` reads the
server's id out of it.
"""

from __future__ import annotations

import re
import smtplib

from django.core.mail.backends import smtp


class _KeepsDataReply:
    """An `smtplib.SMTP` that remembers its last reply to DATA."""

    data_reply: tuple[int, bytes] | None = None

    def data(self, msg):
        code, reply = super().data(msg)
        self.data_reply = (code, reply)
        return code, reply


class _SMTP(_KeepsDataReply, smtplib.SMTP):
    pass


class _SMTP_SSL(_KeepsDataReply, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend; every message it sends carries the server's reply to
    its DATA in `message.smtp_reply` (empty if it was not sent)."""

    @property
    def connection_class(self):
        return _SMTP_SSL if self.use_ssl else _SMTP

    def _send(self, email_message) -> bool:
        email_message.smtp_reply = ""
        if self.connection is not None:
            self.connection.data_reply = None
        sent = super()._send(email_message)
        reply = getattr(self.connection, "data_reply", None)
        if sent and reply is not None:
            code, text = reply
            text = text.decode(errors="replace") if isinstance(text, bytes) else text
            email_message.smtp_reply = f"{code} {' '.join(text.split())}"[:300]
        return sent


# How servers name a message in their 250 reply to DATA:
#   Postfix   "250 2.0.0 Ok: queued as 4BX2Lk0Mcz"
#   Exim      "250 OK id=1rAbCd-0001Xy-2Q"
#   Sendmail  "250 2.0.0 4AKA0a5X012345 Message accepted for delivery"
#   Gmail     "250 2.0.0 OK  1700000000 a1-20020a17090...  - gsmtp"
#   SES       "250 Ok 0102018c3f6c8d2e-6f0e...-000000"
_NAMED = re.compile(r"(?:queued as|\bid=)\s*<?([^\s<>;,]+)", re.IGNORECASE)
_STATUS = re.compile(r"^\d\.\d{1,3}\.\d{1,3}$")  # an enhanced status code: 2.0.0


def queue_id(reply: str) -> str:
    """The server's id for the message in an SMTP reply ("" if it gives none): what
    follows "queued as" or "id=", else the first word of letters and digits (at
    least 6 characters) after the code."""
    if match := _NAMED.search(reply):
        return match.group(1)[:100]
    for word in reply.split()[1:]:
        word = word.strip("<>[]();,.")
        if _STATUS.match(word) or len(word) < 6:
            continue
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word[:100]
    return ""
