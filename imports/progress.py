"""How far a running import has got, saved on its ImportJob for the page to poll.

The import runs in one transaction, so that a failure half-way leaves the book as it
was; progress written through that transaction would be invisible until the end.
On PostgreSQL it goes through a second connection of its own, committed at once.
SQLite allows one writer at a time and the import is it, so there the bar moves
only between stages (counted, checked, imported).
"""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from .models import ImportJob


class ProgressReporter:
    def __init__(self, job_id: int, *, every_seconds: float = 0.5) -> None:
        self.job_id = job_id
        self.every_seconds = every_seconds
        self.last_write = 0.0
        self.writes = 0
        self._connection = None
        connection = connections[DEFAULT_DB_ALIAS]
        # Inside someone else's transaction (a caller's, a test's) the job row may
        # be locked by this very thread: a second connection would wait forever.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    @property
    def live(self) -> bool:
        return self._connection is not None

    def update(self, processed: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_write < self.every_seconds:
            return
        self.last_write = now
        if self._connection is None:
            return
        with self._connection.cursor() as cursor:
            cursor.execute(
                # updated_at is the sign of life that keeps the job from being
                # marked stuck (services.import_jobs_fail_stuck).
                f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s, "  # noqa: S608
                "updated_at = %s WHERE id = %s",
                [processed, timezone.now(), self.job_id],
            )
        self.writes += 1

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
