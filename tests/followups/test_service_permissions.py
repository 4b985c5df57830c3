"""Follow-up and plan services refuse (PermissionDenied, nothing written) what `by`
may not do; the assignee, their manager and an admin may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity
from followups import plan_services, services
from followups.models import FollowUp, FollowUpPlan, Kind, PlanRule
from placements.models import Placement

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def followup(make_placement):
    return make_placement(
        start_date=D(2026, 11, 19), status=Placement.Status.ACTIVE
    ).followups.get(kind=Kind.FIRST_DAY)


def state(followup):
    followup.refresh_from_db()
    return (followup.status, followup.due_date, followup.assigned_to_id)


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_someone_elses_followup_cannot_be_done_snoozed_or_undone(
    request, followup, persona
):
    user = request.getfixturevalue(persona)
    before = state(followup)
    with pytest.raises(PermissionDenied):
        services.followup_complete(followup=followup, outcome="reached", by=user)
    with pytest.raises(PermissionDenied):
        services.followup_snooze(followup=followup, until=D(2026, 12, 1), by=user)
    with pytest.raises(PermissionDenied):
        services.followup_move_due_date(
            followup=followup, due_date=D(2026, 12, 1), by=user
        )
    assert state(followup) == before
    assert not Activity.objects.exists()
    services.followup_complete(
        followup=followup, outcome="reached", by=followup.assigned_to
    )
    with pytest.raises(PermissionDenied):
        services.followup_reopen(followup=followup, by=user)
    assert state(followup)[0] == FollowUp.Status.DONE
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("persona", ["mia", "ada"])
def test_a_manager_of_the_assignee_and_an_admin_act_on_it(request, followup, persona):
    user = request.getfixturevalue(persona)
    services.followup_snooze(followup=followup, until=D(2026, 12, 1), by=user)
    services.followup_complete(followup=followup, outcome="reached", by=user)
    services.followup_reopen(followup=followup, by=user)
    assert state(followup)[0] == FollowUp.Status.OPEN


def test_a_placements_followups_are_moved_only_by_someone_who_may(
    make_placement, alice, bob, carol
):
    placement = make_placement()
    Placement.objects.filter(pk=placement.pk).update(recruiter=bob)
    placement.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.placement_reassign_open_followups(placement=placement, by=carol)
    assert set(placement.followups.values_list("assigned_to", flat=True)) == {alice.pk}


def test_a_followup_is_handed_only_where_its_rule_allows(followup, bob, carol):
    # Refused on the form's field (the view shows it), as before.
    with pytest.raises(ValidationError):
        services.followup_reassign(followup=followup, to=carol, by=bob)
    assert state(followup)[2] == followup.assigned_to_id


# Plans


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_a_recruiter_cannot_touch_the_plans(request, plans, persona):
    user = request.getfixturevalue(persona)
    plan = plans["permanent"]
    rule = plan.rules.first()
    before = list(plan.rules.values_list("pk", "position", "title"))
    with pytest.raises(PermissionDenied):
        plan_services.plan_create(by=user, name="Mine", placement_type="permanent")
    with pytest.raises(PermissionDenied):
        plan_services.rule_add(
            plan=plan,
            by=user,
            target=PlanRule.Target.CANDIDATE,
            offset_days=3,
            title="Extra",
        )
    with pytest.raises(PermissionDenied):
        plan_services.rule_update(rule=rule, by=user, title="Changed")
    with pytest.raises(PermissionDenied):
        plan_services.rule_move(rule=rule, by=user, direction=1)
    with pytest.raises(PermissionDenied):
        plan_services.rule_delete(rule=rule, by=user)
    with pytest.raises(PermissionDenied):
        plan_services.plan_make_default(plan=plans["contract"], by=user)
    assert not FollowUpPlan.objects.filter(name="Mine").exists()
    assert list(plan.rules.values_list("pk", "position", "title")) == before


def test_a_manager_edits_plans_but_only_an_admin_chooses_the_default(mia, ada, plans):
    plan = plan_services.plan_create(
        by=mia, name="Light touch", placement_type="permanent"
    )
    rule = plan_services.rule_add(
        plan=plan, by=mia, target=PlanRule.Target.CANDIDATE, offset_days=3, title="Hi"
    )
    plan_services.rule_update(rule=rule, by=mia, offset_days=5)
    rule.refresh_from_db()
    assert (rule.offset_days, rule.title, rule.kind) == (5, "Hi", Kind.CUSTOM)
    with pytest.raises(PermissionDenied):
        plan_services.plan_make_default(plan=plan, by=mia)
    assert (
        FollowUpPlan.objects.get(is_default=True, placement_type="permanent")
        == (plans["permanent"])
    )
    plan_services.plan_make_default(plan=plan, by=ada)
    assert FollowUpPlan.objects.get(is_default=True, placement_type="permanent") == plan
