"""Celery tasks: thin wrappers over one service each. Schedules are in crm/celery.py."""

from __future__ import annotations

from celery import shared_task

from .services import heartbeat_record


@shared_task(name="ops.beat_heartbeat")
def beat_heartbeat() -> None:
    heartbeat_record()
