"""Celery tasks of the imports app: thin wrappers over one service each."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="imports.run_import")
def run_import(job_id: int, dry_run: bool) -> str:
    """The dry run or the import of a large file; progress is saved on the job."""
    return services.import_job_run(job_id=job_id, dry_run=dry_run).status


@shared_task(name="imports.fail_stuck_imports")
def fail_stuck_imports() -> int:
    """Imports whose worker died, marked failed (every 5 minutes)."""
    return services.import_jobs_fail_stuck()


@shared_task(name="imports.sweep_uploads")
def sweep_uploads() -> tuple[int, int]:
    """Files of uploads never imported, removed (nightly)."""
    return services.import_uploads_sweep()
