"""Celery tasks: thin wrappers over one service each. Schedules are in crm/celery.py."""

from __future__ import annotations

from celery import shared_task

from placements.services import placements_advance_statuses

from . import services


@shared_task(name="followups.materialize_followups")
def materialize_followups() -> str:
    return str(services.materialize_followups())


@shared_task(name="followups.flag_dormant_relationships")
def flag_dormant_relationships() -> int:
    return services.flag_dormant_relationships()


@shared_task(name="followups.advance_placement_statuses")
def advance_placement_statuses() -> tuple[int, int]:
    return placements_advance_statuses()
