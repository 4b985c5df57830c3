"""The writer of placements, a row at a time through the placement services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import AgencySettings, User
from clients.models import Candidate, Client, Contact
from placements import services as placement_services
from placements.models import Job, Placement

from ..cells import split_name
from ..rows import Row
from .base import Outcome, Writer, describe
from .lookups import Clients, Users, find_by_email


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
                        "recruiter: you may only record placements for yourself and "
                        "the people you manage"
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
