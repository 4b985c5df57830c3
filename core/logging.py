"""Log lines an operator can search: `LOG_FORMAT=json` gives one JSON object per
line, and every line written while serving a request or running a task carries that
request's id (and the task's name and id). A task started by a request carries the
request's id too (crm/celery.py passes it along in the message headers)."""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)
task: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "task", default=("", "")
)


class ContextFilter(logging.Filter):
    """Adds request_id, task_name and task_id to every record, and `context`, the
    same in a few words for plain-text lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_name, record.task_id = task.get()
        parts = [f"request={record.request_id}"] if record.request_id else []
        if record.task_id:
            parts.append(f"task={record.task_name}[{record.task_id}]")
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_name", "task_id"):
            if value := getattr(record, name, ""):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
