"""Job and placement pages: record a placement from a job or a candidate page, edit
it, cancel it; open a job from a client page; the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Candidate
from placements.models import Job, Placement
from placements.signals import placement_changed

from ..factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)
from .test_forms import placement_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls: list[dict] = []

    def record(sender, **kwargs):
        calls.append(kwargs)

    placement_changed.connect(record, weak=False, dispatch_uid="test-view-recorder")
    yield calls
    placement_changed.disconnect(dispatch_uid="test-view-recorder")


@pytest.fixture
def signed_in(as_user, alice):
    return as_user(alice)


@pytest.fixture
def job(alice):
    hank = ContactFactory(
        first_name="Hank",
        last_name="Scorpio",
        client__name="Globex",
        client__owner=alice,
        owner=alice,
    )
    return JobFactory(client=hank.client, hiring_contact=hank, owner=alice)


@pytest.fixture
def homer(alice):
    return CandidateFactory(first_name="Homer", last_name="Simpson", owner=alice)


# Recording a placement


def test_the_placement_page_prefills_job_and_hiring_contact_from_the_job(
    signed_in, job
):
    response = signed_in.get(reverse("placements:placement_create"), {"job": job.pk})
    initial = response.context["form"].initial
    assert initial["job"] == job.pk
    assert initial["contact"] == job.hiring_contact_id
    assert initial["currency"] == "GBP"


def test_the_placement_page_prefills_the_candidate(signed_in, homer):
    response = signed_in.get(
        reverse("placements:placement_create"), {"candidate": homer.pk}
    )
    assert response.context["form"].initial["candidate"] == homer.pk


def test_the_placement_page_ignores_a_job_that_does_not_exist(signed_in):
    response = signed_in.get(reverse("placements:placement_create"), {"job": "999999"})
    assert response.status_code == 200
    assert "contact" not in response.context["form"].initial


def test_recording_a_placement_fills_the_job_and_places_the_candidate(
    signed_in, sent, alice, job, homer
):
    response = signed_in.post(
        reverse("placements:placement_create") + f"?job={job.pk}",
        placement_data(job, homer),
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == placement.get_absolute_url()
    assert placement.client == job.client
    assert placement.contact == job.hiring_contact
    assert placement.recruiter == alice
    job.refresh_from_db()
    homer.refresh_from_db()
    assert job.status == Job.Status.FILLED
    assert homer.status == Candidate.Status.PLACED
    assert len(sent) == 1
    assert sent[0]["created"] is True


def test_the_new_placement_shows_on_the_candidate_and_client_pages(
    signed_in, job, homer
):
    signed_in.post(reverse("placements:placement_create"), placement_data(job, homer))
    placement = Placement.objects.get()
    for page in (homer, job.client, job):
        html = signed_in.get(page.get_absolute_url()).content.decode()
        assert placement.get_absolute_url() in html


def test_a_manager_records_a_placement_for_a_team_member(as_user, mia, bob, job, homer):
    as_user(mia).post(
        reverse("placements:placement_create"),
        placement_data(job, homer, recruiter=bob.pk),
    )
    assert Placement.objects.get().recruiter == bob


def test_a_recruiter_cannot_record_a_placement_for_someone_else(
    signed_in, alice, bob, job, homer
):
    signed_in.post(
        reverse("placements:placement_create"),
        placement_data(job, homer, recruiter=bob.pk),
    )
    assert Placement.objects.get().recruiter == alice


# Editing


def test_editing_a_placement_reports_only_what_changed(
    signed_in, sent, alice, job, homer
):
    signed_in.post(reverse("placements:placement_create"), placement_data(job, homer))
    placement = Placement.objects.get()
    sent.clear()
    response = signed_in.post(
        reverse("placements:placement_edit", args=[placement.pk]),
        placement_data(job, homer, start_date="2026-03-09"),
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.start_date == dt.date(2026, 3, 9)
    assert len(sent) == 1
    assert sent[0]["created"] is False
    assert sent[0]["changes"] == {"start_date"}


def test_saving_an_unchanged_placement_sends_nothing(
    signed_in, sent, alice, job, homer
):
    signed_in.post(reverse("placements:placement_create"), placement_data(job, homer))
    placement = Placement.objects.get()
    sent.clear()
    signed_in.post(
        reverse("placements:placement_edit", args=[placement.pk]),
        placement_data(job, homer),
    )
    assert sent == []


def test_the_edit_page_shows_the_current_values(signed_in, alice, job):
    placement = PlacementFactory(job=job, recruiter=alice, currency="EUR")
    response = signed_in.get(reverse("placements:placement_edit", args=[placement.pk]))
    assert response.status_code == 200
    assert 'value="EUR"' in response.content.decode()


# Cancelling


def test_cancelling_asks_for_a_reason(signed_in, alice, job):
    placement = PlacementFactory(job=job, recruiter=alice)
    response = signed_in.get(
        reverse("placements:placement_cancel", args=[placement.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Close the placement of" in html
    assert 'name="reason"' in html


def test_cancelling_records_status_reason_and_time(signed_in, sent, alice, job):
    placement = PlacementFactory(job=job, recruiter=alice)
    response = signed_in.post(
        reverse("placements:placement_cancel", args=[placement.pk]),
        {"status": "fell_off", "reason": "Left after two weeks"},
        follow=True,
    )
    placement.refresh_from_db()
    assert placement.status == Placement.Status.FELL_OFF
    assert placement.cancel_reason == "Left after two weeks"
    assert placement.cancelled_at is not None
    assert response.redirect_chain[-1][0] == placement.get_absolute_url()
    assert "Left after two weeks" in response.content.decode()
    assert len(sent) == 1
    assert sent[0]["changes"] == {"status", "cancel_reason", "cancelled_at"}


def test_cancelling_someone_elses_placement_is_404_and_changes_nothing(
    as_user, bob, alice, job
):
    placement = PlacementFactory(job=job, recruiter=alice)
    response = as_user(bob).post(
        reverse("placements:placement_cancel", args=[placement.pk]),
        {"status": "cancelled", "reason": "Not mine"},
    )
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


# Jobs


def test_a_job_opened_from_a_client_page_belongs_to_that_client(signed_in, alice):
    client = ClientFactory(name="Globex")
    hank = ContactFactory(client=client)
    ContactFactory()  # someone at another client
    page = signed_in.get(client.get_absolute_url()).content.decode()
    create_url = f"{reverse('placements:job_create')}?client={client.pk}"
    assert create_url in page

    form = signed_in.get(create_url).context["form"]
    assert form.initial["client"] == client.pk
    assert list(form.fields["hiring_contact"].queryset) == [hank]

    response = signed_in.post(
        create_url,
        {
            "client": client.pk,
            "title": "Volcano Engineer",
            "hiring_contact": hank.pk,
            "status": "open",
            "opened_on": "2026-01-12",
        },
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.client, job.hiring_contact, job.owner) == (client, hank, alice)
    assert job.opened_on == dt.date(2026, 1, 12)
    assert (
        "Volcano Engineer" in signed_in.get(client.get_absolute_url()).content.decode()
    )


def test_the_job_page_links_to_record_a_placement(signed_in, job):
    html = signed_in.get(job.get_absolute_url()).content.decode()
    assert f"{reverse('placements:placement_create')}?job={job.pk}" in html


# Lists


def test_jobs_search_and_filter_by_status(signed_in):
    JobFactory(title="Data Analyst", client__name="Globex")
    JobFactory(title="Data Engineer", client__name="Initech", status=Job.Status.FILLED)
    JobFactory(title="Nurse", client__name="Globex Health")
    url = reverse("placements:job_list")
    titles = lambda r: [j.title for j in r.context["object_list"]]  # noqa: E731
    assert titles(signed_in.get(url, {"q": "data globex"})) == ["Data Analyst"]
    assert titles(signed_in.get(url, {"status": "filled"})) == ["Data Engineer"]
    assert titles(signed_in.get(url, {"sort": "-title"})) == [
        "Nurse",
        "Data Engineer",
        "Data Analyst",
    ]


def test_placements_filter_by_recruiter_status_type_and_start(signed_in, alice, bob):
    mine = PlacementFactory(recruiter=alice, start_date=dt.date(2026, 1, 5))
    PlacementFactory(recruiter=bob, start_date=dt.date(2026, 1, 5))
    PlacementFactory(
        recruiter=alice,
        start_date=dt.date(2025, 6, 1),
        placement_type=Placement.Type.CONTRACT,
        end_date=dt.date(2025, 12, 1),
        status=Placement.Status.COMPLETED,
    )
    url = reverse("placements:placement_list")

    def ids(params):
        return [p.pk for p in signed_in.get(url, params).context["object_list"]]

    assert ids({"recruiter": alice.pk, "status": "active"}) == [mine.pk]
    assert len(ids({"placement_type": "contract"})) == 1
    assert len(ids({"start_after": "2026-01-01"})) == 2
    assert len(ids({"start_before": "2025-12-31"})) == 1


def test_empty_job_and_placement_lists_say_what_to_do_next(signed_in):
    assert (
        "No jobs yet." in signed_in.get(reverse("placements:job_list")).content.decode()
    )
    html = signed_in.get(reverse("placements:placement_list")).content.decode()
    assert "No placements yet." in html
    html = signed_in.get(reverse("placements:placement_list"), {"q": "zzz"})
    assert "No placement matches these filters." in html.content.decode()


@pytest.mark.parametrize("rows", [5, 40])
@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("placements:job_list", JobFactory),
        ("placements:placement_list", PlacementFactory),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries, url_name, factory, rows
):
    factory.create_batch(rows)
    # Session, user, count, page, the owner or recruiter filter's choices; a little
    # room for what the navigation bar may need.
    with django_assert_max_num_queries(8):
        response = signed_in.get(reverse(url_name))
    assert len(response.context["object_list"]) == min(rows, 25)


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("placements:job_detail", "get"),
        ("placements:job_edit", "get"),
        ("placements:job_edit", "post"),
        ("followups:placement_detail", "get"),
        ("placements:placement_edit", "post"),
        ("placements:placement_cancel", "get"),
        ("placements:placement_cancel", "post"),
    ],
)
def test_unknown_ids_are_404(signed_in, url_name, method):
    response = getattr(signed_in, method)(reverse(url_name, args=[987654]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [2, 12])
def test_the_job_page_runs_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries, job, rows
):
    PlacementFactory.create_batch(rows, job=job)
    with django_assert_max_num_queries(10):
        response = signed_in.get(job.get_absolute_url())
    assert len(response.context["placements"]) == rows


def test_record_from_a_job_offers_only_that_clients_contacts_and_cancels_back(
    as_user, alice
):
    from ..factories import ContactFactory, JobFactory

    job = JobFactory(owner=alice)
    here = ContactFactory(client=job.client, last_name="Inhouse")
    ContactFactory(last_name="Elsewhere")
    page = (
        as_user(alice)
        .get(reverse("placements:placement_create") + f"?job={job.pk}")
        .content.decode()
    )
    assert "Inhouse" in page
    assert "Elsewhere" not in page
    assert f'href="{reverse("placements:job_detail", args=[job.pk])}"' in page
    assert here.pk
