"""The Celery app. Beat schedules live here, in code; every periodic task is also a
`manage.py` command so an operator can run it by hand."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule: dict = {}
