"""What every writer shares: the Outcome it counts into, errors in words, Writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import User

from ..rows import Row

MAX_STORED_ERRORS = 5000


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    processed: int = 0

    def error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": row, "message": message})

    def reject(self, row: Row) -> None:
        for message in row.errors:
            self.error(row.number, message)


def describe(exc: ValidationError, model: type[models.Model], obj=None) -> list[str]:
    """A model's validation errors in words, each naming its field."""
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:
            label = ""
        value = getattr(obj, name, None) if obj is not None and label else None
        for message in messages:
            if message in ("This field cannot be blank.", "This field cannot be null."):
                out.append(f"{label} is missing")
            elif label and isinstance(value, str) and value and len(value) <= 80:
                out.append(f"{label} '{value}': {message}")
            elif label:
                out.append(f"{label}: {message}")
            else:
                out.append(message)
    return out


class Writer:
    kind = ""

    def __init__(self, *, by: User, outcome: Outcome) -> None:
        self.by = by
        self.outcome = outcome

    def write(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError
