"""Job and placement services refuse (PermissionDenied, nothing written, no signal)
what `by` may not do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from placements import services
from placements.models import Job, Placement
from placements.signals import placement_changed

from ..factories import CandidateFactory, ClientFactory, JobFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls: list[dict] = []

    def record(sender, **kwargs):
        calls.append(kwargs)

    placement_changed.connect(record, weak=False, dispatch_uid="test-permissions")
    yield calls
    placement_changed.disconnect(dispatch_uid="test-permissions")


@pytest.fixture
def job(alice):
    return JobFactory(client=ClientFactory(owner=alice), owner=alice)


def test_a_job_cannot_be_opened_for_or_changed_by_someone_without_the_right(
    alice, bob, carol, job
):
    client = ClientFactory(owner=alice)
    with pytest.raises(PermissionDenied):
        services.job_create(by=alice, client=client, title="Analyst", owner=carol)
    assert not Job.objects.filter(title="Analyst").exists()
    for user in (bob, carol):
        with pytest.raises(PermissionDenied):
            services.job_update(job=job, by=user, title="Changed")
    job.refresh_from_db()
    assert job.title == "Backend Engineer"


def test_a_placement_cannot_be_recorded_for_someone_its_maker_may_not_hand_work_to(
    sent, alice, carol, job
):
    with pytest.raises(PermissionDenied):
        services.placement_create(
            by=alice,
            job=job,
            candidate=CandidateFactory(),
            start_date=dt.date(2026, 2, 2),
            recruiter=carol,
        )
    assert not Placement.objects.exists()
    assert sent == []
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_someone_elses_placement_cannot_be_changed_or_cancelled(
    request, sent, alice, job, persona
):
    user = request.getfixturevalue(persona)
    placement = PlacementFactory(job=job, recruiter=alice)
    with pytest.raises(PermissionDenied):
        services.placement_update(
            placement=placement, by=user, start_date=dt.date(2026, 6, 1)
        )
    with pytest.raises(PermissionDenied):
        services.placement_update(placement=placement, by=user, recruiter=user)
    with pytest.raises(PermissionDenied):
        services.placement_cancel(placement=placement, by=user, reason="Gone")
    placement.refresh_from_db()
    assert (placement.start_date, placement.recruiter, placement.status) == (
        dt.date(2026, 1, 5),
        alice,
        Placement.Status.ACTIVE,
    )
    assert sent == []


def test_a_manager_changes_and_cancels_the_teams_placements(sent, alice, mia, job):
    placement = PlacementFactory(job=job, recruiter=alice)
    services.placement_update(placement=placement, by=mia, notes="Checked")
    services.placement_cancel(placement=placement, by=mia, reason="Counter-offer")
    placement.refresh_from_db()
    assert (placement.notes, placement.status) == (
        "Checked",
        Placement.Status.CANCELLED,
    )
