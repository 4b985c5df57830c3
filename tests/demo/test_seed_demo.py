"""`manage.py seed_demo` makes a realistic agency, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Team, User
from activities.models import Activity
from clients.models import Candidate, Client, Contact
from demo.data import DEMO_PASSWORD
from placements.models import Job, Placement


def counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin.", "contenttypes."))
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_makes_a_realistic_agency_once_and_prints_the_logins():
    # One test runs the (slow) seeding twice and checks everything about it.
    first_output = seed()
    after_first = counts()
    second_output = seed()

    assert counts() == after_first
    assert "Demo agency created." in first_output
    assert "already present; nothing changed" in second_output

    assert User.objects.filter(role=User.Role.ADMIN, is_superuser=True).count() == 1
    assert User.objects.filter(role=User.Role.MANAGER).count() == 2
    assert User.objects.filter(role=User.Role.RECRUITER).count() == 6
    teams = Team.objects.all()
    assert len(teams) == 2
    for team in teams:
        assert team.members.count() == 3
        assert team.managers.count() == 1
    assert after_first["clients.Client"] == Client.objects.count() == 40
    assert Contact.objects.count() == 120
    assert Candidate.objects.count() == 300
    assert Job.objects.count() == 60
    assert Placement.objects.count() == 80
    assert 200 <= Activity.objects.count() <= 800

    for output in (first_output, second_output):
        assert DEMO_PASSWORD in output
        for user in User.objects.all():
            assert user.email in output
    admin = User.objects.get(role=User.Role.ADMIN)
    assert admin.check_password(DEMO_PASSWORD)

    # Realistic: spread over time, of both kinds, consistent, with referrals.
    placements = Placement.objects.all()
    starts = sorted(p.start_date for p in placements)
    assert (starts[-1] - starts[0]).days > 365  # spread over the past 18 months
    assert placements.filter(placement_type=Placement.Type.CONTRACT).exists()
    assert placements.filter(status=Placement.Status.FELL_OFF).exists()
    for placement in placements:
        assert placement.client_id == placement.job.client_id
        if placement.contact_id:
            assert placement.contact.client_id == placement.client_id
    assert Candidate.objects.exclude(referred_by_candidate=None).exists()
    assert Activity.objects.exclude(client=None).exists()
    for activity in Activity.objects.exclude(placement=None).select_related(
        "placement"
    ):
        offer_stage = activity.placement.start_date - timedelta(days=31)
        assert activity.occurred_at.date() >= offer_stage
    # Every recruiter has a book of business to work with.
    for recruiter in User.objects.filter(role=User.Role.RECRUITER):
        assert recruiter.placements.exists()
        assert recruiter.owned_clients.exists() or recruiter.owned_candidates.exists()


def test_seed_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
