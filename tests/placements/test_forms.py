"""Job, placement and cancel forms reject bad input on the field and save nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Candidate, Client
from placements.forms import JobForm, PlacementCancelForm, PlacementForm
from placements.models import Job, Placement

from ..clients.test_forms import LONG, assert_rejected
from ..factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def globex(alice):
    return ClientFactory(name="Globex", owner=alice)


@pytest.fixture
def hank(globex):
    return ContactFactory(
        client=globex, first_name="Hank", last_name="Scorpio", owner=globex.owner
    )


@pytest.fixture
def job(globex, hank):
    return JobFactory(client=globex, hiring_contact=hank, title="Backend Engineer")


@pytest.fixture
def homer(alice):
    return CandidateFactory(first_name="Homer", last_name="Simpson", owner=alice)


@pytest.fixture
def elsewhere():
    """A contact at another client."""
    return ContactFactory(first_name="Lisa", last_name="Other", client__name="Initech")


def placement_data(job, candidate, /, **overrides) -> dict:
    data = {
        "candidate": candidate.pk,
        "job": job.pk,
        "contact": job.hiring_contact_id or "",
        "placement_type": Placement.Type.PERMANENT,
        "start_date": "2026-02-02",
        "end_date": "",
        "fee": "15000",
        "currency": "GBP",
        "pay": "60000",
        "pay_basis": Placement.PayBasis.ANNUAL,
        "guarantee_days": "90",
        "status": Placement.Status.PENDING,
        "notes": "",
    }
    data.update(overrides)
    return data


def job_data(client, /, **overrides) -> dict:
    data = {"client": client.pk, "title": "Data Analyst", "status": Job.Status.OPEN}
    data.update(overrides)
    return data


# Jobs


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": LONG}, "title", "Ensure this value has at most 200 characters"),
        ({"client": ""}, "client", "This field is required."),
        ({"status": "paused"}, "status", "Select a valid choice."),
        ({"opened_on": "31/31/2026"}, "opened_on", "Enter a valid date."),
    ],
)
def test_job_form_rejects_bad_input_and_saves_nothing(
    as_user, alice, globex, overrides, field, message
):
    response = as_user(alice).post(
        reverse("placements:job_create"), job_data(globex, **overrides)
    )
    assert_rejected(response, field, message)
    assert Job.objects.count() == 0


def test_a_job_hiring_contact_must_work_at_the_jobs_client(
    as_user, alice, globex, elsewhere
):
    response = as_user(alice).post(
        reverse("placements:job_create"),
        job_data(globex, hiring_contact=elsewhere.pk),
    )
    assert_rejected(response, "hiring_contact", "Lisa Other does not work at Globex.")
    assert Job.objects.count() == 0


def test_a_job_hiring_contact_must_work_at_the_client_given_in_the_query(
    as_user, alice, globex, elsewhere
):
    response = as_user(alice).post(
        reverse("placements:job_create") + f"?client={globex.pk}",
        job_data(globex, hiring_contact=elsewhere.pk),
    )
    assert_rejected(response, "hiring_contact", "does not work at Globex")
    assert Job.objects.count() == 0


def test_job_form_class_offers_only_the_clients_contacts_when_the_client_is_known(
    alice, globex, hank, elsewhere
):
    form = JobForm(initial={"client": globex.pk}, user=alice)
    assert list(form.fields["hiring_contact"].queryset) == [hank]


def test_a_job_at_an_archived_client_can_still_be_edited(as_user, alice, job):
    Client.objects.filter(pk=job.client_id).update(archived_at="2026-01-01T00:00Z")
    response = as_user(alice).post(
        reverse("placements:job_edit", args=[job.pk]),
        job_data(job.client, hiring_contact=job.hiring_contact_id, title="Lead"),
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Lead"


def test_a_new_job_cannot_be_opened_at_an_archived_client(as_user, alice, globex):
    Client.objects.filter(pk=globex.pk).update(archived_at="2026-01-01T00:00Z")
    response = as_user(alice).post(reverse("placements:job_create"), job_data(globex))
    assert_rejected(response, "client", "Select a valid choice.")
    assert Job.objects.count() == 0


# Placements


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2026-03-01", "end_date": "2026-02-01"},
            "end_date",
            "The end date must be after the start date.",
        ),
        (
            {"start_date": "2026-03-01", "end_date": "2026-03-01"},
            "end_date",
            "The end date must be after the start date.",
        ),
        (
            {"placement_type": "contract", "end_date": ""},
            "end_date",
            "A contract placement needs an end date.",
        ),
        ({"fee": "abc"}, "fee", "Enter a number."),
        ({"fee": "-1"}, "fee", "greater than or equal to 0"),
        ({"fee": "1" * 20}, "fee", "Ensure that there are no more than 12 digits"),
        ({"pay": "lots"}, "pay", "Enter a number."),
        ({"pay": "-100"}, "pay", "greater than or equal to 0"),
        ({"guarantee_days": "-5"}, "guarantee_days", "greater than or equal to 0"),
        ({"guarantee_days": "ninety"}, "guarantee_days", "Enter a whole number."),
        ({"currency": "POUNDS"}, "currency", "Ensure this value has at most 3"),
        ({"currency": "GB"}, "currency", "Use a three-letter currency code"),
        ({"currency": "G8P"}, "currency", "Use a three-letter currency code"),
        ({"currency": ""}, "currency", "This field is required."),
        ({"start_date": ""}, "start_date", "This field is required."),
        ({"start_date": "2026-02-30"}, "start_date", "Enter a valid date."),
        ({"placement_type": "temp"}, "placement_type", "Select a valid choice."),
        ({"candidate": ""}, "candidate", "This field is required."),
        ({"job": "999999"}, "job", "Select a valid choice."),
        ({"notes": LONG}, None, None),
    ],
)
def test_placement_form_rejects_bad_input_and_saves_nothing(
    as_user, alice, job, homer, overrides, field, message
):
    response = as_user(alice).post(
        reverse("placements:placement_create"),
        placement_data(job, homer, **overrides),
    )
    if field is None:  # long notes are fine: a control case that the data is valid
        assert response.status_code == 302
        return
    assert_rejected(response, field, message)
    assert Placement.objects.count() == 0
    job.refresh_from_db()
    homer.refresh_from_db()
    assert job.status == Job.Status.OPEN
    assert homer.status == Candidate.Status.AVAILABLE


def test_a_placement_contact_must_work_at_the_jobs_client(
    as_user, alice, job, homer, elsewhere
):
    response = as_user(alice).post(
        reverse("placements:placement_create"),
        placement_data(job, homer, contact=elsewhere.pk),
    )
    assert_rejected(response, "contact", "Lisa Other does not work at Globex.")
    assert Placement.objects.count() == 0


def test_a_currency_in_lower_case_is_saved_in_upper_case(as_user, alice, job, homer):
    response = as_user(alice).post(
        reverse("placements:placement_create"),
        placement_data(job, homer, currency=" eur "),
    )
    assert response.status_code == 302
    assert Placement.objects.get().currency == "EUR"


def test_a_contract_with_an_end_after_its_start_is_saved(as_user, alice, job, homer):
    response = as_user(alice).post(
        reverse("placements:placement_create"),
        placement_data(
            job,
            homer,
            placement_type="contract",
            start_date="2026-02-02",
            end_date="2026-08-02",
        ),
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.end_date == dt.date(2026, 8, 2)


def test_a_new_placement_cannot_be_cancelled_from_the_edit_form(
    as_user, alice, job, homer
):
    response = as_user(alice).post(
        reverse("placements:placement_create"),
        placement_data(job, homer, status=Placement.Status.CANCELLED),
    )
    assert_rejected(response, "status", "Select a valid choice.")
    assert Placement.objects.count() == 0


def test_placement_form_class_offers_only_live_statuses(alice):
    form = PlacementForm(user=alice)
    assert {value for value, _ in form.fields["status"].choices} == set(
        Placement.LIVE_STATUSES
    )


def test_placement_form_class_offers_no_job_at_an_archived_client(alice, job):
    archived = JobFactory(client__archived_at="2026-01-01T00:00Z")
    form = PlacementForm(user=alice)
    assert job in form.fields["job"].queryset
    assert archived not in form.fields["job"].queryset


def test_a_placement_of_an_archived_candidate_can_still_be_edited(as_user, alice, job):
    placement = PlacementFactory(job=job, recruiter=alice, contact=job.hiring_contact)
    Candidate.objects.filter(pk=placement.candidate_id).update(
        archived_at="2026-01-01T00:00Z"
    )
    response = as_user(alice).post(
        reverse("placements:placement_edit", args=[placement.pk]),
        placement_data(
            job, placement.candidate, status=Placement.Status.ACTIVE, fee="9000"
        ),
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.fee == 9000


def test_a_failed_placement_edit_changes_nothing(as_user, alice, job):
    placement = PlacementFactory(job=job, recruiter=alice, fee=12000)
    response = as_user(alice).post(
        reverse("placements:placement_edit", args=[placement.pk]),
        placement_data(
            job,
            placement.candidate,
            status=Placement.Status.ACTIVE,
            fee="9000",
            end_date="2020-01-01",
        ),
    )
    assert_rejected(response, "end_date", "The end date must be after the start")
    placement.refresh_from_db()
    assert placement.fee == 12000
    assert placement.end_date is None


# Cancelling


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "cancelled", "reason": ""}, "reason", "This field is required."),
        ({"status": "cancelled", "reason": "   "}, "reason", "This field is required."),
        (
            {"status": "cancelled", "reason": LONG},
            "reason",
            "Ensure this value has at most 2000 characters",
        ),
        ({"status": "active", "reason": "Oops"}, "status", "Select a valid choice."),
    ],
)
def test_cancel_form_rejects_bad_input_and_cancels_nothing(
    as_user, alice, job, data, field, message
):
    placement = PlacementFactory(job=job, recruiter=alice)
    response = as_user(alice).post(
        reverse("placements:placement_cancel", args=[placement.pk]), data
    )
    assert_rejected(response, field, message)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE
    assert placement.cancel_reason == ""
    assert placement.cancelled_at is None


def test_cancel_form_class_accepts_cancelled_and_fell_off():
    for status in (Placement.Status.CANCELLED, Placement.Status.FELL_OFF):
        form = PlacementCancelForm(data={"status": status, "reason": "Counter-offer"})
        assert form.is_valid(), form.errors
