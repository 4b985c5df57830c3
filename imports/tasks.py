"""Celery tasks of the imports app: thin wrappers over one service each."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="imports.run_import")
def run_import(job_id: int, dry_run: bool) -> str:
    """The dry run or the import of a large file; progress is saved on the job."""
    return services.import_job_run(job_id=job_id, dry_run=dry_run).status
