"""Reads of the imports app: which imports a user sees (who may import at all is
accounts.rules.can_import), and the likely duplicates already in the book."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.rules import can_edit, can_import, is_admin
from accounts.selectors import managed_user_ids
from clients.models import Client, Contact

from .cells import normalise_email, normalise_name, phone_key
from .merge import MERGEABLE
from .models import ImportJob, SavedMapping


def require_importer(user: User) -> None:
    if not can_import(user):
        raise Http404("No such page.")


def import_jobs_for(user: User) -> QuerySet[ImportJob]:
    """An admin sees every import; a manager those of the teams they manage."""
    jobs = ImportJob.objects.select_related("created_by")
    if not can_import(user):
        return jobs.none()
    if is_admin(user):
        return jobs
    return jobs.filter(created_by_id__in=managed_user_ids(user))


def get_import_job_for_user(user: User, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs_for(user), pk=pk)


def saved_mappings(kind: str) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(kind=kind)


def get_mergeable_for_user(user: User, kind: str, pk: int):
    """A client, contact or candidate the user may merge (edit), else 404."""
    require_importer(user)
    model = MERGEABLE.get(kind)
    if model is None:
        raise Http404("Nothing of that kind merges.")
    obj = get_object_or_404(model.objects.select_related("owner"), pk=pk)
    if not can_edit(user, obj):
        raise Http404("No record you may edit here.")
    return obj


# Likely duplicates

# A phone number shared by more records than this is a switchboard, not a person.
MAX_GROUP = 5
# Name comparisons are pairwise within a group of the same last name (or the
# same start of a company name); larger groups are compared exactly only.
MAX_BLOCK = 60
SIMILAR = 0.8
COMPANY_WORDS = {
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "llc",
    "llp",
    "plc",
    "gmbh",
    "co",
    "corp",
    "corporation",
    "company",
    "the",
    "group",
    "holdings",
    "sa",
    "bv",
    "ag",
    "uk",
}


@dataclass
class DuplicatePair:
    first: object
    second: object
    reasons: list[str] = field(default_factory=list)


def _similar_first_names(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR


def company_key(name: str) -> str:
    words = [w for w in normalise_name(name).split() if w not in COMPANY_WORDS]
    return " ".join(words)


def website_key(url: str) -> str:
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return re.sub(r"^www\d?\.", "", host.lower())


def likely_duplicates(*, kind: str, limit: int = 100) -> list[DuplicatePair]:
    """Pairs of active records that are probably one: the same email (ignoring
    case, +tags and Gmail's dots), the same phone number, or very similar names
    (contacts: at the same client). Read a row at a time; the most certain pairs
    (most reasons) first."""
    model = MERGEABLE[kind]
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)

    def pair_up(groups: Iterable[list[int]], reason: str, max_group=MAX_GROUP):
        for pks in groups:
            if 1 < len(pks) <= max_group:
                for i, a in enumerate(pks):
                    for b in pks[i + 1 :]:
                        key = (min(a, b), max(a, b))
                        if reason not in reasons[key]:
                            reasons[key].append(reason)

    by_email: dict[str, list[int]] = defaultdict(list)
    by_phone: dict[str, list[int]] = defaultdict(list)
    by_name: dict[tuple, list[int]] = defaultdict(list)
    blocks: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    by_site: dict[str, list[int]] = defaultdict(list)
    active = model.objects.active().order_by("pk")
    if model is Client:
        for pk, name, phone, website in active.values_list(
            "pk", "name", "phone", "website"
        ).iterator(chunk_size=2000):
            key = company_key(name)
            if key:
                by_name[(key,)].append(pk)
                blocks[(key[:4],)].append((pk, key))
            if phone_key(phone):
                by_phone[phone_key(phone)].append(pk)
            if website_key(website):
                by_site[website_key(website)].append(pk)
        pair_up(by_site.values(), "same website")
    else:
        extra = "client_id" if model is Contact else "pk"
        for pk, first, last, email, phone, company in active.values_list(
            "pk", "first_name", "last_name", "email", "phone", extra
        ).iterator(chunk_size=2000):
            company = company if model is Contact else None
            if email:
                by_email[normalise_email(email)].append(pk)
            if phone_key(phone):
                by_phone[phone_key(phone)].append(pk)
            tokens = sorted(normalise_name(f"{first} {last}").split())
            if tokens:
                by_name[(" ".join(tokens), company)].append(pk)
            blocks[(normalise_name(last), company)].append((pk, normalise_name(first)))
        pair_up(by_email.values(), "same email")
    pair_up(by_phone.values(), "same phone")
    pair_up(by_name.values(), "same name", max_group=MAX_BLOCK)
    for block in blocks.values():
        if len(block) > MAX_BLOCK:
            continue
        for i, (a, name_a) in enumerate(block):
            for b, name_b in block[i + 1 :]:
                key = (min(a, b), max(a, b))
                if "same name" not in reasons.get(key, []) and _similar_first_names(
                    name_a, name_b
                ):
                    reasons[key].append("similar names")

    ranked = sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    related = ["owner", "client"] if model is Contact else ["owner"]
    objects = model.objects.select_related(*related).in_bulk(
        {pk for pair, _ in ranked for pk in pair}
    )
    return [
        DuplicatePair(objects[a], objects[b], why)
        for (a, b), why in ranked
        if a in objects and b in objects
    ]


def merge_side(obj) -> list[tuple[str, str]]:
    """The fields shown side by side on the merge page."""
    if isinstance(obj, Client):
        names = ["name", "industry", "city", "country", "website", "phone", "status"]
    elif isinstance(obj, Contact):
        names = ["first_name", "last_name", "email", "phone", "job_title", "role"]
    else:
        names = ["first_name", "last_name", "email", "phone", "current_title", "city"]
    rows = []
    for name in names:
        f = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        rows.append((str(f.verbose_name), display() if display else getattr(obj, name)))
    if isinstance(obj, Contact):
        rows.append(("client", str(obj.client)))
    rows.append(("owner", str(obj.owner)))
    rows.append(("created", obj.created_at.strftime("%d %b %Y")))
    return rows
