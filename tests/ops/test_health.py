"""/healthz and /readyz: what an operator's monitor asks."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from django.core.management import call_command

from followups.models import EmailDelivery
from ops import selectors
from ops.models import Heartbeat
from ops.services import heartbeat_record

from ..conftest import require
from ..workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def test_healthz_answers_without_signing_in_or_touching_the_database(client):
    # No database access is allowed in this test: a query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_heartbeat_is_one_row_that_a_second_run_moves_on():
    heartbeat_record(now=NOW)
    heartbeat_record(now=NOW + dt.timedelta(minutes=1))
    assert list(Heartbeat.objects.values_list("name", "beat_at")) == [
        ("beat", NOW + dt.timedelta(minutes=1))
    ]


@pytest.mark.django_db
def test_the_heartbeat_command_records_one(capsys):
    call_command("heartbeat")
    assert Heartbeat.objects.filter(name="beat").count() == 1
    assert "Heartbeat recorded" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes_ago", "ok"), [(None, False), (3, True), (15, True), (16, False)]
)
def test_beat_is_ready_while_its_heartbeat_is_younger_than_15_minutes(minutes_ago, ok):
    if minutes_ago is not None:
        heartbeat_record(now=NOW - dt.timedelta(minutes=minutes_ago))
    assert selectors.check_beat(NOW).ok is ok


@pytest.mark.django_db
def test_digests_fail_readiness_when_one_has_waited_over_30_minutes(alice):
    def delivery(status, waited, day):
        return EmailDelivery.objects.create(
            user=alice,
            kind=EmailDelivery.Kind.DAILY_DIGEST,
            local_date=day,
            status=status,
            not_before=NOW - dt.timedelta(minutes=waited),
        )

    assert selectors.check_digests(NOW).ok
    delivery(EmailDelivery.Status.PENDING, 10, dt.date(2026, 12, 1))
    delivery(EmailDelivery.Status.STUCK, 600, dt.date(2026, 11, 30))
    check = selectors.check_digests(NOW)
    assert check.ok, check.detail
    assert "oldest waiting 10 min" in check.detail
    assert "1 stuck, 0 failed" in check.detail
    delivery(EmailDelivery.Status.PENDING, 31, dt.date(2026, 12, 2))
    check = selectors.check_digests(NOW)
    assert not check.ok
    assert "oldest waiting 31 min" in check.detail


def test_an_unreachable_broker_fails_readiness():
    closed = Celery("closed", broker="redis://127.0.0.1:1/0")
    closed.conf.broker_connection_timeout = 1
    assert selectors.check_broker(closed).ok is False


@pytest.mark.django_db
def test_readyz_shows_details_only_with_the_token(client, settings):
    settings.READYZ_TOKEN = "s3cret-token-for-tests"
    response = client.get("/readyz")
    assert response.status_code == 503  # no worker and no heartbeat in this test
    assert response.json() == {"status": "fail"}
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer s3cret-token-for-tests")
    checks = response.json()["checks"]
    assert set(checks) == {"database", "broker", "workers", "beat", "digests"}
    assert checks["database"]["ok"] is True
    assert checks["beat"] == {"ok": False, "detail": "no heartbeat yet"}
    wrong = client.get("/readyz", HTTP_AUTHORIZATION="Bearer nope")
    assert "checks" not in wrong.json()


@pytest.mark.redis
def test_readyz_is_ready_with_a_real_worker_and_fails_when_beat_goes_quiet(
    require_postgres, transactional_db, client, settings
):
    require(bool(os.environ.get("REDIS_URL")), "Redis (set REDIS_URL)")
    settings.READYZ_TOKEN = "token"
    settings.READYZ_WORKER_TIMEOUT = 2
    auth = {"HTTP_AUTHORIZATION": "Bearer token"}
    with celery_worker(name="readyz") as worker:
        heartbeat_record()
        deadline = time.monotonic() + 60
        response = client.get("/readyz", **auth)
        while response.status_code != 200 and time.monotonic() < deadline:
            time.sleep(1)
            response = client.get("/readyz", **auth)
        assert response.status_code == 200, (response.json(), worker.output()[-3000:])
        assert response.json()["checks"]["workers"]["ok"] is True
        with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
            quiet = client.get("/readyz", **auth)
        assert quiet.status_code == 503
        assert quiet.json()["checks"]["beat"]["ok"] is False
