"""Files of failed and abandoned imports are removed (the record stays), and an
import whose worker died is marked failed and can be tried again (issue 11)."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clients.models import Candidate
from imports import services
from imports.models import ImportJob

from .conftest import csv_bytes, upload, write_file

pytestmark = pytest.mark.django_db

ROWS = [["Name", "Email"], ["Ann Lee", "ann@example.com"], ["Bo Ray", "bo@ex.com"]]


def stored(imports_dir) -> list[str]:
    return sorted(p.name for p in imports_dir.rglob("*") if p.is_file())


def new_job(user, **fields) -> ImportJob:
    job = services.import_job_create(
        by=user, kind="candidates", file=upload("people.csv", csv_bytes(ROWS))
    )
    if fields:
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


# Failed imports


def test_a_failed_import_loses_its_file_and_keeps_its_record(
    ada, tmp_path, imports_dir, settings
):
    settings.IMPORT_MAX_ROWS = 250
    rows = [["Name"]] + [[f"Person {n}"] for n in range(251)]
    path = write_file(tmp_path, "many.csv", csv_bytes(rows))
    job = services.import_file(by=ada, kind="candidates", path=path)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert (job.file_name, job.file.name) == ("many.csv", "")
    assert stored(imports_dir) == []


def test_an_import_the_shell_cannot_map_loses_its_file(ada, tmp_path, imports_dir):
    path = write_file(tmp_path, "p.csv", csv_bytes([["Town"], ["York"]]))
    job = services.import_file(by=ada, kind="candidates", path=path)
    assert job.status == ImportJob.Status.FAILED
    assert ImportJob.objects.get().file.name == ""
    assert stored(imports_dir) == []


def test_a_done_import_keeps_its_file(ada, tmp_path, imports_dir):
    path = write_file(tmp_path, "p.csv", csv_bytes(ROWS))
    job = services.import_file(by=ada, kind="candidates", path=path)
    assert job.status == ImportJob.Status.DONE
    assert stored(imports_dir) == [os.path.basename(job.file.name)]


def test_the_page_of_a_failed_import_without_its_file_asks_for_it_again(
    as_user, ada, tmp_path
):
    path = write_file(tmp_path, "p.csv", csv_bytes([["Town"], ["York"]]))
    job = services.import_file(by=ada, kind="candidates", path=path)
    client = as_user(ada)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "upload it again" in page and "Try again" not in page
    response = client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {"col_0": "full_name", "date_format": "dmy"},
    )
    assert response.status_code == 200
    assert "has been removed: upload it again" in response.content.decode()


# Abandoned uploads


def test_the_sweep_removes_files_of_uploads_never_imported(ada, imports_dir):
    old = new_job(ada, created_at=ago(hours=25))
    checked = new_job(ada, created_at=ago(hours=30), status=ImportJob.Status.CHECKED)
    fresh = new_job(ada, created_at=ago(hours=23))
    done = new_job(ada, created_at=ago(days=3), status=ImportJob.Status.DONE)
    running = new_job(ada, created_at=ago(days=3), status=ImportJob.Status.IMPORTING)
    assert services.import_uploads_sweep() == (2, 0)
    for job in (old, checked):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert job.file.name == ""
        assert job.failure == (
            "Not imported within 24 hours of the upload: its file was removed. "
            "Nothing was written."
        )
        assert job.file_name == "people.csv"  # the record stays
    kept = sorted(os.path.basename(j.file.name) for j in (fresh, done, running))
    assert stored(imports_dir) == kept
    assert services.import_uploads_sweep() == (0, 0)


def test_the_sweep_removes_old_files_no_import_names(ada, imports_dir):
    new_job(ada)
    stray_old = imports_dir / "2026" / "01" / "stray.csv"
    stray_old.parent.mkdir(parents=True)
    stray_old.write_bytes(b"Name\nAnn\n")
    two_days = ago(days=2).timestamp()
    os.utime(stray_old, (two_days, two_days))
    stray_new = imports_dir / "2026" / "01" / "new.csv"
    stray_new.write_bytes(b"Name\nAnn\n")
    assert services.import_uploads_sweep() == (0, 1)
    assert not stray_old.exists() and stray_new.exists()
    assert len(stored(imports_dir)) == 2


def test_the_sweep_command_and_the_beat_schedule(ada, settings):
    from crm.celery import app
    from imports import tasks  # noqa: F401  (registers the tasks)

    settings.IMPORT_ABANDONED_AFTER_HOURS = 1
    new_job(ada, created_at=ago(hours=2))
    new_job(ada, status=ImportJob.Status.CHECKING, updated_at=ago(hours=2))
    out = io.StringIO()
    call_command("sweep_imports", stdout=out)
    assert out.getvalue() == (
        "1 stopped imports marked failed; files removed: 1 of uploads never "
        "imported, 0 that no import named.\n"
    )
    scheduled = {e["task"] for e in app.conf.beat_schedule.values()}
    assert {"imports.sweep_uploads", "imports.fail_stuck_imports"} <= scheduled
    assert {"imports.sweep_uploads", "imports.fail_stuck_imports"} <= set(app.tasks)


# Imports whose worker died


def test_an_import_without_progress_past_the_timeout_is_marked_failed(ada, imports_dir):
    stuck = new_job(ada, status=ImportJob.Status.IMPORTING, updated_at=ago(minutes=61))
    checking = new_job(
        ada, status=ImportJob.Status.CHECK_QUEUED, updated_at=ago(minutes=90)
    )
    moving = new_job(ada, status=ImportJob.Status.IMPORTING, updated_at=ago(minutes=59))
    assert services.import_jobs_fail_stuck() == 2
    stuck.refresh_from_db()
    checking.refresh_from_db()
    moving.refresh_from_db()
    assert stuck.status == checking.status == ImportJob.Status.FAILED
    assert stuck.failure == (
        "The import stopped: nothing moved for 60 minutes (was a worker stopped?). "
        "Nothing was written; try again."
    )
    assert checking.failure.startswith("The dry run stopped")
    assert stuck.file.name  # kept, to try again
    assert moving.status == ImportJob.Status.IMPORTING
    assert len(stored(imports_dir)) == 3


def test_the_timeout_is_a_setting(ada, settings):
    settings.IMPORT_STUCK_AFTER_MINUTES = 5
    new_job(ada, status=ImportJob.Status.IMPORTING, updated_at=ago(minutes=6))
    assert services.import_jobs_fail_stuck() == 1


def test_the_page_of_a_stuck_import_offers_to_try_again(
    as_user, ada, django_capture_on_commit_callbacks
):
    job = new_job(
        ada,
        status=ImportJob.Status.IMPORTING,
        updated_at=ago(hours=2),
        mapping={"Name": "full_name", "Email": "email"},
    )
    client = as_user(ada)
    assert client.get(reverse("imports:job_progress", args=[job.pk])).headers[
        "HX-Refresh"
    ]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "nothing moved for 60 minutes" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert (job.created_count, job.failure) == (2, "")
    assert not Candidate.objects.exists()  # a dry run: the person confirms next


def test_only_a_stopped_import_with_its_file_can_be_tried_again(as_user, ada):
    client = as_user(ada)
    job = new_job(ada)
    response = client.post(reverse("imports:job_retry", args=[job.pk]), follow=True)
    assert "Only an import that stopped can be tried again." in (
        response.content.decode()
    )
    assert ImportJob.objects.get().status == ImportJob.Status.UPLOADED
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, file="")
    response = client.post(reverse("imports:job_retry", args=[job.pk]), follow=True)
    assert "has been removed: upload it again" in response.content.decode()


def test_a_recruiter_cannot_try_an_import_again(as_user, alice, ada):
    job = new_job(ada, status=ImportJob.Status.FAILED)
    response = as_user(alice).post(reverse("imports:job_retry", args=[job.pk]))
    assert response.status_code == 404
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
