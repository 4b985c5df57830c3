"""Writes to clients, contacts and candidates."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from accounts.models import User

from .models import Candidate, Client, Contact

M = TypeVar("M", bound=models.Model)


def _apply(instance: M, fields: dict[str, Any]) -> M:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def client_create(*, by: User, **fields: Any) -> Client:
    fields.setdefault("owner", by)
    return _apply(Client(), fields)


@transaction.atomic
def client_update(*, client: Client, by: User, **fields: Any) -> Client:
    return _apply(client, fields)


@transaction.atomic
def contact_create(*, by: User, **fields: Any) -> Contact:
    fields.setdefault("owner", by)
    return _apply(Contact(), fields)


@transaction.atomic
def contact_update(*, contact: Contact, by: User, **fields: Any) -> Contact:
    return _apply(contact, fields)


@transaction.atomic
def candidate_create(*, by: User, **fields: Any) -> Candidate:
    fields.setdefault("owner", by)
    return _apply(Candidate(), fields)


@transaction.atomic
def candidate_update(*, candidate: Candidate, by: User, **fields: Any) -> Candidate:
    return _apply(candidate, fields)


def record_archive(*, record: Client | Contact | Candidate, by: User) -> None:
    """Archive, never delete: a record keeps its history (placements, activities)."""
    if record.archived_at is None:
        record.archived_at = timezone.now()
        record.save(update_fields=["archived_at", "updated_at"])


def record_restore(*, record: Client | Contact | Candidate, by: User) -> None:
    if record.archived_at is not None:
        record.archived_at = None
        record.save(update_fields=["archived_at", "updated_at"])
