"""Writes to clients, contacts and candidates.

Each service checks `by` with the named rule (accounts.rules) and raises
PermissionDenied when `by` may not; `by` is also who made the change. Update services
change only the fields they are given: a keyword left out (UNSET) keeps its value.
A new record's owner defaults to `by`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.rules import can_assign_to, can_change, can_edit
from core.services import UNSET, Unset, apply_fields, given, save_valid

from .models import Candidate, Client, Contact

# Clients


@transaction.atomic
def client_create(
    *,
    by: User,
    name: str,
    industry: str = "",
    city: str = "",
    country: str = "",
    website: str = "",
    phone: str = "",
    status: str = Client.Status.ACTIVE,
    owner: User | None = None,
    referred_by_candidate: Candidate | None = None,
    referred_by_contact: Contact | None = None,
    notes: str = "",
) -> Client:
    owner = owner or by
    if not can_assign_to(by, owner):
        raise PermissionDenied
    client = Client(
        name=name,
        industry=industry,
        city=city,
        country=country,
        website=website,
        phone=phone,
        status=status,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    return save_valid(client)


@transaction.atomic
def client_update(
    *,
    client: Client,
    by: User,
    name: str | Unset = UNSET,
    industry: str | Unset = UNSET,
    city: str | Unset = UNSET,
    country: str | Unset = UNSET,
    website: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    status: str | Unset = UNSET,
    owner: User | Unset = UNSET,
    referred_by_candidate: Candidate | None | Unset = UNSET,
    referred_by_contact: Contact | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Client:
    changes = given(
        name=name,
        industry=industry,
        city=city,
        country=country,
        website=website,
        phone=phone,
        status=status,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    if not can_change(by, client, owner=changes.get("owner")):
        raise PermissionDenied
    return apply_fields(client, changes)


# Contacts


@transaction.atomic
def contact_create(
    *,
    by: User,
    client: Client,
    first_name: str,
    last_name: str,
    job_title: str = "",
    role: str = Contact.Role.HIRING_MANAGER,
    email: str = "",
    phone: str = "",
    owner: User | None = None,
    referred_by_candidate: Candidate | None = None,
    referred_by_contact: Contact | None = None,
    notes: str = "",
) -> Contact:
    owner = owner or by
    if not can_assign_to(by, owner):
        raise PermissionDenied
    contact = Contact(
        client=client,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        role=role,
        email=email,
        phone=phone,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    return save_valid(contact)


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by: User,
    client: Client | Unset = UNSET,
    first_name: str | Unset = UNSET,
    last_name: str | Unset = UNSET,
    job_title: str | Unset = UNSET,
    role: str | Unset = UNSET,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    owner: User | Unset = UNSET,
    referred_by_candidate: Candidate | None | Unset = UNSET,
    referred_by_contact: Contact | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Contact:
    changes = given(
        client=client,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        role=role,
        email=email,
        phone=phone,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    if not can_change(by, contact, owner=changes.get("owner")):
        raise PermissionDenied
    return apply_fields(contact, changes)


# Candidates


@transaction.atomic
def candidate_create(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    current_title: str = "",
    city: str = "",
    linkedin_url: str = "",
    status: str = Candidate.Status.AVAILABLE,
    owner: User | None = None,
    referred_by_candidate: Candidate | None = None,
    referred_by_contact: Contact | None = None,
    notes: str = "",
) -> Candidate:
    owner = owner or by
    if not can_assign_to(by, owner):
        raise PermissionDenied
    candidate = Candidate(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        current_title=current_title,
        city=city,
        linkedin_url=linkedin_url,
        status=status,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    return save_valid(candidate)


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    by: User,
    first_name: str | Unset = UNSET,
    last_name: str | Unset = UNSET,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    current_title: str | Unset = UNSET,
    city: str | Unset = UNSET,
    linkedin_url: str | Unset = UNSET,
    status: str | Unset = UNSET,
    owner: User | Unset = UNSET,
    referred_by_candidate: Candidate | None | Unset = UNSET,
    referred_by_contact: Contact | None | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Candidate:
    changes = given(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        current_title=current_title,
        city=city,
        linkedin_url=linkedin_url,
        status=status,
        owner=owner,
        referred_by_candidate=referred_by_candidate,
        referred_by_contact=referred_by_contact,
        notes=notes,
    )
    if not can_change(by, candidate, owner=changes.get("owner")):
        raise PermissionDenied
    return apply_fields(candidate, changes)


# Archive


def record_archive(*, record: Client | Contact | Candidate, by: User) -> None:
    """Archive, never delete: a record keeps its history (placements, activities)."""
    if not can_edit(by, record):
        raise PermissionDenied
    if record.archived_at is None:
        record.archived_at = timezone.now()
        record.save(update_fields=["archived_at", "updated_at"])


def record_restore(*, record: Client | Contact | Candidate, by: User) -> None:
    if not can_edit(by, record):
        raise PermissionDenied
    if record.archived_at is not None:
        record.archived_at = None
        record.save(update_fields=["archived_at", "updated_at"])
