"""How rows of each kind become records: find the record a row is about (by email,
else by normalised name plus company), update it or create one, and say in words
what is wrong with a row that cannot be written.

Writers run inside the import's transaction (see services.import_job_run) and see
what earlier rows of the same file wrote. Clients, contacts and candidates are
written a chunk at a time (one query to find, one to insert, one to update);
placements a row at a time through the placement services, so that each gets its
follow-up plan exactly as one recorded by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import AgencySettings, User
from clients.models import Candidate, Client, Contact
from placements import services as placement_services
from placements.models import Job, Placement

from .parsing import Row, normalise_name, phone_key, split_name

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


def find_by_email(model: type[Candidate | Contact], email: str):
    """The record with this email whatever its case, through the unique index on
    lower(email) (email__iexact would read the whole table)."""
    return (
        model.objects.annotate(_email=Lower("email"))
        .filter(_email=email.lower())
        .exclude(email="")
        .first()
    )


class Users:
    """Owners and recruiters named in a file, by email or by full name."""

    def __init__(self) -> None:
        self.by_key: dict[str, User | None] = {}
        for user in User.objects.filter(is_active=True).order_by("pk"):
            self.by_key.setdefault(user.email.lower(), user)
            name = normalise_name(user.get_full_name())
            if name:
                # Two people of one name: neither can be meant by name alone.
                self.by_key[name] = None if name in self.by_key else user

    def find(self, text: str, label: str) -> User:
        user = self.by_key.get(text.strip().lower()) or self.by_key.get(
            normalise_name(text)
        )
        if user is None:
            raise ValueError(f"{label} '{text}' not found")
        return user


class Clients:
    """Clients named in a file, by name whatever its case or spacing."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    @staticmethod
    def key(name: str) -> str:
        return " ".join(name.split()).lower()

    def load(self, names: set[str]) -> None:
        missing = {self.key(n) for n in names} - set(self.ids)
        if missing:
            for pk, name in (
                Client.objects.annotate(_name=Lower("name"))
                .filter(_name__in=missing)
                .values_list("pk", "name")
            ):
                self.ids[self.key(name)] = pk

    def find(self, name: str) -> int:
        self.load({name})
        try:
            return self.ids[self.key(name)]
        except KeyError:
            raise ValueError(f"client '{name}' not found") from None


