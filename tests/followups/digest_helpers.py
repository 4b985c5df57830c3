"""Shared helpers for the digest tests: follow-ups on given days, the links in an
email, and a throwaway SMTP server (aiosmtpd) on a loopback port."""

from __future__ import annotations

import email
import socket
import threading
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser

from aiosmtpd.controller import Controller

from followups.services import followup_create

from ..factories import CandidateFactory, ClientFactory, ContactFactory


def add_followup(user, due, *, title=None, with_contact=False, **extra):
    """An open follow-up for `user` due on `due`, with a person who has a phone and
    an email address."""
    if with_contact:
        contact = ContactFactory(client=ClientFactory(owner=user), owner=user)
        person = {"contact": contact}
    else:
        person = {"candidate": CandidateFactory(owner=user)}
    return followup_create(
        by=user,
        assigned_to=user,
        due_date=due,
        title=title or f"Call due {due:%d %b}",
        **person,
        **extra,
    )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name == "href":
                self.hrefs.append(value)
            if name == "src":
                self.srcs.append(value)


def html_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """An SMTP server's behaviour: accepts everything, except that it answers
    `451` to the addresses in `temporary` for their first `temporary_times` tries
    and `550` to the ones in `permanent`. Accepted messages are parsed with the
    `email` package into `messages`. With `queue_ids`, it answers DATA as Postfix
    does, "250 2.0.0 Ok: queued as ABC123" (ABC123, ABC124, ...), and notes each
    message's queue id by its Message-ID in `queued`."""

    def __init__(
        self,
        *,
        temporary=(),
        temporary_times=2,
        permanent=(),
        queue_ids=False,
    ):
        self.temporary = {a.lower() for a in temporary}
        self.temporary_times = temporary_times
        self.permanent = {a.lower() for a in permanent}
        self.queue_ids = queue_ids
        self.refused: dict[str, int] = {}
        self.messages: list[EmailMessage] = []
        self.queued: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        address = address.lower()
        with self.lock:
            if address in self.permanent:
                return "550 5.1.1 No such mailbox here"
            if address in self.temporary:
                seen = self.refused.get(address, 0)
                if seen < self.temporary_times:
                    self.refused[address] = seen + 1
                    return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            if not self.queue_ids:
                return "250 Message accepted for delivery"
            queue_id = f"ABC{123 + len(self.queued)}"
            self.queued[message["Message-ID"]] = queue_id
        return f"250 2.0.0 Ok: queued as {queue_id}"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1, started and stopped by the test."""

    def __init__(self, handler, port: int | None = None):
        self.handler = handler
        self.port = port or free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
