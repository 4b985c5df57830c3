"""Merging two records of one person or company into one.

Everything that points at the record that goes (activities, placements, follow-ups,
jobs, contacts, referrals: every foreign key, found from the models themselves, so
a relation added later moves too) is moved to the record that stays, blank fields
of the one that stays are filled from the other, and the other is deleted. One
transaction: a merge happens whole or not at all.

This app sits above follow-ups and may import them: the one rule the generic move
must respect is "one open re-engagement follow-up per person or client".
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.models import User
from clients.models import Candidate, Client, Contact
from followups.models import FollowUp, Kind

MERGEABLE: dict[str, type[Client | Contact | Candidate]] = {
    "candidates": Candidate,
    "contacts": Contact,
    "clients": Client,
}
# Never copied from the record that goes.
NOT_FILLED = {"id", "created_at", "updated_at", "archived_at", "owner", "client"}


def relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key elsewhere that points at `model`, hidden ones too."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def relation_label(rel: models.ForeignObjectRel) -> str:
    if rel.field.name.startswith("referred_by"):
        return "referrals"
    return str(rel.related_model._meta.verbose_name_plural).replace(
        "follow ups", "follow-ups"
    )


def merge_preview(*, keep: models.Model, drop: models.Model) -> dict[str, int]:
    """What a merge would move from `drop` to `keep`: {"activities": 3, ...}."""
    counts: Counter[str] = Counter()
    for rel in relations(type(drop)):
        n = rel.related_model._base_manager.filter(**{rel.field.name: drop}).count()
        if n:
            counts[relation_label(rel)] += n
    return dict(counts)


@transaction.atomic
def record_merge(
    *, keep: Client | Contact | Candidate, drop: Client | Contact | Candidate, by: User
) -> dict[str, int]:
    """Move everything of `drop` to `keep`, fill `keep`'s blanks, delete `drop`.
    Returns what moved, by kind: {"activities": 3, "placements": 1, ...}."""
    model = type(keep)
    if type(drop) is not model or model not in MERGEABLE.values():
        raise ValidationError("Only two clients, two contacts or two candidates merge.")
    if keep.pk == drop.pk:
        raise ValidationError("A record cannot be merged into itself.")
    locked = {
        obj.pk: obj
        for obj in model.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])
    }
    if len(locked) != 2:
        raise ValidationError("One of the two records no longer exists.")
    keep, drop = locked[keep.pk], locked[drop.pk]
    if model is Contact and keep.client_id != drop.client_id:
        raise ValidationError(
            f"{keep} works at {keep.client} and {drop} at {drop.client}: only "
            "contacts at the same client merge. Merge the clients first."
        )

    _close_second_reengagement(keep, drop, model)
    moved: Counter[str] = Counter()
    for rel in relations(model):
        n = rel.related_model._base_manager.filter(**{rel.field.name: drop}).update(
            **{rel.field.name: keep}
        )
        if n:
            moved[relation_label(rel)] += n

    keep.refresh_from_db()
    drop.refresh_from_db()
    _fill_blanks(keep, drop)
    # Whoever `drop` referred is now referred by `keep`; `keep` itself may have
    # been one of them.
    if isinstance(keep, Candidate) and keep.referred_by_candidate_id == keep.pk:
        keep.referred_by_candidate = None
    if isinstance(keep, Contact) and keep.referred_by_contact_id == keep.pk:
        keep.referred_by_contact = None
    if isinstance(keep, Candidate) and keep.placements.running().exists():
        keep.status = Candidate.Status.PLACED
    # The email moves last: it is unique, and `drop` still holds it until deleted.
    email = getattr(drop, "email", "")
    drop.delete()
    if email and not keep.email:
        keep.email = email
    keep.full_clean()
    keep.save()
    return dict(moved)


def _close_second_reengagement(keep, drop, model) -> None:
    """Two open re-engagement follow-ups would become two for one person; the
    one of the record that goes is cancelled, with the reason."""
    if model is Candidate:
        open_of = {"candidate": keep}
        drop_of = {"candidate": drop}
    elif model is Client:
        open_of = {"client": keep, "candidate__isnull": True}
        drop_of = {"client": drop, "candidate__isnull": True}
    else:
        return
    reengagement = FollowUp.objects.filter(
        kind=Kind.REENGAGEMENT, status=FollowUp.Status.OPEN
    )
    if reengagement.filter(**open_of).exists():
        reengagement.filter(**drop_of).update(
            status=FollowUp.Status.CANCELLED,
            status_reason=f"merged into {keep}"[:300],
        )


def _fill_blanks(keep, drop) -> None:
    had_referrer = bool(
        getattr(keep, "referred_by_candidate_id", None)
        or getattr(keep, "referred_by_contact_id", None)
    )
    for f in keep._meta.concrete_fields:
        if f.name in NOT_FILLED or f.name == "email" or f.primary_key:
            continue
        if f.name.startswith("referred_by") and had_referrer:
            continue  # one referrer at most: the one `keep` had stays
        mine, theirs = getattr(keep, f.attname), getattr(drop, f.attname)
        if f.name == "notes":
            if theirs and theirs not in mine:
                keep.notes = f"{mine}\n\n{theirs}".strip() if mine else theirs
        elif mine in ("", None) and theirs not in ("", None):
            setattr(keep, f.attname, theirs)
