"""Writes of the imports app: an uploaded file goes through a dry run, then, once a
person confirms, the import itself.

Both runs are the same code in one transaction: the dry run rolls it back at the
end, so its counts (created, updated, skipped) and its errors are exactly what the
import will do; the import commits it only when no row is wrong, so a file goes in
whole or not at all, and a failure (or a worker killed) half-way leaves the book
as it was.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.rules import can_import

from .checks import Limits
from .fields import check_mapping, guess_mapping
from .files import ImportFileError, count_rows, open_table, read_preview
from .models import DateFormat, ImportJob, Kind, SavedMapping
from .progress import ProgressReporter
from .rows import RowReader
from .storage import import_storage
from .writers import WRITERS
from .writers.base import Outcome

logger = logging.getLogger(__name__)

CHUNK = 500
# Files up to this size are checked and imported while the page waits; larger
# ones by a Celery worker, with a progress bar.
INLINE_MAX_BYTES = 256 * 1024
SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}


def import_job_create(
    *, by: User, kind: str, file: UploadedFile | Any, file_name: str = ""
) -> ImportJob:
    """Store an uploaded file and read its header; the mapping is guessed."""
    if kind not in Kind.values:
        raise ValidationError({"kind": f"'{kind}' is not something to import."})
    name = Path(file_name or getattr(file, "name", "") or "upload.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(
            {"file": "Upload a CSV file (.csv, .tsv, .txt) or an Excel file (.xlsx)."}
        )
    check_upload_size(getattr(file, "size", None))
    job = ImportJob(kind=kind, created_by=by, file_name=name[:255])
    job.file.save(f"{uuid.uuid4().hex}{suffix}", file, save=False)
    try:
        preview = read_preview(job.file.path)
    except (ImportFileError, UnicodeDecodeError) as exc:
        job.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from None
    job.preview = preview
    job.file_format = preview["format"]
    job.date_format = preview["date_format"]
    job.mapping = guess_mapping(kind, preview["headers"])
    job.full_clean(exclude=["file"])
    job.save()
    return job


def check_upload_size(size: int | None) -> None:
    """The same limit for an upload and a file given to the shell command."""
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if size is not None and size > Limits.current().upload_bytes:
        raise ValidationError(
            {
                "file": f"The file is {size / 2**20:,.1f} MB, larger than the limit "
                f"of {limit} MB (IMPORT_MAX_UPLOAD_MB)."
            }
        )


@transaction.atomic
def import_job_set_mapping(
    *,
    job: ImportJob,
    by: User,
    mapping: dict[str, str],
    date_format: str,
    save_as: str = "",
) -> ImportJob:
    """Keep the columns a person chose (and, under a name, for next time), then
    start the dry run."""
    if job.status not in (
        ImportJob.Status.UPLOADED,
        ImportJob.Status.CHECKED,
        ImportJob.Status.FAILED,
    ):
        raise ValidationError("This import is already under way.")
    if not job.file:
        raise ValidationError(FILE_GONE)
    headers = set(job.preview.get("headers", []))
    mapping = {h: f for h, f in mapping.items() if f and h in headers}
    problems = check_mapping(job.kind, mapping)
    if date_format not in DateFormat.values:
        problems.append("Choose how the file writes its dates.")
    if problems:
        raise ValidationError(problems)
    job.mapping = mapping
    job.date_format = date_format
    job.save(update_fields=["mapping", "date_format", "updated_at"])
    if save_as.strip():
        mapping_save(by=by, kind=job.kind, name=save_as, mapping=mapping)
    return import_job_queue(job=job, dry_run=True)


@transaction.atomic
def mapping_save(
    *, by: User, kind: str, name: str, mapping: dict[str, str]
) -> SavedMapping:
    name = " ".join(name.split())[:100]
    saved = SavedMapping.objects.filter(kind=kind, name__iexact=name).first()
    if saved is None:
        saved = SavedMapping(kind=kind, name=name, created_by=by)
    saved.mapping = mapping
    saved.full_clean()
    saved.save()
    return saved


def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """After a clean dry run, import for real."""
    if not job.can_confirm:
        raise ValidationError(
            "Only a file whose dry run found no errors can be imported."
        )
    return import_job_queue(job=job, dry_run=False)


def import_job_queue(*, job: ImportJob, dry_run: bool) -> ImportJob:
    """Run now when the file is small, else hand it to a worker after commit."""
    job.status = (
        ImportJob.Status.CHECK_QUEUED if dry_run else ImportJob.Status.IMPORT_QUEUED
    )
    job.processed_rows = 0
    job.failure = ""
    job.save(update_fields=["status", "processed_rows", "failure", "updated_at"])
    if job.file.size <= INLINE_MAX_BYTES:
        transaction.on_commit(
            lambda: import_job_run(job_id=job.pk, dry_run=dry_run), robust=False
        )
    else:
        from .tasks import run_import

        transaction.on_commit(lambda: run_import.delay(job.pk, dry_run))
    return job


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_job_run(*, job_id: int, dry_run: bool) -> ImportJob:
    """The dry run (dry_run=True) or the import of one queued job. Safe to call
    twice: only the call that moves the job out of its queued state runs it."""
    queued, running = (
        (ImportJob.Status.CHECK_QUEUED, ImportJob.Status.CHECKING)
        if dry_run
        else (ImportJob.Status.IMPORT_QUEUED, ImportJob.Status.IMPORTING)
    )
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=queued).update(
        status=running, started_at=now, processed_rows=0, updated_at=now
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    outcome = Outcome()
    failure = ""
    try:
        job.total_rows = count_rows(job.file.path)
        job.save(update_fields=["total_rows", "updated_at"])
        _import(job, dry_run=dry_run, outcome=outcome)
    except ImportFileError as exc:
        failure = f"{exc} Nothing was written."
    except Exception as exc:
        logger.exception("Import %s stopped", job_id)
        failure = (
            f"The import stopped after {outcome.processed:,} rows "
            f"({type(exc).__name__}: {exc}). Nothing was written."
        )
    if failure or (outcome.error_count and not dry_run):
        # Rolled back: nothing was created, updated or skipped after all.
        outcome.created = outcome.updated = outcome.skipped = 0
    job.created_count = outcome.created
    job.updated_count = outcome.updated
    job.skipped_count = outcome.skipped
    job.error_count = outcome.error_count
    job.errors = outcome.errors
    job.processed_rows = outcome.processed
    job.failure = failure
    job.finished_at = timezone.now()
    if dry_run:
        job.checked_at = job.finished_at
    if failure:
        job.status = ImportJob.Status.FAILED
    elif dry_run:
        job.status = ImportJob.Status.CHECKED
    elif outcome.error_count:
        job.status = ImportJob.Status.FAILED
        job.failure = (
            f"{outcome.error_count:,} row{'s' if outcome.error_count != 1 else ''} "
            "could not be imported. Nothing was written."
        )
    else:
        job.status = ImportJob.Status.DONE
    if job.status == ImportJob.Status.FAILED:
        _discard_file(job)
    job.save()
    return job


def _import(job: ImportJob, *, dry_run: bool, outcome: Outcome) -> None:
    with ProgressReporter(job.pk) as progress, transaction.atomic():
        with open_table(job.file.path) as table:
            reader = RowReader(job.kind, table.headers, job.mapping, job.date_format)
            writer = WRITERS[job.kind](by=job.created_by, outcome=outcome)
            for chunk in chunked(table.rows(), CHUNK):
                writer.write([reader.read(number, cells) for number, cells in chunk])
                outcome.processed += len(chunk)
                progress.update(outcome.processed)
        if dry_run or outcome.error_count:
            transaction.set_rollback(True)


def import_file(
    *,
    by: User,
    kind: str,
    path: str | Path,
    date_format: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> ImportJob:
    """Import a file in one call, without the pages: the shell command's way.
    Recorded like any other import."""
    path = Path(path)
    with open(path, "rb") as f:
        job = import_job_create(by=by, kind=kind, file=File(f), file_name=path.name)
    if mapping is not None:
        job.mapping = mapping
    if date_format:
        job.date_format = date_format
    problems = check_mapping(kind, job.mapping)
    if problems:
        job.status = ImportJob.Status.FAILED
        job.failure = " ".join(problems)
        _discard_file(job)
        job.save()
        return job
    job.status = (
        ImportJob.Status.CHECK_QUEUED if dry_run else ImportJob.Status.IMPORT_QUEUED
    )
    job.save()
    return import_job_run(job_id=job.pk, dry_run=dry_run)


# Housekeeping: files of failed and abandoned imports, and imports whose worker died.

FILE_GONE = "The file of this import has been removed: upload it again."


def _discard_file(job: ImportJob) -> None:
    """The stored upload goes; the record (its name, counts and errors) stays."""
    if job.file:
        job.file.storage.delete(job.file.name)
    job.file = ""


def import_uploads_sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Remove the files of uploads never imported (not done, not running) and older
    than IMPORT_ABANDONED_AFTER_HOURS, and files no import names (an upload whose
    request died half-way); each such import is kept, failed, saying why. Returns
    (imports swept, stray files removed). Nightly, by beat and `sweep_imports`."""
    now = now or timezone.now()
    hours = settings.IMPORT_ABANDONED_AFTER_HOURS
    cutoff = now - timedelta(hours=hours)
    abandoned = (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[ImportJob.Status.DONE, *ImportJob.RUNNING_STATUSES])
        .exclude(file="")
    )
    swept = 0
    for pk, status, name, failure in abandoned.values_list(
        "pk", "status", "file", "failure"
    ):
        # Only if nobody started it in the meantime.
        if ImportJob.objects.filter(pk=pk, status=status, file=name).update(
            status=ImportJob.Status.FAILED,
            failure=failure
            or f"Not imported within {hours} hours of the upload: its file was "
            "removed. Nothing was written.",
            file="",
            updated_at=now,
        ):
            import_storage().delete(name)
            swept += 1
    return swept, _sweep_stray_files(cutoff)


