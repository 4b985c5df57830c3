"""Readiness: each thing a working deployment needs, checked and explained.

Every check answers (ok, detail). `/readyz` answers 503 when one is not ok.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from followups.models import EmailDelivery

from .models import Heartbeat
from .services import BEAT


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return Check("database", False, f"unreachable: {exc.__class__.__name__}")
    if pending:
        return Check("database", False, f"{len(pending)} migrations not applied")
    return Check("database", True, f"{connection.vendor}, migrated")


def check_broker(app) -> Check:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return Check("broker", False, f"unreachable: {exc.__class__.__name__}")
    return Check("broker", True, app.conf.broker_url.split("://", 1)[0])


def check_workers(app) -> Check:
    try:
        answers = app.control.ping(timeout=settings.READYZ_WORKER_TIMEOUT) or []
    except Exception as exc:  # noqa: BLE001
        return Check("workers", False, f"no answer: {exc.__class__.__name__}")
    if not answers:
        return Check("workers", False, "no worker answered")
    return Check("workers", True, f"{len(answers)} answering")


def check_beat(now: datetime) -> Check:
    limit = timedelta(minutes=settings.BEAT_HEARTBEAT_MAX_AGE_MINUTES)
    heartbeat = Heartbeat.objects.filter(name=BEAT).first()
    if heartbeat is None:
        return Check("beat", False, "no heartbeat yet")
    age = now - heartbeat.beat_at
    minutes = int(age.total_seconds() // 60)
    return Check("beat", age <= limit, f"last heartbeat {minutes} min ago")


def check_digests(now: datetime) -> Check:
    """The oldest delivery still waiting to be sent: a long wait means the workers
    are not keeping up (or not running). Stuck and failed ones of the last day are
    reported, not failed on: they wait for a person, not for the machine."""
    limit = timedelta(minutes=settings.DIGEST_PENDING_MAX_MINUTES)
    oldest = (
        EmailDelivery.objects.filter(
            status__in=[EmailDelivery.Status.PENDING, EmailDelivery.Status.SENDING],
            not_before__lte=now,
        )
        .order_by("not_before")
        .values_list("not_before", flat=True)
        .first()
    )
    trouble = EmailDelivery.objects.needing_attention(now)
    tail = f"; last 24 h: {trouble['stuck']} stuck, {trouble['failed']} failed"
    if oldest is None:
        return Check("digests", True, "none waiting" + tail)
    minutes = int((now - oldest).total_seconds() // 60)
    return Check(
        "digests", now - oldest <= limit, f"oldest waiting {minutes} min" + tail
    )


def readiness(*, app, now: datetime | None = None) -> list[Check]:
    now = now or timezone.now()
    database = check_database()
    checks = [database, check_broker(app), check_workers(app)]
    if database.ok:
        checks += [check_beat(now), check_digests(now)]
    return checks
