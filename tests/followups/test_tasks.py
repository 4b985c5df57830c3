"""Each periodic task calls its service; each is also a manage.py command; and one
real Celery worker runs a task sent through the Redis broker."""

import datetime as dt
import os
import time
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from followups import tasks
from followups.models import FollowUp

from ..conftest import require
from ..factories import ClientFactory, ContactFactory
from ..workers import celery_worker

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("task", "target"),
    [
        (tasks.materialize_followups, "followups.jobs.materialize_followups"),
        (
            tasks.flag_dormant_relationships,
            "followups.jobs.flag_dormant_relationships",
        ),
        (
            tasks.advance_placement_statuses,
            "followups.tasks.placements_advance_statuses",
        ),
    ],
)
def test_each_task_calls_its_service(task, target):
    with mock.patch(target, return_value=(0, 0)) as service:
        task.apply()
    service.assert_called_once_with()


def test_the_commands_run_the_jobs_by_hand_and_say_what_they_did(make_placement):
    make_placement()
    FollowUp.objects.all().delete()
    out = StringIO()
    call_command("materialize_followups", stdout=out)
    assert "1 placements checked: 11 follow-ups created" in out.getvalue()
    out = StringIO()
    call_command("materialize_followups", stdout=out)
    assert "0 follow-ups created" in out.getvalue()
    client = ClientFactory()
    ContactFactory(client=client)
    type(client).objects.filter(pk=client.pk).update(
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    out = StringIO()
    call_command("flag_dormant_relationships", stdout=out)
    assert out.getvalue().startswith("1 dormant relationships flagged")
    out = StringIO()
    call_command("advance_placement_statuses", stdout=out)
    assert "placements started" in out.getvalue()


def test_the_beat_schedule_names_every_periodic_task():
    from crm.celery import app

    app.loader.import_default_modules()  # what a worker does when it starts
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "followups.materialize_followups",
        "followups.flag_dormant_relationships",
        "followups.advance_placement_statuses",
    } <= scheduled
    assert scheduled <= set(app.tasks)


@pytest.mark.redis
def test_a_real_worker_runs_materialize_sent_through_redis(
    require_postgres, transactional_db, make_placement
):
    require(bool(os.environ.get("REDIS_URL")), "Redis (set REDIS_URL)")
    make_placement()
    FollowUp.objects.all().delete()
    with celery_worker(name="materialize") as worker:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        tasks.materialize_followups.apply_async(queue=worker.queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and FollowUp.objects.count() < 11:
            time.sleep(0.5)
        assert FollowUp.objects.count() == 11
    output = worker.output()
    assert "followups.materialize_followups" in output
