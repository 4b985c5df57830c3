"""The Celery task calls its service; progress is saved on the job while the
import's own transaction is still open (PostgreSQL)."""

from __future__ import annotations

import pytest

from clients.models import Candidate
from imports import progress, services, tasks
from imports.models import ImportJob

from .conftest import csv_bytes, upload

ROWS = [["Name", "Email"]] + [[f"P {i}", f"p{i}@example.com"] for i in range(9)]


@pytest.mark.django_db
def test_the_task_runs_the_dry_run_or_the_import(ada):
    job = services.import_job_create(
        by=ada, kind="candidates", file=upload("c.csv", csv_bytes(ROWS))
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECK_QUEUED)
    assert tasks.run_import(job.pk, True) == ImportJob.Status.CHECKED
    assert not Candidate.objects.exists()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORT_QUEUED)
    assert tasks.run_import(job.pk, False) == ImportJob.Status.DONE
    assert Candidate.objects.count() == 9
    # Delivered twice (a worker restarted): the second does nothing.
    assert tasks.run_import(job.pk, False) == ImportJob.Status.DONE
    assert Candidate.objects.count() == 9


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_runs(ada, require_postgres, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    job = services.import_job_create(
        by=ada, kind="candidates", file=upload("c.csv", csv_bytes(ROWS))
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORT_QUEUED)
    seen = []
    real_update = progress.ProgressReporter.update

    def update_and_look(self, processed, **kwargs):
        real_update(self, processed, force=True)
        # Read from the import's own connection, inside its transaction: the
        # committed progress shows, the rows written so far do not exist outside.
        seen.append(ImportJob.objects.get(pk=job.pk).processed_rows)

    monkeypatch.setattr(progress.ProgressReporter, "update", update_and_look)
    done = tasks.run_import(job.pk, False)
    assert done == ImportJob.Status.DONE
    assert seen == [2, 4, 6, 8, 9]
    assert ImportJob.objects.get(pk=job.pk).processed_rows == 9
