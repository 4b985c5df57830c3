"""Placement services: create, update and cancel, and the domain signal they send."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AgencySettings
from clients.models import Candidate
from placements import services
from placements.models import Job, Placement
from placements.signals import placement_changed

from ..factories import CandidateFactory, ContactFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every `placement_changed` sent during the test, as the receiver saw it."""
    calls: list[dict] = []

    def record(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    placement_changed.connect(record, weak=False, dispatch_uid="test-recorder")
    yield calls
    placement_changed.disconnect(dispatch_uid="test-recorder")


@pytest.fixture
def job(alice):
    contact = ContactFactory(client__owner=alice, owner=alice)
    return JobFactory(client=contact.client, owner=alice, hiring_contact=contact)


@pytest.fixture
def homer(alice):
    return CandidateFactory(owner=alice)


def create(job, candidate, by, **fields):
    fields.setdefault("start_date", dt.date(2026, 2, 2))
    fields.setdefault("fee", Decimal("15000"))
    return services.placement_create(by=by, job=job, candidate=candidate, **fields)


# Create


def test_create_records_a_placement_at_the_jobs_client(job, homer, alice):
    placement = create(job, homer, alice, contact=job.hiring_contact)
    placement.refresh_from_db()
    assert placement.client == job.client
    assert placement.job == job
    assert placement.candidate == homer
    assert placement.contact == job.hiring_contact
    assert placement.recruiter == alice
    assert placement.status == Placement.Status.PENDING
    assert placement.currency == "GBP"


def test_create_fills_the_job_and_places_the_candidate(job, homer, alice):
    create(job, homer, alice)
    job.refresh_from_db()
    homer.refresh_from_db()
    assert job.status == Job.Status.FILLED
    assert homer.status == Candidate.Status.PLACED


def test_create_leaves_a_closed_job_closed(job, homer, alice):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    job.refresh_from_db()
    create(job, homer, alice)
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED


def test_create_a_completed_placement_leaves_the_candidate_available(job, homer, alice):
    create(
        job,
        homer,
        alice,
        start_date=dt.date(2024, 1, 1),
        status=Placement.Status.COMPLETED,
    )
    homer.refresh_from_db()
    assert homer.status == Candidate.Status.AVAILABLE


def test_create_may_name_another_recruiter(job, homer, mia, bob):
    placement = create(job, homer, mia, recruiter=bob)
    assert placement.recruiter == bob


def test_create_sends_placement_changed_once_with_created(sent, job, homer, alice):
    placement = create(job, homer, alice)
    assert len(sent) == 1
    (call,) = sent
    assert call["sender"] is Placement
    assert call["placement"] == placement
    assert call["created"] is True
    assert call["by"] == alice
    assert {"start_date", "fee", "recruiter"} <= call["changes"]


@pytest.mark.parametrize(
    "fields",
    [
        {"placement_type": Placement.Type.CONTRACT, "end_date": None},
        {"end_date": dt.date(2026, 1, 1)},
        {"fee": Decimal("-1")},
        {"currency": "EURO"},
    ],
)
def test_an_invalid_placement_is_refused_and_nothing_changes(
    sent, job, homer, alice, fields
):
    with pytest.raises(ValidationError):
        create(job, homer, alice, **fields)
    assert Placement.objects.count() == 0
    job.refresh_from_db()
    homer.refresh_from_db()
    assert job.status == Job.Status.OPEN
    assert homer.status == Candidate.Status.AVAILABLE
    assert sent == []


# Update


def test_update_changes_the_fields_and_reports_which(sent, job, homer, alice):
    placement = create(job, homer, alice)
    sent.clear()
    services.placement_update(
        placement=placement,
        by=alice,
        start_date=dt.date(2026, 3, 2),
        fee=Decimal("15000.00"),  # unchanged: not reported
        notes="Moved by a month",
    )
    placement.refresh_from_db()
    assert placement.start_date == dt.date(2026, 3, 2)
    assert placement.notes == "Moved by a month"
    assert len(sent) == 1
    assert sent[0]["created"] is False
    assert sent[0]["changes"] == {"start_date", "notes"}
    assert sent[0]["placement"] == placement


def test_update_with_nothing_changed_sends_nothing(sent, job, homer, alice):
    placement = create(job, homer, alice)
    sent.clear()
    services.placement_update(
        placement=placement, by=alice, start_date=placement.start_date
    )
    assert sent == []


def test_update_to_another_job_moves_the_client(job, homer, alice):
    placement = create(job, homer, alice)
    other = JobFactory()
    services.placement_update(placement=placement, by=alice, job=other)
    placement.refresh_from_db()
    assert placement.job == other
    assert placement.client == other.client


def test_an_invalid_update_is_refused_and_nothing_changes(sent, job, homer, alice):
    placement = create(job, homer, alice)
    sent.clear()
    with pytest.raises(ValidationError):
        services.placement_update(
            placement=placement,
            by=alice,
            placement_type=Placement.Type.CONTRACT,
            end_date=None,
        )
    placement.refresh_from_db()
    assert placement.placement_type == Placement.Type.PERMANENT
    assert sent == []


# Cancel


@pytest.mark.parametrize("status", [Placement.Status.CANCELLED, "fell_off"])
def test_cancel_records_status_reason_and_time(sent, job, homer, alice, status):
    placement = create(job, homer, alice)
    sent.clear()
    before = timezone.now()
    services.placement_cancel(
        placement=placement, by=alice, status=status, reason="  Counter-offer  "
    )
    placement.refresh_from_db()
    assert placement.status == status
    assert placement.cancel_reason == "Counter-offer"
    assert placement.cancelled_at >= before
    assert placement.is_ended
    assert len(sent) == 1
    assert sent[0]["created"] is False
    assert sent[0]["changes"] == {"status", "cancel_reason", "cancelled_at"}


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_cancel_requires_a_reason(sent, job, homer, alice, reason):
    placement = create(job, homer, alice)
    sent.clear()
    with pytest.raises(ValidationError) as excinfo:
        services.placement_cancel(placement=placement, by=alice, reason=reason)
    assert "cancel_reason" in excinfo.value.error_dict
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PENDING
    assert placement.cancelled_at is None
    assert sent == []


def test_cancel_refuses_a_status_that_does_not_end_the_placement(job, homer, alice):
    placement = create(job, homer, alice)
    with pytest.raises(ValueError, match="not a cancelling status"):
        services.placement_cancel(
            placement=placement, by=alice, reason="x", status=Placement.Status.ACTIVE
        )
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PENDING


# Jobs


def test_job_create_defaults_the_owner_to_the_user(alice):
    contact = ContactFactory()
    job = services.job_create(
        by=alice, client=contact.client, title="Analyst", hiring_contact=contact
    )
    assert job.owner == alice
    assert job.status == Job.Status.OPEN


def test_job_update_validates(job, alice):
    with pytest.raises(ValidationError):
        services.job_update(job=job, by=alice, title="")
    job.refresh_from_db()
    assert job.title == "Backend Engineer"


def test_cancel_makes_the_candidate_available_and_reopens_the_job(job, homer, alice):
    placement = create(job, homer, alice)
    services.placement_cancel(placement=placement, reason="Counter-offer", by=alice)
    homer.refresh_from_db()
    job.refresh_from_db()
    assert homer.status == Candidate.Status.AVAILABLE
    assert job.status == Job.Status.OPEN


def test_cancelling_an_ended_placement_again_is_refused(job, homer, alice):
    placement = create(job, homer, alice)
    services.placement_cancel(placement=placement, reason="First reason", by=alice)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.placement_cancel(placement=placement, reason="Second", by=alice)
    placement.refresh_from_db()
    assert placement.cancel_reason == "First reason"


def test_the_service_refuses_a_contact_from_another_client(job, homer, alice):
    stranger = ContactFactory()
    with pytest.raises(ValidationError) as caught:
        create(job, homer, alice, contact=stranger)
    assert "contact" in caught.value.message_dict
    assert not Placement.objects.exists()


def test_an_ended_placement_cannot_be_reopened_from_the_edit_page(
    as_user, job, homer, alice
):
    from django.urls import reverse

    placement = create(job, homer, alice)
    services.placement_cancel(placement=placement, reason="Gone", by=alice)
    client = as_user(alice)
    page = client.get(
        reverse("placements:placement_edit", args=[placement.pk])
    ).content.decode()
    assert "This placement has ended" in page
    data = {
        "candidate": homer.pk,
        "job": job.pk,
        "placement_type": "permanent",
        "start_date": "2026-02-02",
        "fee": "15000",
        "currency": "GBP",
        "pay_basis": "annual",
        "guarantee_days": "90",
        "recruiter": alice.pk,
        "status": "active",
    }
    client.post(reverse("placements:placement_edit", args=[placement.pk]), data)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CANCELLED


def test_a_placement_without_a_currency_takes_the_agencys(job, homer, alice):
    AgencySettings.objects.update_or_create(pk=1, defaults={"default_currency": "EUR"})
    placement = services.placement_create(
        by=alice, job=job, candidate=homer, start_date=dt.date(2026, 3, 2)
    )
    assert placement.currency == "EUR"
