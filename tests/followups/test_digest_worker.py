"""A real Celery worker, fed through Redis, sends the digests of 200 users to a real
SMTP server (aiosmtpd) started by the test: 200 emails, one each, even with the
beat task sent twice."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from accounts.models import User
from followups import tasks
from followups.models import EmailDelivery

from ..conftest import require
from ..workers import celery_worker
from .digest_helpers import RecordingHandler, SmtpServer

ROOT = Path(__file__).resolve().parents[2]
USERS = 200


def _real_utc_now() -> dt.datetime:
    # The test process's clock is frozen; the worker's is not.
    seconds = int(subprocess.run(["date", "+%s"], capture_output=True).stdout)
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _zone_at_noon(now: dt.datetime) -> str:
    """A fixed-offset zone where it is around noon now, so that no local midnight
    falls inside the test: the worker runs on the real clock."""
    offset = (12 - now.hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.mark.redis
def test_a_real_worker_sends_200_digests_once_each(require_postgres, transactional_db):
    require(bool(os.environ.get("REDIS_URL")), "Redis (set REDIS_URL)")
    zone = _zone_at_noon(_real_utc_now())
    User.objects.bulk_create(
        User(
            email=f"user{n}@example.com",
            first_name=f"User{n}",
            time_zone=zone,
            digest_hour=0,
            digest_days="1234567",
            digest_when_empty=True,
            calendar_token=f"worker-test-calendar-token-{n:04d}",
        )
        for n in range(USERS)
    )
    handler = RecordingHandler()
    with (
        SmtpServer(handler) as server,
        celery_worker(
            name="digests",
            pool="threads",
            concurrency=4,
            env={
                "EMAIL_URL": f"smtp://127.0.0.1:{server.port}",
                "SITE_URL": "https://crm.example.test",
            },
        ) as worker,
    ):
        # The beat task, twice (a second beat, or a duplicated message): each run
        # hands out one task per due user, and the worker sends them.
        tasks.send_due_digests.apply_async(queue=worker.queue)
        tasks.send_due_digests.apply_async(queue=worker.queue)
        sent = EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and (
            len(handler.messages) < USERS or sent.count() < USERS
        ):
            time.sleep(0.5)
        time.sleep(2)  # anything late would be a duplicate
    output = worker.output()
    recipients = [m["To"] for m in handler.messages]
    assert len(recipients) == USERS, output[-3000:]
    assert sorted(set(recipients)) == sorted(
        f"user{n}@example.com" for n in range(USERS)
    )
    assert EmailDelivery.objects.count() == USERS
    assert sent.count() == USERS
    assert set(EmailDelivery.objects.values_list("attempts", flat=True)) == {1}
    # The two beat runs handed out 200 tasks between them, not 400: the second
    # found the deliveries leased (or locked) by the first.
    handed_out = re.findall(
        r"followups\.send_due_digests\[[^\]]+\] succeeded in [\d.]+s: (\d+)", output
    )
    assert sorted(int(n) for n in handed_out) == [0, USERS], handed_out
    assert output.count(": 'sent'") == USERS
    assert all(
        m["List-Unsubscribe"].strip().startswith("<https://crm.example.test/")
        for m in handler.messages
    )
