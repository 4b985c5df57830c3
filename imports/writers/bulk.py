"""The writers of clients, contacts and candidates, a chunk at a time.

One query to find a chunk's records, one to insert, one to update.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from clients.models import Candidate, Client, Contact

from ..cells import normalise_name, phone_key
from ..rows import Row
from .base import Outcome, Writer, describe
from .lookups import Clients, Users


class BulkWriter(Writer):
    """Finds the existing records of a chunk in a few queries, then inserts and
    updates in bulk. Field validation runs on every record (full_clean); the
    uniqueness it would check row by row is what the matching itself ensures,
    and the database's constraints stay the last word."""

    model: type[Client | Contact | Candidate]
    references = ("owner",)

    def __init__(self, *, by: User, outcome: Outcome) -> None:
        super().__init__(by=by, outcome=outcome)
        self.users = Users()
        self.clients = Clients()

    # Per kind

    def resolve(self, values: dict[str, Any]) -> list[str]:
        """Turn names of other records into records; what is not found, in words."""
        errors = []
        if "owner" in values:
            try:
                values["owner_id"] = self.users.find(values.pop("owner"), "owner").pk
            except ValueError as exc:
                errors.append(str(exc))
        return errors

    def key(self, values: dict[str, Any]) -> tuple:
        raise NotImplementedError

    def existing(self, rows: Sequence[Row]) -> dict[tuple, models.Model | list]:
        raise NotImplementedError

    # Shared

    def write(self, rows: Sequence[Row]) -> None:
        good: list[Row] = []
        self.prepare(rows)
        for row in rows:
            row.errors.extend(self.resolve(row.values))
            if row.errors:
                self.outcome.reject(row)
            else:
                good.append(row)
        found = self.existing(good)
        pending: dict[tuple, models.Model] = {}
        to_create: list[models.Model] = []
        to_update: dict[int, models.Model] = {}
        changed: set[str] = set()
        now = timezone.now()
        for row in good:
            key = self.key(row.values)
            obj = pending.get(key)
            if obj is None:
                match = found.get(key)
                if isinstance(match, list):
                    self.outcome.error(row.number, self.ambiguous(row.values, match))
                    continue
                obj = match
            if obj is None:
                obj = self.model(owner=self.by)
                if self.apply(row, obj, row.values):
                    to_create.append(obj)
                    pending[key] = obj
                    self.outcome.created += 1
                continue
            changes = {
                name: value
                for name, value in row.values.items()
                if not self.same(name, getattr(obj, name), value)
            }
            if not changes:
                self.outcome.skipped += 1
                continue
            if self.apply(row, obj, changes):
                self.outcome.updated += 1
                if obj.pk:
                    obj.updated_at = now
                    to_update[obj.pk] = obj
                    changed.update(changes)
        self.model.objects.bulk_create(to_create)
        if to_update:
            self.model.objects.bulk_update(
                list(to_update.values()), fields=sorted(changed | {"updated_at"})
            )

    def prepare(self, rows: Sequence[Row]) -> None:
        """Load what the chunk's rows refer to, in one go."""

    @staticmethod
    def same(name: str, old: Any, new: Any) -> bool:
        if name in ("email", "name") and isinstance(old, str) and isinstance(new, str):
            # What a record is found by: another case or spacing is the same.
            return Clients.key(old) == Clients.key(new)
        return old == new

    def apply(self, row: Row, obj: models.Model, values: dict[str, Any]) -> bool:
        """Set and validate; on a problem, undo, report and return False."""
        before = {name: getattr(obj, name) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean(
                exclude=[
                    "owner",
                    "client",
                    "referred_by_candidate",
                    "referred_by_contact",
                ],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for message in describe(exc, self.model, obj):
                self.outcome.error(row.number, message)
            for name, value in before.items():
                setattr(obj, name, value)
            return False
        return True

    def ambiguous(self, values: dict[str, Any], matches: list) -> str:
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        return (
            f"{len(matches)} {self.model._meta.verbose_name_plural} are called "
            f"'{name}': add an email column to tell them apart"
        )

    def by_email(self, rows: Sequence[Row]) -> dict[tuple, models.Model]:
        emails = {r.values["email"].lower() for r in rows if r.values.get("email")}
        found: dict[tuple, models.Model] = {}
        if emails:
            # exclude(email="") lets the database use the partial unique index on
            # lower(email): without it every chunk reads the whole table.
            for obj in (
                self.model.objects.annotate(_email=Lower("email"))
                .filter(_email__in=emails)
                .exclude(email="")
                .order_by()
            ):
                found[("email", obj.email.lower())] = obj
        return found


class ClientWriter(BulkWriter):
    kind = "clients"
    model = Client

    def key(self, values):
        return ("name", Clients.key(values["name"]))

    def existing(self, rows):
        names = {Clients.key(r.values["name"]) for r in rows if r.values.get("name")}
        found = {}
        if names:
            for obj in Client.objects.annotate(_name=Lower("name")).filter(
                _name__in=names
            ):
                found[("name", Clients.key(obj.name))] = obj
        return found

    def write(self, rows):
        for row in rows:
            if not row.values.get("name"):
                row.errors.append("name is missing")
        super().write(rows)


class PersonWriter(BulkWriter):
    """Contacts and candidates: one email is one person; without an email, the
    same normalised name at the same client (contacts) or with the same phone
    number (candidates, who have no company) is."""

    def write(self, rows):
        for row in rows:
            for name in ("first_name", "last_name"):
                if not row.values.get(name):
                    row.errors.append(f"{name.replace('_', ' ')} is missing")
        super().write(rows)

    def name_of(self, values_or_obj) -> str:
        get = (
            values_or_obj.get
            if isinstance(values_or_obj, dict)
            else lambda n, d="": getattr(values_or_obj, n, d)
        )
        return normalise_name(f"{get('first_name', '')} {get('last_name', '')}")

    def key(self, values):
        if values.get("email"):
            return ("email", values["email"].lower())
        return ("name", self.name_of(values), self.company_of(values))

    def company_of(self, values) -> Any:
        raise NotImplementedError

    def candidates_by_name(self, rows: Sequence[Row]) -> models.QuerySet:
        lasts = {
            r.values["last_name"].lower()
            for r in rows
            if not r.values.get("email") and r.values.get("last_name")
        }
        if not lasts:
            return self.model.objects.none()
        return (
            self.model.objects.annotate(_last=Lower("last_name"))
            .filter(_last__in=lasts)
            .order_by("pk")
        )


class ContactWriter(PersonWriter):
    kind = "contacts"
    model = Contact

    def prepare(self, rows):
        self.clients.load({r.values["client"] for r in rows if r.values.get("client")})

    def resolve(self, values):
        errors = super().resolve(values)
        try:
            if not values.get("client"):
                raise ValueError("client is missing")
            values["client_id"] = self.clients.find(values.pop("client"))
        except ValueError as exc:
            errors.append(str(exc))
        return errors

    def company_of(self, values):
        return values["client_id"]

    def existing(self, rows):
        found = self.by_email(rows)
        client_ids = {r.values["client_id"] for r in rows if not r.values.get("email")}
        for obj in self.candidates_by_name(rows).filter(client_id__in=client_ids):
            found.setdefault(("name", self.name_of(obj), obj.client_id), obj)
        return found


class CandidateWriter(PersonWriter):
    kind = "candidates"
    model = Candidate

    def company_of(self, values):
        return phone_key(values.get("phone", ""))

    def existing(self, rows):
        found: dict[tuple, Any] = self.by_email(rows)
        same_name: dict[str, list[Candidate]] = defaultdict(list)
        for obj in self.candidates_by_name(rows):
            same_name[self.name_of(obj)].append(obj)
            if phone_key(obj.phone):
                found.setdefault(("name", self.name_of(obj), phone_key(obj.phone)), obj)
        # A row with neither email nor phone: the one candidate of that name.
        for name, objs in same_name.items():
            found[("name", name, "")] = objs[0] if len(objs) == 1 else objs
        return found
