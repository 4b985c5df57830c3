"""Reads of users and teams: whom a user manages, works with and may assign.

The yes/no questions (may this user edit that record?) are in `accounts.rules`;
these are the sets of users and teams behind them, as queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AgencySettings, Team, User
from .rules import is_admin, is_manager, must_use_two_factor


def managed_user_ids(user: User) -> set[int]:
    """Ids of the users whose records `user` may edit besides their own."""
    if not user.is_authenticated:
        return set()
    if is_admin(user):
        return set(User.objects.values_list("id", flat=True))
    ids = {user.id}
    if not is_manager(user):
        # Being listed as a team's manager gives rights only with the manager role,
        # as everywhere else (rules.can_manage).
        return ids
    ids.update(
        Team.members.through.objects.filter(team__managers=user).values_list(
            "user_id", flat=True
        )
    )
    return ids


def teammate_ids(user: User) -> set[int]:
    """Ids of users who share a team with `user` (including `user`)."""
    ids = {user.id}
    ids.update(
        Team.members.through.objects.filter(team__members=user).values_list(
            "user_id", flat=True
        )
    )
    return ids


def managed_teams(user: User) -> QuerySet[Team]:
    """The teams whose figures `user` may see: every team for an admin, else the
    teams they are listed as a manager of (rules.can_see_team_dashboard says
    whether they see any)."""
    return Team.objects.all() if is_admin(user) else user.managed_teams.all()


def assignable_users(user: User) -> QuerySet[User]:
    """Who `user` may make the owner of a record: themselves, their reports, anyone
    for an admin (rules.can_assign_to asks the same of one user)."""
    qs = User.objects.filter(is_active=True)
    if is_admin(user):
        return qs
    return qs.filter(id__in=managed_user_ids(user))


@dataclass(frozen=True)
class TwoFactorState:
    has_device: bool  # a confirmed authenticator app
    agency_requires: bool  # AgencySettings.require_two_factor


def two_factor_state(user: User) -> TwoFactorState:
    """What every request of a session not yet verified asks (accounts.middleware),
    in one query."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_device=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            agency_requires=Exists(
                AgencySettings.objects.filter(pk=1, require_two_factor=True)
            ),
        )
        .values_list("has_device", "agency_requires")
        .first()
    )
    return TwoFactorState(*(row or (False, False)))


def two_factor_required(user: User) -> bool:
    """Whether `user` must sign in with a second factor (the rule, with the agency's
    setting read for it)."""
    return must_use_two_factor(
        user, agency_requires=AgencySettings.load().require_two_factor
    )


@dataclass(frozen=True)
class TwoFactorSummary:
    on: bool
    since: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int


def two_factor_summary(user: User) -> TwoFactorSummary:
    """Whether `user` signs in with a second factor, since when, and how many
    unused recovery codes they have."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        .only("created_at", "last_used_at")
        .first()
    )
    if device is None:
        return TwoFactorSummary(False, None, None, 0)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorSummary(True, device.created_at, device.last_used_at, left)
