"""Writes to clients, contacts, candidates and activities."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from crm.accounts.models import User

from .models import Activity, Candidate, Client, Contact

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


@transaction.atomic
def activity_log(
    *,
    by: User,
    kind: str,
    contact: Contact | None = None,
    candidate: Candidate | None = None,
    placement: Any = None,
    occurred_at=None,
    subject: str = "",
    note: str = "",
) -> Activity:
    """Record a touch with one person; it warms that person's client too."""
    client_id = None
    if contact is not None:
        client_id = contact.client_id
    elif placement is not None:
        client_id = placement.client_id
    activity = Activity(
        by=by,
        kind=kind,
        contact=contact,
        candidate=candidate,
        placement=placement,
        client_id=client_id,
        occurred_at=occurred_at or timezone.now(),
        subject=subject,
        note=note,
    )
    activity.full_clean()
    activity.save()
    return activity
