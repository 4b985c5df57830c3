"""The named permission rules (accounts/rules.py), persona by persona.

alice and bob: recruiters in team A; carol: recruiter in team B; mia: manager of
team A; ada: admin. Each rule is asked directly, through Django (`user.has_perm`, the
rules backend) and, for the navigation, through the templates.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import reverse

from accounts import rules
from clients.models import Client
from followups.models import FollowUp

from ..factories import (
    CandidateFactory,
    ClientFactory,
    JobFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("alice", "bob", "carol", "mia", "ada")


@pytest.fixture
def people(alice, bob, carol, mia, ada):
    return {"alice": alice, "bob": bob, "carol": carol, "mia": mia, "ada": ada}


def answers(rule, people, *args) -> dict[str, bool]:
    return {name: bool(rule(user, *args)) for name, user in people.items()}


# Roles, and the questions about the user alone

ADMIN_ONLY = {"alice": False, "bob": False, "carol": False, "mia": False, "ada": True}
MANAGER_ONLY = {**ADMIN_ONLY, "ada": False, "mia": True}
LEADS = {**ADMIN_ONLY, "mia": True}  # managers and admins
EVERYONE = dict.fromkeys(PERSONAS, True)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (rules.is_admin, ADMIN_ONLY),
        (rules.is_manager, MANAGER_ONLY),
        (rules.can_choose_owner, LEADS),
        (rules.can_edit_plans, LEADS),
        (rules.can_make_plan_default, ADMIN_ONLY),
        (rules.can_see_team_dashboard, LEADS),
        (rules.can_see_whole_agency, ADMIN_ONLY),
        (rules.can_import, LEADS),
        (rules.can_get_team_summary, LEADS),
        (rules.can_administer, ADMIN_ONLY),
        (rules.can_log_activity, EVERYONE),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_each_question_about_the_user_alone(people, rule, expected):
    assert answers(rule, people) == expected


@pytest.mark.parametrize(
    "rule",
    [
        rules.is_admin,
        rules.is_manager,
        rules.can_edit_plans,
        rules.can_import,
        rules.can_see_team_dashboard,
        rules.can_log_activity,
    ],
)
def test_a_visitor_who_is_not_signed_in_may_do_nothing(rule):
    assert rule(AnonymousUser()) is False


def test_a_superuser_is_an_admin_whatever_the_role(db):
    root = UserFactory(is_superuser=True)
    assert rules.is_admin(root) and rules.can_make_plan_default(root)


# Records


@pytest.fixture
def alices(alice):
    """A record of each kind belonging to alice: owned, recruited, assigned."""
    client = ClientFactory(owner=alice)
    job = JobFactory(client=client, owner=alice)
    placement = PlacementFactory(job=job, recruiter=alice)
    followup = FollowUp.objects.create(
        assigned_to=alice,
        title="Coffee",
        due_date=dt.date(2026, 12, 1),
        original_due_date=dt.date(2026, 12, 1),
        candidate=placement.candidate,
    )
    return {
        "client": client,
        "candidate": CandidateFactory(owner=alice),
        "job": job,
        "placement": placement,
        "followup": followup,
    }


# The owner, the manager of the owner's team, an admin.
EDITS_ALICES = {"alice": True, "bob": False, "carol": False, "mia": True, "ada": True}


@pytest.mark.parametrize(
    "kind", ["client", "candidate", "job", "placement", "followup"]
)
def test_can_edit_a_record_follows_its_owner(people, alices, kind):
    record = alices[kind]
    assert answers(rules.can_edit, people, record) == EDITS_ALICES
    # Django asks the same rule, through the rules backend.
    assert {
        name: user.has_perm("crm.edit_record", record) for name, user in people.items()
    } == EDITS_ALICES


def test_a_record_without_an_owner_is_for_admins_only(people):
    orphan = FollowUp(assigned_to=None)
    assert answers(rules.can_edit, people, orphan) == ADMIN_ONLY
    assert not rules.can_edit(people["alice"], None)


def test_a_recruiter_listed_as_a_teams_manager_without_the_role_gets_no_rights(
    alice, bob, team_a
):
    team_a.managers.add(alice)  # an admin's slip: alice keeps the recruiter role
    bobs = ClientFactory(owner=bob)
    assert not rules.can_edit(alice, bobs)
    assert not rules.can_manage(alice, team_a)
    assert not rules.can_see_team_dashboard(alice)


def test_can_manage_users_and_teams(people, alice, carol, team_a, team_b):
    assert answers(rules.can_manage, people, alice) == EDITS_ALICES
    assert answers(rules.can_manage, people, alice.pk) == EDITS_ALICES
    assert answers(rules.can_manage, people, carol) == {
        **ADMIN_ONLY,
        "carol": True,
    }
    assert answers(rules.can_manage, people, team_a) == LEADS
    assert answers(rules.can_manage, people, team_b) == ADMIN_ONLY


def test_is_teammate(people, alice, carol):
    assert answers(rules.is_teammate, people, alice) == {
        **ADMIN_ONLY,
        "ada": False,
        "alice": True,
        "bob": True,
    }
    assert answers(rules.is_teammate, people, carol) == {
        **ADMIN_ONLY,
        "ada": False,
        "carol": True,
    }


# Handing work over


def test_can_reassign(alice, bob, carol, mia, ada):
    def may(by, owner, to):
        return rules.can_reassign(by=by, assignee_id=owner.pk, to=to)

    # A recruiter hands their own work to a teammate, not to an outsider, and
    # not someone else's.
    assert may(alice, alice, bob)
    assert not may(alice, alice, carol)
    assert not may(bob, alice, bob)
    assert not may(carol, alice, carol)
    # A manager among the people of the teams they manage.
    assert may(mia, alice, bob)
    assert not may(mia, alice, carol)
    assert not may(mia, carol, alice)
    # An admin anyone's to anyone; nobody to a deactivated user.
    assert may(ada, carol, alice)
    gone = UserFactory(is_active=False)
    assert not may(ada, alice, gone)


def test_can_assign_to(people, alice, bob, carol):
    assert answers(rules.can_assign_to, people, alice) == {
        **EDITS_ALICES,
        "bob": True,  # a teammate may give alice new work
    }
    assert answers(rules.can_assign_to, people, carol) == {
        **ADMIN_ONLY,
        "carol": True,
    }
    assert not rules.can_assign_to(alice, None)


def test_can_change_a_record_and_hand_it_over(alice, bob, carol, mia, ada):
    client = ClientFactory(owner=alice)
    assert rules.can_change(alice, client)
    assert rules.can_change(alice, client, owner=alice)
    assert rules.can_change(alice, client, owner=bob)
    assert not rules.can_change(alice, client, owner=carol)
    assert not rules.can_change(bob, client)
    assert not rules.can_change(bob, client, owner=bob)
    assert rules.can_change(mia, client, owner=bob)
    assert not rules.can_change(mia, client, owner=carol)
    assert rules.can_change(ada, client, owner=carol)


# Through Django: the backend


def test_every_named_permission_is_registered():
    import rules as django_rules

    for name in rules.PERMISSIONS:
        assert django_rules.perm_exists(name), name


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        ("crm.edit_plans", LEADS),
        ("crm.make_plan_default", ADMIN_ONLY),
        ("crm.see_team_dashboard", LEADS),
        ("crm.see_whole_agency", ADMIN_ONLY),
        ("crm.import", LEADS),
        ("crm.choose_owner", LEADS),
        ("crm.get_team_summary", LEADS),
        ("crm.administer", ADMIN_ONLY),
        ("crm.log_activity", EVERYONE),
    ],
)
def test_has_perm_answers_the_named_rules(people, perm, expected):
    assert {name: user.has_perm(perm) for name, user in people.items()} == expected


def test_a_no_to_a_crm_permission_reads_no_model_permissions(
    alice, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert not alice.has_perm("crm.edit_plans")
        assert not alice.has_perm("crm.administer")


def test_model_permissions_still_come_from_the_model_backend(alice):
    alice.user_permissions.add(
        Permission.objects.get(
            codename="view_client", content_type__app_label="clients"
        )
    )
    assert alice.has_perm("clients.view_client")
    assert not alice.has_perm("clients.delete_client")


# Through the templates


NAV = {
    "Team dashboard": "dashboards:team",
    "Plans": "followups:plan_list",
    "Import": "imports:import_list",
    "Admin": "admin:index",
}
NAV_SEEN = {
    "alice": set(),
    "bob": set(),
    "carol": set(),
    "mia": {"Team dashboard", "Plans", "Import"},
    "ada": {"Team dashboard", "Plans", "Import", "Admin"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_navigation_shows_what_the_rules_allow(request, as_user, persona):
    user = request.getfixturevalue(persona)
    page = as_user(user).get(reverse("followups:client_list")).content.decode()
    shown = {label for label, name in NAV.items() if f'href="{reverse(name)}"' in page}
    assert shown == NAV_SEEN[persona]


@pytest.mark.parametrize(("persona", "offered"), [("mia", False), ("ada", True)])
def test_only_an_admin_is_offered_to_make_a_plan_the_default(
    request, as_user, plans, persona, offered
):
    from followups.models import FollowUpPlan

    other = FollowUpPlan.objects.create(name="Light touch", placement_type="permanent")
    user = request.getfixturevalue(persona)
    page = as_user(user).get(other.get_absolute_url()).content.decode()
    url = reverse("followups:plan_make_default", args=[other.pk])
    assert (url in page) is offered
    # The default plan itself is never offered again.
    page = as_user(user).get(plans["permanent"].get_absolute_url()).content.decode()
    assert reverse("followups:plan_make_default", args=[plans["permanent"].pk]) not in (
        page
    )


def test_the_profile_offers_the_team_summary_to_managers_and_admins_only(
    as_user, alice, mia, ada
):
    for user, offered in ((alice, False), (mia, True), (ada, True)):
        page = as_user(user).get(reverse("followups:profile")).content.decode()
        assert ('name="team_summary_enabled"' in page) is offered, user


def test_a_records_owner_is_found_by_the_field_its_kind_names_it_in():
    assert rules.owner_id_of(Client(owner_id=7)) == 7
    with pytest.raises(TypeError):
        rules.owner_id_of(object())
