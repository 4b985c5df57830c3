"""Reads of users and teams: whom a user manages, works with and may assign.

The yes/no questions (may this user edit that record?) are in `accounts.rules`;
these are the sets of users and teams behind them, as queries.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Team, User
from .rules import is_admin, is_manager


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
