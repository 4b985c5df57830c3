"""Writes of the operations app."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat

BEAT = "beat"


def heartbeat_record(*, name: str = BEAT, now: datetime | None = None) -> Heartbeat:
    """Record that `name` is alive now. One row per name: running it twice, or at
    once, leaves one row with the later time."""
    beat_at = now or timezone.now()
    heartbeat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": beat_at}
    )
    return heartbeat
