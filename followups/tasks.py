"""Celery tasks: thin wrappers over one service each. Schedules are in crm/celery.py."""

from __future__ import annotations

from celery import shared_task

from placements.services import placements_advance_statuses

from . import delivery, jobs
from .models import EmailDelivery


@shared_task(name="followups.materialize_followups")
def materialize_followups() -> str:
    return str(jobs.materialize_followups())


@shared_task(name="followups.flag_dormant_relationships")
def flag_dormant_relationships() -> int:
    return jobs.flag_dormant_relationships()


@shared_task(name="followups.advance_placement_statuses")
def advance_placement_statuses() -> tuple[int, int]:
    return placements_advance_statuses()


# Email: the beat schedules deliveries every few minutes and hands each to a worker.


@shared_task(name="followups.send_due_digests")
def send_due_digests() -> int:
    ids = delivery.deliveries_schedule(kind=EmailDelivery.Kind.DAILY_DIGEST)
    for pk in ids:
        send_delivery.delay(pk)
    return len(ids)


@shared_task(name="followups.send_due_team_summaries")
def send_due_team_summaries() -> int:
    ids = delivery.deliveries_schedule(kind=EmailDelivery.Kind.TEAM_SUMMARY)
    for pk in ids:
        send_delivery.delay(pk)
    return len(ids)


@shared_task(name="followups.send_delivery")
def send_delivery(delivery_id: int) -> str:
    return delivery.delivery_send(delivery_id=delivery_id)
