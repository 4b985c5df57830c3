"""Logs an operator can search: request ids, JSON lines, tasks under their request."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.logging import ContextFilter, JsonFormatter, request_id
from ops import tasks
from ops.models import Heartbeat

from ..conftest import require
from ..workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """What the django.request logger writes, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_a_log_line_in_a_request_carries_its_id(client, alice, json_lines):
    client.force_login(alice)
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-id-12345678"
    (line,) = json_lines()
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["request_id"] == "proxy-id-12345678"
    assert "Not Found" in line["message"]


def test_an_odd_request_id_is_replaced_by_a_fresh_one(client, alice):
    client.force_login(alice)
    response = client.get("/", HTTP_X_REQUEST_ID='evil"\n{"level": "x"}')
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != client.get("/")["X-Request-ID"]


def test_an_exception_is_one_json_line_with_its_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    try:
        raise ValueError("bad value")
    except ValueError:
        logger.exception("it failed")
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    parsed = json.loads(line)
    assert parsed["message"] == "it failed"
    assert "ValueError: bad value" in parsed["exception"]


def test_a_bad_log_format_fails_loudly(tmp_path):
    env = {
        **os.environ,
        "LOG_FORMAT": "yaml",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


@pytest.mark.redis
def test_a_task_started_in_a_request_logs_json_under_its_id(
    require_postgres, transactional_db
):
    require(bool(os.environ.get("REDIS_URL")), "Redis (set REDIS_URL)")
    with celery_worker(name="logs", env={"LOG_FORMAT": "json"}) as worker:
        token = request_id.set("req-from-a-test-42")
        try:
            result = tasks.beat_heartbeat.apply_async(queue=worker.queue)
        finally:
            request_id.reset(token)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Heartbeat.objects.exists():
            time.sleep(0.5)
        time.sleep(1)
    output = worker.output()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert lines, output[-2000:]
    mine = [line for line in lines if line.get("task_id") == result.id]
    assert mine, output[-2000:]
    assert {line["request_id"] for line in mine} == {"req-from-a-test-42"}
    assert {line["task_name"] for line in mine} == {"ops.beat_heartbeat"}
