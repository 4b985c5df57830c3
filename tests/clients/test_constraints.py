"""Each rule the database enforces, tried directly against the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from accounts.models import AgencySettings, User
from activities.models import Activity
from clients.models import Candidate, Client, Contact
from placements.models import Placement

from ..factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_contract_placement_needs_an_end_date():
    assert_rejected(
        lambda: PlacementFactory(placement_type=Placement.Type.CONTRACT, end_date=None)
    )


def test_end_date_must_follow_start_date():
    assert_rejected(
        lambda: PlacementFactory(
            start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 1)
        )
    )


def test_fee_is_not_negative():
    assert_rejected(lambda: PlacementFactory(fee=-1))


def test_pay_is_not_negative():
    assert_rejected(lambda: PlacementFactory(pay=-5))


def test_guarantee_is_not_negative():
    placement = PlacementFactory()
    assert_rejected(
        lambda: Placement.objects.filter(pk=placement.pk).update(guarantee_days=-1)
    )


def test_a_valid_contract_placement_is_accepted():
    placement = PlacementFactory(
        placement_type=Placement.Type.CONTRACT,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    assert placement.pk


def test_activity_is_about_exactly_one_person():
    user = UserFactory()
    contact, candidate = ContactFactory(), CandidateFactory()
    assert_rejected(lambda: Activity.objects.create(by=user, kind="call"))
    assert_rejected(
        lambda: Activity.objects.create(
            by=user, kind="call", contact=contact, candidate=candidate
        )
    )
    assert Activity.objects.create(by=user, kind="call", contact=contact).pk


def test_user_emails_are_unique_whatever_the_case():
    UserFactory(email="sam@example.com")
    assert_rejected(lambda: User.objects.create(email="SAM@example.com"))


def test_candidate_emails_are_unique_but_may_be_blank():
    CandidateFactory(email="x@example.net")
    assert_rejected(lambda: CandidateFactory(email="X@Example.net"))
    CandidateFactory(email="")
    CandidateFactory(email="")
    assert Candidate.objects.filter(email="").count() == 2


def test_contact_emails_are_unique():
    ContactFactory(email="hm@acme.example")
    assert_rejected(lambda: ContactFactory(email="HM@acme.example"))


def test_client_names_are_unique_whatever_the_case():
    ClientFactory(name="Acme Ltd")
    assert_rejected(lambda: ClientFactory(name="ACME LTD"))


def test_a_record_has_one_referrer_at_most():
    assert_rejected(
        lambda: CandidateFactory(
            referred_by_candidate=CandidateFactory(),
            referred_by_contact=ContactFactory(),
        )
    )
    assert_rejected(
        lambda: ClientFactory(
            referred_by_candidate=CandidateFactory(),
            referred_by_contact=ContactFactory(),
        )
    )


def test_a_client_with_placements_cannot_be_deleted():
    placement = PlacementFactory()
    with pytest.raises(ProtectedError):
        Client.objects.filter(pk=placement.client_id).delete()


def test_agency_digest_hour_stays_on_the_clock():
    settings = AgencySettings.load()
    assert_rejected(
        lambda: AgencySettings.objects.filter(pk=settings.pk).update(
            digest_hour_default=24
        )
    )


def test_user_digest_hour_stays_on_the_clock():
    user = UserFactory()
    assert_rejected(lambda: User.objects.filter(pk=user.pk).update(digest_hour=30))


def test_contact_needs_a_client():
    assert_rejected(
        lambda: Contact.objects.create(
            first_name="A", last_name="B", owner=UserFactory(), client_id=None
        )
    )


def test_job_needs_a_client():
    job = JobFactory()
    assert_rejected(lambda: type(job).objects.filter(pk=job.pk).update(client_id=None))