class Writer:
    kind = ""

    def __init__(self, *, by: User, outcome: Outcome) -> None:
        self.by = by
        self.outcome = outcome

    def write(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError


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


class PlacementWriter(Writer):
    """A row at a time through placement_create / placement_update, so the
    follow-up plan is applied as for a placement recorded by hand (past ones
    marked "skipped, entered late"). The same candidate, job and start date is
    the same placement."""

    kind = "placements"

    def __init__(self, *, by: User, outcome: Outcome) -> None:
        super().__init__(by=by, outcome=outcome)
        self.users = Users()
        self.clients = Clients()
        self.today = by.local_today()
        self.currency = AgencySettings.load().default_currency

    def write(self, rows: Sequence[Row]) -> None:
        self.clients.load({r.values["client"] for r in rows if r.values.get("client")})
        for row in rows:
            if not row.errors:
                try:
                    with transaction.atomic():
                        self.write_row(row.values)
                except ValueError as exc:
                    row.errors.append(str(exc))
                except ValidationError as exc:
                    row.errors.extend(describe(exc, Placement))
                except PermissionDenied:
                    row.errors.append(
                        "recruiter: you may only record placements for yourself and the people you manage"
                    )
            self.outcome.reject(row)

    def find_candidate(self, values: dict[str, Any]) -> Candidate:
        if values.get("candidate_email"):
            email = values["candidate_email"]
            found = find_by_email(Candidate, email)
            if found is None:
                raise ValueError(f"candidate '{email}' not found")
            return found
        name = values.get("candidate_name", "")
        if not name:
            raise ValueError("candidate is missing")
        first, last = split_name(name)
        matches = list(
            Candidate.objects.filter(first_name__iexact=first, last_name__iexact=last)[
                :2
            ]
        )
        if not matches:
            raise ValueError(f"candidate '{name}' not found")
        if len(matches) > 1:
            raise ValueError(
                f"several candidates are called '{name}': "
                "add a candidate email column to tell them apart"
            )
        return matches[0]

    def find_contact(self, values: dict[str, Any], client_id: int) -> Contact | None:
        if values.get("contact_email"):
            email = values["contact_email"]
            found = find_by_email(Contact, email)
            if found is None:
                raise ValueError(f"hiring contact '{email}' not found")
            if found.client_id != client_id:
                raise ValueError(
                    f"hiring contact '{email}' works at {found.client}, "
                    f"not {values['client']}"
                )
            return found
        if values.get("contact_name"):
            name = values["contact_name"]
            first, last = split_name(name)
            matches = list(
                Contact.objects.filter(
                    client_id=client_id,
                    first_name__iexact=first,
                    last_name__iexact=last,
                )[:2]
            )
            if len(matches) != 1:
                raise ValueError(
                    f"hiring contact '{name}' not found at {values['client']}"
                    if not matches
                    else f"several contacts at {values['client']} are called '{name}'"
                )
            return matches[0]
        return None

    def derived_status(self, fields: dict[str, Any]) -> str:
        if fields["start_date"] > self.today:
            return Placement.Status.PENDING
        end = fields.get("end_date")
        if (
            fields["placement_type"] == Placement.Type.CONTRACT
            and end
            and end < self.today
        ):
            return Placement.Status.COMPLETED
        return Placement.Status.ACTIVE

    def write_row(self, values: dict[str, Any]) -> None:
        for name in ("client", "job_title", "start_date"):
            if not values.get(name):
                raise ValueError(f"{name.replace('_', ' ')} is missing")
        candidate = self.find_candidate(values)
        client_id = self.clients.find(values["client"])
        contact = self.find_contact(values, client_id)
        recruiter = (
            self.users.find(values["recruiter"], "recruiter")
            if values.get("recruiter")
            else None
        )
        fields: dict[str, Any] = {
            name: values[name]
            for name in (
                "placement_type",
                "start_date",
                "end_date",
                "fee",
                "currency",
                "pay",
                "pay_basis",
                "guarantee_days",
                "status",
                "notes",
            )
            if name in values
        }
        if contact is not None:
            fields["contact"] = contact
        if recruiter is not None:
            fields["recruiter"] = recruiter
        title = " ".join(values["job_title"].split())
        job = (
            Job.objects.filter(client_id=client_id, title__iexact=title)
            .order_by("pk")
            .first()
        )
        existing = (
            Placement.objects.filter(
                candidate=candidate, job=job, start_date=fields["start_date"]
            ).first()
            if job is not None
            else None
        )
        if existing is not None:
            changes = {
                name: value
                for name, value in fields.items()
                if getattr(existing, name) != value
            }
            if not changes:
                self.outcome.skipped += 1
                return
            placement_services.placement_update(
                placement=existing, by=self.by, **changes
            )
            self.outcome.updated += 1
            return
        if "placement_type" not in fields:
            fields["placement_type"] = (
                Placement.Type.CONTRACT
                if fields.get("end_date")
                else Placement.Type.PERMANENT
            )
        fields.setdefault("currency", self.currency)
        fields.setdefault("status", self.derived_status(fields))
        if job is None:
            job = placement_services.job_create(
                by=self.by,
                client=Client.objects.get(pk=client_id),
                title=title,
                hiring_contact=contact,
                owner=recruiter or self.by,
                opened_on=fields["start_date"],
            )
        placement_services.placement_create(
            by=self.by, job=job, candidate=candidate, **fields
        )
        self.outcome.created += 1


WRITERS: dict[str, type[Writer]] = {
    "clients": ClientWriter,
    "contacts": ContactWriter,
    "candidates": CandidateWriter,
    "placements": PlacementWriter,
}
