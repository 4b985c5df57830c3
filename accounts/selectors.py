"""Who may see and edit what. Every view's permission question ends up here."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Team, User


def managed_user_ids(user: User) -> set[int]:
    """Ids of the users whose records `user` may edit besides their own."""
    if not user.is_authenticated:
        return set()
    if user.is_admin:
        return set(User.objects.values_list("id", flat=True))
    ids = {user.id}
    if not user.is_manager:
        # Being listed as a team's manager gives rights only with the manager role,
        # as everywhere else (can_edit_owned_by).
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


def can_edit_owned_by(user: User, owner_id: int | None) -> bool:
    """Owner, a manager of the owner's team, or an admin."""
    if not user.is_authenticated:
        return False
    if user.is_admin or owner_id == user.id:
        return True
    if owner_id is None or not user.is_manager:
        return False
    return Team.objects.filter(managers=user, members__id=owner_id).exists()


def assignable_users(user: User) -> QuerySet[User]:
    """Who `user` may make the owner of a record: themselves, their reports, anyone
    for an admin."""
    qs = User.objects.filter(is_active=True)
    if user.is_admin:
        return qs
    return qs.filter(id__in=managed_user_ids(user))
