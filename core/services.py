"""Building blocks of every app's write services.

Services take explicit keyword arguments. An update service defaults each field to
UNSET, so that a caller changes only what it names: `client_update(client=c, by=u,
phone="...")` leaves every other field as it is.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Unset(enum.Enum):
    """The type of UNSET: an update service's keyword its caller left out."""

    UNSET = "unset"


UNSET = Unset.UNSET


def given(**fields: Any) -> dict[str, Any]:
    """The fields an update service was given: those not UNSET."""
    return {name: value for name, value in fields.items() if value is not UNSET}


def save_valid(instance: M) -> M:
    """Validate `instance` (full_clean) and save it."""
    instance.full_clean()
    instance.save()
    return instance


def apply_fields(instance: M, fields: dict[str, Any]) -> M:
    """Set `fields` on `instance`, validate it and save it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    return save_valid(instance)
