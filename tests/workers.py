"""A real Celery worker for the tests that need one: a subprocess on this test's
database and its own queue, its log written to a file (a pipe read only at the end
fills up and stalls a busy worker)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    queue: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(
    *,
    name: str,
    pool: str = "solo",
    concurrency: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Worker]:
    queue = f"test-{name}-{uuid.uuid4().hex[:8]}"
    args = [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool", pool]
    if concurrency:
        args += ["--concurrency", str(concurrency)]
    args += ["-Q", queue, "--loglevel", "INFO"]
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"worker-{name}-", suffix=".log", delete=False
    ) as log:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "CELERY_QUEUE": queue,
                "TESTING": "true",
                "DEBUG": "false",
                **(env or {}),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, Path(log.name), queue)
    try:
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
