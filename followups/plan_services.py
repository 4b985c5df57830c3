"""Writes to follow-up plans (managers edit them; admins choose the defaults).

Edits reach existing placements through `materialize_followups` (hourly, or run it by
hand): new rules add follow-ups (past dates are skipped as entered late), changed
offsets move open ones. Deleting a rule cancels its open follow-ups at once.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User

from .models import FollowUp, FollowUpPlan, PlanRule


def can_edit_plans(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_manager)


def _check(user: User) -> None:
    if not can_edit_plans(user):
        raise PermissionDenied


@transaction.atomic
def plan_create(*, by: User, **fields: Any) -> FollowUpPlan:
    _check(by)
    plan = FollowUpPlan(**fields)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_make_default(*, plan: FollowUpPlan, by: User) -> FollowUpPlan:
    """Admins choose which plan new placements of a type get."""
    if not by.is_admin:
        raise PermissionDenied
    FollowUpPlan.objects.filter(
        placement_type=plan.placement_type, is_default=True
    ).exclude(pk=plan.pk).update(is_default=False)
    plan.is_default = True
    plan.save(update_fields=["is_default", "updated_at"])
    return plan


@transaction.atomic
def rule_add(*, plan: FollowUpPlan, by: User, **fields: Any) -> PlanRule:
    _check(by)
    last = plan.rules.aggregate(m=Max("position"))["m"]
    rule = PlanRule(plan=plan, position=0 if last is None else last + 1, **fields)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def rule_update(*, rule: PlanRule, by: User, **fields: Any) -> PlanRule:
    _check(by)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    # Open follow-ups take the new title and talking points at once; dates move with
    # the next materialize run.
    rule.followups.filter(status=FollowUp.Status.OPEN).update(
        title=rule.title, talking_points=rule.talking_points, kind=rule.kind
    )
    return rule


@transaction.atomic
def rule_delete(*, rule: PlanRule, by: User) -> None:
    _check(by)
    rule.followups.filter(status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CANCELLED,
        status_reason="removed from the plan",
        updated_at=timezone.now(),
    )
    rule.delete()


@transaction.atomic
def rule_move(*, rule: PlanRule, by: User, direction: int) -> None:
    """Swap a rule with its neighbour (direction -1 = up, +1 = down)."""
    _check(by)
    rules = list(rule.plan.rules.select_for_update().order_by("position", "pk"))
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index + direction
    if not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    for position, r in enumerate(rules):
        if r.position != position:
            PlanRule.objects.filter(pk=r.pk).update(position=position)
