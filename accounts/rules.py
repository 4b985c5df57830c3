"""Who may do what: every permission question of the CRM, answered in one place.

Each question is a named django-rules predicate, called as a function by services,
selectors and forms (`can_edit(user, record)`), and registered as a permission so
that views and templates ask the same thing through Django (`user.has_perm(
"crm.edit_record", record)`, `{% has_perm "crm.edit_plans" user as ok %}` after
`{% load rules %}`); `PermissionBackend` below (rules' ObjectPermissionBackend) in
AUTHENTICATION_BACKENDS answers them. The permission names start with `crm.`, the
product, not an app: lower layers (core) ask them without naming a higher one.

Roles (PRODUCT.md): a recruiter edits what they own; a manager, also what the
members of the teams they manage own; an admin everything. Being listed as a team's
manager gives rights only with the manager role. Which users or teams a user manages,
as querysets, is in `accounts.selectors`; this module only says yes or no.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from rules.permissions import ObjectPermissionBackend

from .models import Team, User

# The field naming whom a record belongs to: the owner of a client, contact,
# candidate or job; the recruiter of a placement; the assignee of a follow-up.
OWNER_FIELDS = ("owner", "recruiter", "assigned_to")


def owner_id_of(record: models.Model) -> int | None:
    """The id of the user `record` belongs to (see OWNER_FIELDS)."""
    for name in OWNER_FIELDS:
        attname = f"{name}_id"
        if hasattr(record, attname):
            return getattr(record, attname)
    raise TypeError(f"A {type(record).__name__} has no owner.")


# Roles


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_admin)


@rules.predicate
def is_manager(user) -> bool:
    return bool(user.is_authenticated and user.is_manager)


def _named(predicate: rules.Predicate, name: str) -> rules.Predicate:
    """The same test under the name of the question it answers (in rules' logs)."""
    return rules.Predicate(predicate, name=name)


is_admin_or_manager = is_admin | is_manager

# Questions about the user alone

# Be offered a choice of owner on a record's form (accounts.selectors.
# assignable_users); a recruiter's new records are their own.
can_choose_owner = _named(is_admin_or_manager, "can_choose_owner")
can_edit_plans = _named(is_admin_or_manager, "can_edit_plans")
# Which plan new placements of a type get is agency-wide: admins only.
can_make_plan_default = _named(is_admin, "can_make_plan_default")
can_see_team_dashboard = _named(is_admin_or_manager, "can_see_team_dashboard")
can_see_whole_agency = _named(is_admin, "can_see_whole_agency")
# Bring data in and take it out in bulk.
can_import = _named(is_admin_or_manager, "can_import")
can_get_team_summary = _named(is_admin_or_manager, "can_get_team_summary")
# Users, teams, roles and agency settings, in the admin site.
can_administer = _named(is_admin, "can_administer")
# Reset someone's two-factor sign-in (they lost their phone): in the admin site.
can_reset_two_factor = _named(is_admin, "can_reset_two_factor")
# Everyone reads and works the agency's shared book: a call with anyone is logged.
can_log_activity = _named(rules.is_authenticated, "can_log_activity")


def must_use_two_factor(user, *, agency_requires: bool) -> bool:
    """Whether `user` must sign in with a second factor: admins and anyone who can
    reach the admin site always; everyone when the agency's settings require it
    (`agency_requires`, read by accounts.selectors.two_factor_state)."""
    return bool(
        user.is_authenticated and (agency_requires or user.is_admin or user.is_staff)
    )


# Questions about a user, a team or a record


@rules.predicate
def can_manage(user, target: User | Team | int | None) -> bool:
    """`user` acts for `target`. A user (or a user's id): themselves, a manager of
    one of their teams, an admin. A team: its managers and admins."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    if isinstance(target, Team):
        return is_manager(user) and target.managers.filter(pk=user.pk).exists()
    target_id = getattr(target, "pk", target)
    if target_id is None:
        return False
    if target_id == user.pk:
        return True
    return (
        is_manager(user)
        and Team.objects.filter(managers=user, members__id=target_id).exists()
    )


@rules.predicate
def can_edit(user, record: models.Model) -> bool:
    """Edit (change, archive, cancel, act on) a record: its owner, a manager of the
    owner's team, or an admin. A record with no owner: admins only."""
    return record is not None and can_manage(user, owner_id_of(record))


@rules.predicate
def is_teammate(user, other: User | int) -> bool:
    """`other` is `user`, or shares a team with them."""
    other_id = getattr(other, "pk", other)
    if not user.is_authenticated or other_id is None:
        return False
    if other_id == user.pk:
        return True
    return Team.objects.filter(members=user).filter(members__id=other_id).exists()


def can_reassign(*, by: User, assignee_id: int | None, to: User) -> bool:
    """Hand work (a follow-up, a record) now with `assignee_id` to `to`: a manager
    among the people they manage; a recruiter their own to a teammate; an admin
    anyone's to anyone; never to a deactivated user. (Three parties: a plain
    function, not a permission.)"""
    if not to.is_active or not by.is_authenticated:
        return False
    if is_admin(by):
        return True
    if is_manager(by) and can_manage(by, assignee_id) and can_manage(by, to):
        return True
    return assignee_id == by.pk and is_teammate(by, to)


@rules.predicate
def can_assign_to(user, owner: User | None) -> bool:
    """Give new work (a record, a follow-up) to `owner`: oneself, or whom one may
    hand one's own work to (can_reassign). The forms offer fewer: see
    accounts.selectors.assignable_users."""
    if owner is None:
        return False
    if owner.pk == user.pk:
        return bool(user.is_authenticated)
    return can_reassign(by=user, assignee_id=user.pk, to=owner)


def can_change(user: User, record: models.Model, *, owner: User | None = None) -> bool:
    """Save changes to `record`, handing it to `owner` when one is named: `user` may
    edit it and, if its owner changes, may hand it over (can_reassign)."""
    if not can_edit(user, record):
        return False
    current = owner_id_of(record)
    return (
        owner is None
        or owner.pk == current
        or can_reassign(by=user, assignee_id=current, to=owner)
    )


PERMISSIONS: dict[str, rules.Predicate] = {
    "crm.edit_record": can_edit,
    "crm.choose_owner": can_choose_owner,
    "crm.edit_plans": can_edit_plans,
    "crm.make_plan_default": can_make_plan_default,
    "crm.see_team_dashboard": can_see_team_dashboard,
    "crm.see_whole_agency": can_see_whole_agency,
    "crm.import": can_import,
    "crm.get_team_summary": can_get_team_summary,
    "crm.administer": can_administer,
    "crm.log_activity": can_log_activity,
}
for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


class PermissionBackend(ObjectPermissionBackend):
    """rules' backend, with the last word on the CRM's own permissions: a "no" to
    a `crm.` permission stops Django there (a backend may end the question by raising
    PermissionDenied), instead of asking the model backend, which would read the
    user's model permissions from the database on every page for nothing. Other
    permissions (the admin site's) go on to the model backend as usual."""

    def has_perm(self, user, perm: str, *args: Any, **kwargs: Any) -> bool:
        if perm in PERMISSIONS:
            if super().has_perm(user, perm, *args, **kwargs):
                return True
            raise PermissionDenied
        return super().has_perm(user, perm, *args, **kwargs)