def _sweep_stray_files(cutoff: datetime) -> int:
    storage = import_storage()
    root = Path(storage.location)
    if not root.is_dir():
        return 0
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    removed = 0
    for folder, _, files in os.walk(root):
        for file_name in files:
            path = Path(folder) / file_name
            name = path.relative_to(root).as_posix()
            if name in named or path.stat().st_mtime >= cutoff.timestamp():
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue  # another run removed it
            removed += 1
    return removed


def _stuck_failure(status: str) -> str:
    minutes = settings.IMPORT_STUCK_AFTER_MINUTES
    stage = (
        "dry run"
        if status in (ImportJob.Status.CHECK_QUEUED, ImportJob.Status.CHECKING)
        else "import"
    )
    return (
        f"The {stage} stopped: nothing moved for {minutes} minutes (was a worker "
        "stopped?). Nothing was written; try again."
    )


def import_jobs_fail_stuck(
    *, now: datetime | None = None, pk: int | None = None
) -> int:
    """Mark failed every import (or the import `pk`) queued or running without a
    sign of progress for IMPORT_STUCK_AFTER_MINUTES: a worker killed mid-import
    leaves it so for ever. Its file is kept, so that it can be tried again."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_STUCK_AFTER_MINUTES)
    stuck = ImportJob.objects.running().filter(updated_at__lt=cutoff)
    if pk is not None:
        stuck = stuck.filter(pk=pk)
    failed = 0
    for pk, status, updated_at in stuck.values_list("pk", "status", "updated_at"):
        # Only if it has not moved since it was read.
        failed += ImportJob.objects.filter(
            pk=pk, status=status, updated_at=updated_at
        ).update(
            status=ImportJob.Status.FAILED,
            failure=_stuck_failure(status),
            finished_at=now,
            updated_at=now,
        )
    return failed


def import_job_fail_if_stuck(*, job: ImportJob) -> ImportJob:
    """The same, for one import, when its page is looked at."""
    if job.is_running and import_jobs_fail_stuck(pk=job.pk):
        job.refresh_from_db()
    return job


def import_job_retry(*, job: ImportJob, by: User) -> ImportJob:
    """Check a stopped import's file again, with the same columns; the person then
    confirms as after any dry run."""
    if not can_import(by):
        raise ValidationError("Only admins and managers can import.")
    if not job.can_retry:
        raise ValidationError(
            FILE_GONE
            if job.status == ImportJob.Status.FAILED
            else "Only an import that stopped can be tried again."
        )
    with transaction.atomic():
        return import_job_queue(job=job, dry_run=True)
