"""Writes to follow-up plans (managers edit them; admins choose the defaults).

Edits reach existing placements through `materialize_followups` (hourly, or run it by
hand): new rules add follow-ups (past dates are skipped as entered late), changed
offsets move open ones. Deleting a rule cancels its open follow-ups at once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.rules import can_edit_plans, can_make_plan_default
from core.services import UNSET, Unset, apply_fields, given, save_valid

from .models import FollowUp, FollowUpPlan, Kind, PlanRule


def _check(user: User) -> None:
    if not can_edit_plans(user):
        raise PermissionDenied


@transaction.atomic
def plan_create(
    *, by: User, name: str, placement_type: str, description: str = ""
) -> FollowUpPlan:
    _check(by)
    return save_valid(
        FollowUpPlan(name=name, placement_type=placement_type, description=description)
    )


@transaction.atomic
def plan_make_default(*, plan: FollowUpPlan, by: User) -> FollowUpPlan:
    """Admins choose which plan new placements of a type get."""
    if not can_make_plan_default(by):
        raise PermissionDenied
    FollowUpPlan.objects.filter(
        placement_type=plan.placement_type, is_default=True
    ).exclude(pk=plan.pk).update(is_default=False)
    plan.is_default = True
    plan.save(update_fields=["is_default", "updated_at"])
    return plan


@transaction.atomic
def rule_add(
    *,
    plan: FollowUpPlan,
    by: User,
    target: str,
    offset_days: int,
    title: str,
    kind: str = Kind.CUSTOM,
    anchor: str = PlanRule.Anchor.START,
    talking_points: str = "",
) -> PlanRule:
    _check(by)
    last = plan.rules.aggregate(m=Max("position"))["m"]
    rule = PlanRule(
        plan=plan,
        position=0 if last is None else last + 1,
        kind=kind,
        target=target,
        anchor=anchor,
        offset_days=offset_days,
        title=title,
        talking_points=talking_points,
    )
    return save_valid(rule)


@transaction.atomic
def rule_update(
    *,
    rule: PlanRule,
    by: User,
    kind: str | Unset = UNSET,
    target: str | Unset = UNSET,
    anchor: str | Unset = UNSET,
    offset_days: int | Unset = UNSET,
    title: str | Unset = UNSET,
    talking_points: str | Unset = UNSET,
) -> PlanRule:
    _check(by)
    apply_fields(
        rule,
        given(
            kind=kind,
            target=target,
            anchor=anchor,
            offset_days=offset_days,
            title=title,
            talking_points=talking_points,
        ),
    )
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
