"""The fields of each kind of record, their usual column names, and column mappings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clients.models import Candidate, Client, Contact
from placements.models import Placement

from .cells import strip_accents


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    parse: str = "text"  # text, email, phone, date, money, days, choice, url, currency
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    help: str = ""


def _f(name, label, parse="text", aliases=(), **kw) -> Field:
    return Field(name=name, label=label, parse=parse, aliases=tuple(aliases), **kw)


COMPANY = (
    "company",
    "company name",
    "client",
    "client name",
    "account",
    "account name",
    "organisation",
    "organization",
    "employer",
    "business",
)
FIRST = ("first name", "firstname", "first", "given name", "forename", "forenames")
LAST = ("last name", "lastname", "last", "surname", "family name")
FULL = ("name", "full name", "contact name", "candidate name", "contact", "candidate")
EMAIL = ("email", "e-mail", "email address", "e-mail address", "mail", "work email")
PHONE = (
    "phone",
    "mobile",
    "mobile phone",
    "mobile number",
    "cell",
    "cell phone",
    "telephone",
    "tel",
    "phone number",
    "direct line",
    "direct dial",
    "work phone",
)
OWNER = ("owner", "owner email", "record owner", "recruiter", "consultant")
NOTES = ("notes", "note", "comments", "comment", "remarks", "description")


def _person_fields() -> list[Field]:
    return [
        _f("first_name", "first name", aliases=FIRST),
        _f("last_name", "last name", aliases=LAST),
        _f(
            "full_name",
            "full name",
            aliases=FULL,
            help="Split into first and last name; 'Smith, Jane' works too.",
        ),
        _f("email", "email", "email", EMAIL),
        _f("phone", "phone", "phone", PHONE),
    ]


FIELDS: dict[str, tuple[Field, ...]] = {
    "clients": (
        _f("name", "name", aliases=(*COMPANY, "name")),
        _f("industry", "industry", aliases=("industry", "sector", "vertical")),
        _f("city", "city", aliases=("city", "town", "location")),
        _f("country", "country", aliases=("country",)),
        _f(
            "website",
            "website",
            "url",
            ("website", "web site", "url", "web", "homepage", "domain", "site"),
        ),
        _f("phone", "phone", "phone", (*PHONE, "main phone", "switchboard")),
        _f(
            "status",
            "status",
            "choice",
            ("status", "client status", "account status"),
            choices=tuple(Client.Status.choices),
            synonyms=(
                ("customer", "active"),
                ("current", "active"),
                ("lead", "prospect"),
                ("former", "inactive"),
                ("lapsed", "inactive"),
                ("dormant", "inactive"),
            ),
        ),
        _f("owner", "owner", aliases=(*OWNER, "account owner", "account manager")),
        _f("notes", "notes", aliases=NOTES),
    ),
    "contacts": (
        *_person_fields(),
        _f("client", "client", aliases=COMPANY),
        _f("job_title", "job title", aliases=("job title", "title", "position")),
        _f(
            "role",
            "role",
            "choice",
            ("role", "contact role", "contact type"),
            choices=tuple(Contact.Role.choices),
            synonyms=(
                ("hiring", "hiring_manager"),
                ("manager", "hiring_manager"),
                ("line manager", "hiring_manager"),
                ("human resources", "hr"),
                ("people", "hr"),
                ("talent", "hr"),
                ("recruitment", "hr"),
                ("owner", "founder"),
                ("co-founder", "founder"),
                ("cofounder", "founder"),
            ),
        ),
        _f("owner", "owner", aliases=OWNER),
        _f("notes", "notes", aliases=NOTES),
    ),
    "candidates": (
        *_person_fields(),
        _f(
            "current_title",
            "current title",
            aliases=(
                "current title",
                "title",
                "job title",
                "current job title",
                "position",
                "current position",
                "headline",
                "role",
            ),
        ),
        _f("city", "city", aliases=("city", "town", "location")),
        _f(
            "linkedin_url",
            "LinkedIn URL",
            "url",
            ("linkedin", "linkedin url", "linkedin profile", "linkedin profile url"),
        ),
        _f(
            "status",
            "status",
            "choice",
            ("status", "candidate status"),
            choices=tuple(Candidate.Status.choices),
            synonyms=(
                ("looking", "available"),
                ("active", "available"),
                ("open", "available"),
                ("not available", "not_looking"),
                ("passive", "not_looking"),
                ("unavailable", "not_looking"),
            ),
        ),
        _f("owner", "owner", aliases=OWNER),
        _f("notes", "notes", aliases=NOTES),
    ),
    "placements": (
        _f(
            "candidate_email",
            "candidate email",
            "email",
            ("candidate email", "candidate e-mail", *EMAIL),
        ),
        _f(
            "candidate_name",
            "candidate name",
            aliases=("candidate", "candidate name", "name", "placed candidate"),
        ),
        _f("client", "client", aliases=COMPANY),
        _f(
            "job_title",
            "job title",
            aliases=("job", "job title", "position", "title", "role", "vacancy"),
            help="The client's job of this title; created when there is none.",
        ),
        _f(
            "contact_email",
            "hiring contact email",
            "email",
            ("contact email", "hiring manager email", "manager email"),
        ),
        _f(
            "contact_name",
            "hiring contact",
            aliases=("contact", "contact name", "hiring manager", "hiring contact"),
        ),
        _f(
            "placement_type",
            "type",
            "choice",
            (
                "type",
                "placement type",
                "job type",
                "employment type",
                "contract type",
            ),
            choices=tuple(Placement.Type.choices),
            synonyms=(
                ("perm", "permanent"),
                ("full time", "permanent"),
                ("full-time", "permanent"),
                ("fte", "permanent"),
                ("contractor", "contract"),
                ("temp", "contract"),
                ("temporary", "contract"),
                ("interim", "contract"),
                ("freelance", "contract"),
                ("fixed term", "contract"),
                ("fixed-term", "contract"),
            ),
        ),
        _f(
            "start_date",
            "start date",
            "date",
            (
                "start date",
                "start",
                "starts",
                "starting",
                "starting date",
                "start on",
                "placed on",
                "placement date",
                "date placed",
                "date started",
            ),
        ),
        _f(
            "end_date",
            "end date",
            "date",
            (
                "end date",
                "end",
                "ends",
                "finish date",
                "contract end",
                "contract end date",
                "end on",
            ),
        ),
        _f(
            "fee",
            "fee",
            "money",
            (
                "fee",
                "placement fee",
                "fee amount",
                "commission",
                "revenue",
                "invoice amount",
            ),
        ),
        _f("currency", "currency", "currency", ("currency", "ccy", "fee currency")),
        _f(
            "pay",
            "salary or rate",
            "money",
            (
                "salary",
                "pay",
                "rate",
                "salary or rate",
                "day rate",
                "hourly rate",
                "base salary",
                "annual salary",
                "package",
            ),
        ),
        _f(
            "pay_basis",
            "pay basis",
            "choice",
            ("pay basis", "rate type", "salary type", "basis"),
            choices=tuple(Placement.PayBasis.choices),
            synonyms=(
                ("annual", "annual"),
                ("salary", "annual"),
                ("yearly", "annual"),
                ("per annum", "annual"),
                ("pa", "annual"),
                ("daily", "daily"),
                ("day", "daily"),
                ("per day", "daily"),
                ("hourly", "hourly"),
                ("hour", "hourly"),
                ("per hour", "hourly"),
            ),
        ),
        _f(
            "guarantee_days",
            "guarantee period (days)",
            "days",
            ("guarantee", "guarantee days", "guarantee period", "rebate period"),
        ),
        _f(
            "recruiter",
            "recruiter",
            aliases=(
                "recruiter",
                "consultant",
                "owner",
                "placed by",
                "recruiter email",
            ),
        ),
        _f(
            "status",
            "status",
            "choice",
            ("status", "placement status"),
            choices=tuple(Placement.Status.choices),
            synonyms=(
                ("pending", "pending"),
                ("not started", "pending"),
                ("started", "active"),
                ("live", "active"),
                ("current", "active"),
                ("ended", "completed"),
                ("finished", "completed"),
                ("complete", "completed"),
                ("canceled", "cancelled"),
                ("fell through", "fell_off"),
                ("fall off", "fell_off"),
                ("falloff", "fell_off"),
            ),
        ),
        _f("notes", "notes", aliases=NOTES),
    ),
}

# Each inner tuple: at least one of its alternatives must be mapped.
REQUIRED: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {
    "clients": ((("name",),),),
    "contacts": ((("first_name", "last_name"), ("full_name",)), (("client",),)),
    "candidates": ((("first_name", "last_name"), ("full_name",)),),
    "placements": (
        (("candidate_email",), ("candidate_name",)),
        (("client",),),
        (("job_title",),),
        (("start_date",),),
    ),
}


def fields_for(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS[kind]}


def normalise_header(text: str) -> str:
    text = strip_accents(text).lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "", text)


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, str]:
    """{header: field} from the usual spellings of column names ("Company",
    "Account Name", "E-mail", "Mobile", "Start Date", "Placed On", ...); each
    field from one column at most, the first that fits."""
    by_alias: dict[str, str] = {}
    for f in FIELDS[kind]:
        for alias in (f.name, f.label, *f.aliases):
            by_alias.setdefault(normalise_header(alias), f.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = by_alias.get(normalise_header(header))
        if name and name not in taken:
            mapping[header] = name
            taken.add(name)
    if {"first_name", "last_name"} <= taken and "full_name" in taken:
        mapping = {h: n for h, n in mapping.items() if n != "full_name"}
    return mapping


def check_mapping(kind: str, mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping, in words; empty when it will do."""
    known = fields_for(kind)
    problems = []
    sources: dict[str, list[str]] = {}
    for header, name in mapping.items():
        if name not in known:
            problems.append(f"'{name}' is not a field of {kind}.")
            continue
        sources.setdefault(name, []).append(header)
    for name, headers in sources.items():
        if len(headers) > 1:
            quoted = " and ".join(f"'{h}'" for h in headers)
            problems.append(f"{known[name].label} comes from two columns: {quoted}.")
    mapped = set(sources)
    for alternatives in REQUIRED[kind]:
        if not any(set(group) <= mapped for group in alternatives):
            said = " or ".join(
                " and ".join(known[n].label for n in group) for group in alternatives
            )
            problems.append(f"Choose the column for {said}.")
    return problems
