"""The Celery app. Beat schedules live here, in code; every periodic task is also a
`manage.py` command so an operator can run it by hand."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import before_task_publish, task_postrun, task_prerun

from core.logging import request_id
from core.logging import task as current_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A task started while serving a request logs under that request's id, and under its
# own name and id (core/logging.py).
@before_task_publish.connect
def carry_request_id(headers=None, **kwargs) -> None:
    if headers is not None and request_id.get():
        headers.setdefault("request_id", request_id.get())


@task_prerun.connect
def enter_task(task_id=None, task=None, **kwargs) -> None:
    request_id.set(getattr(task.request, "request_id", None) or "")
    current_task.set((task.name, task_id or ""))


@task_postrun.connect
def leave_task(**kwargs) -> None:
    request_id.set("")
    current_task.set(("", ""))


app.conf.beat_schedule = {
    "materialize-followups-hourly": {
        "task": "followups.materialize_followups",
        "schedule": crontab(minute=7),
    },
    "advance-placement-statuses-nightly": {
        # Hourly, so each time zone's midnight is caught within the hour; a run that
        # finds nothing to change changes nothing.
        "task": "followups.advance_placement_statuses",
        "schedule": crontab(minute=12),
    },
    "flag-dormant-relationships-nightly": {
        "task": "followups.flag_dormant_relationships",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each user's digest is due at their own local hour: every 5 minutes the task
    # records and hands out the ones due now (and catches up after downtime, the same
    # local day only). Every digest hour starts on a 5-minute boundary in UTC.
    "send-due-digests": {
        "task": "followups.send_due_digests",
        "schedule": crontab(minute="*/5"),
    },
    # Monday, local time, at the manager's digest hour: Sunday to Tuesday in UTC
    # covers every time zone's Monday.
    "send-due-team-summaries": {
        "task": "followups.send_due_team_summaries",
        "schedule": crontab(minute="*/5", day_of_week="sun,mon,tue"),
    },
    # Imports (README, Importing and exporting): stopped ones marked failed, and
    # the files of uploads never imported removed.
    "fail-stuck-imports": {
        "task": "imports.fail_stuck_imports",
        "schedule": crontab(minute="*/5"),
    },
    "sweep-import-uploads-nightly": {
        "task": "imports.sweep_uploads",
        "schedule": crontab(hour=3, minute=40),
    },
    # Beat's own sign of life, read by /readyz.
    "beat-heartbeat": {
        "task": "ops.beat_heartbeat",
        "schedule": crontab(),
    },
}
