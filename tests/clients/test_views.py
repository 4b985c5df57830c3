"""Client, contact and candidate pages: lists (search, filters, sorting, pagination,
empty states), detail pages, archive and restore, logging activities, unknown ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from clients.models import Candidate, Client, Contact

from ..factories import (
    ActivityFactory,
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

LISTS = {
    "clients": ("followups:client_list", ClientFactory),
    "contacts": ("clients:contact_list", ContactFactory),
    "candidates": ("followups:candidate_list", CandidateFactory),
}


def names(response) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


@pytest.fixture
def signed_in(as_user, alice):
    return as_user(alice)


# Search


@pytest.fixture
def book(alice, bob):
    ClientFactory(name="Acme Robotics", industry="Software", city="Leeds", owner=alice)
    ClientFactory(name="Blue Harbour", industry="Logistics", city="Hull", owner=bob)
    ClientFactory(name="Copper Kettle", industry="Retail", city="Leeds", owner=bob)
    ClientFactory(
        name="Delta Soft",
        industry="Software",
        city="York",
        owner=alice,
        status=Client.Status.PROSPECT,
    )


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("acme", ["Acme Robotics"]),
        ("LOGISTICS", ["Blue Harbour"]),
        ("leeds", ["Acme Robotics", "Copper Kettle"]),
        ("soft", ["Acme Robotics", "Delta Soft"]),
        ("software leeds", ["Acme Robotics"]),
        ("  soft   york ", ["Delta Soft"]),
        ("kettle hull", []),
    ],
)
def test_client_search_matches_every_word_in_name_industry_or_city(
    signed_in, book, q, expected
):
    response = signed_in.get(reverse("followups:client_list"), {"q": q})
    assert names(response) == expected


def test_contact_search_finds_people_by_their_clients_name(signed_in):
    hank = ContactFactory(first_name="Hank", last_name="Scorpio", client__name="Globex")
    ContactFactory(first_name="Hank", last_name="Hill", client__name="Strickland")
    response = signed_in.get(reverse("clients:contact_list"), {"q": "hank globex"})
    assert names(response) == [str(hank)]


def test_candidate_search_finds_people_by_title_and_city(signed_in):
    CandidateFactory(
        first_name="Ann", last_name="Lee", current_title="Data Analyst", city="Leeds"
    )
    CandidateFactory(
        first_name="Bo", last_name="Ray", current_title="Data Engineer", city="York"
    )
    response = signed_in.get(reverse("followups:candidate_list"), {"q": "data york"})
    assert names(response) == ["Bo Ray"]


# Filters


def test_clients_filter_by_owner(signed_in, book, bob):
    response = signed_in.get(reverse("followups:client_list"), {"owner": bob.pk})
    assert names(response) == ["Blue Harbour", "Copper Kettle"]


def test_clients_filter_by_status(signed_in, book):
    response = signed_in.get(reverse("followups:client_list"), {"status": "prospect"})
    assert names(response) == ["Delta Soft"]


def test_clients_filters_combine_with_search(signed_in, book, alice):
    response = signed_in.get(
        reverse("followups:client_list"), {"owner": alice.pk, "q": "software"}
    )
    assert names(response) == ["Acme Robotics", "Delta Soft"]


def test_contacts_filter_by_role(signed_in):
    ContactFactory(first_name="Hera", last_name="Hr", role=Contact.Role.HR)
    ContactFactory(first_name="Fay", last_name="Founder", role=Contact.Role.FOUNDER)
    response = signed_in.get(reverse("clients:contact_list"), {"role": "founder"})
    assert names(response) == ["Fay Founder"]


def test_contacts_filter_by_client(signed_in):
    hank = ContactFactory()
    ContactFactory()
    response = signed_in.get(
        reverse("clients:contact_list"), {"client": hank.client_id}
    )
    assert names(response) == [str(hank)]


def test_candidates_filter_by_owner_and_status(signed_in, alice, bob):
    CandidateFactory(first_name="A", last_name="One", owner=alice)
    CandidateFactory(
        first_name="B", last_name="Two", owner=alice, status=Candidate.Status.PLACED
    )
    CandidateFactory(first_name="C", last_name="Three", owner=bob)
    response = signed_in.get(
        reverse("followups:candidate_list"), {"owner": alice.pk, "status": "available"}
    )
    assert names(response) == ["A One"]


def test_a_filter_with_an_unknown_value_is_ignored_not_an_error(signed_in, book):
    response = signed_in.get(
        reverse("followups:client_list"), {"owner": "999999", "sort": "bogus"}
    )
    assert response.status_code == 200
    assert len(names(response)) == 4


@pytest.mark.parametrize("kind", LISTS)
def test_archived_records_are_hidden_unless_asked_for(signed_in, kind):
    url_name, factory = LISTS[kind]
    kept = factory()
    gone = factory(archived_at=timezone.now())
    url = reverse(url_name)
    assert names(signed_in.get(url)) == [str(kept)]
    assert names(signed_in.get(url, {"q": ""})) == [str(kept)]
    assert names(signed_in.get(url, {"archived": "true"})) == [str(gone)]


# Sorting


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Acme Robotics", "Blue Harbour", "Copper Kettle", "Delta Soft"]),
        ("-name", ["Delta Soft", "Copper Kettle", "Blue Harbour", "Acme Robotics"]),
        ("city", ["Blue Harbour", "Acme Robotics", "Copper Kettle", "Delta Soft"]),
        ("-industry", ["Acme Robotics", "Delta Soft", "Copper Kettle", "Blue Harbour"]),
    ],
)
def test_clients_sort_by_the_chosen_column(signed_in, book, sort, expected):
    response = signed_in.get(reverse("followups:client_list"), {"sort": sort})
    assert names(response) == expected


def test_the_default_client_order_is_by_name(signed_in, book):
    response = signed_in.get(reverse("followups:client_list"))
    assert names(response) == sorted(names(response))


def test_contacts_sort_by_last_name_and_by_client(signed_in):
    ContactFactory(first_name="Zed", last_name="Adams", client__name="Young Ltd")
    ContactFactory(first_name="Amy", last_name="Young", client__name="Able Ltd")
    url = reverse("clients:contact_list")
    assert names(signed_in.get(url, {"sort": "name"})) == ["Zed Adams", "Amy Young"]
    assert names(signed_in.get(url, {"sort": "-name"})) == ["Amy Young", "Zed Adams"]
    assert names(signed_in.get(url, {"sort": "client"})) == ["Amy Young", "Zed Adams"]


def test_candidates_sort_by_last_name_and_city(signed_in):
    CandidateFactory(first_name="Zed", last_name="Adams", city="York")
    CandidateFactory(first_name="Amy", last_name="Young", city="Bath")
    url = reverse("followups:candidate_list")
    assert names(signed_in.get(url, {"sort": "name"})) == ["Zed Adams", "Amy Young"]
    assert names(signed_in.get(url, {"sort": "city"})) == ["Amy Young", "Zed Adams"]
    assert names(signed_in.get(url, {"sort": "-city"})) == ["Zed Adams", "Amy Young"]


def test_sorting_by_a_column_with_ties_pages_without_repeats(signed_in, alice):
    for i in range(30):
        ClientFactory(name=f"Client {i:02}", industry="Software", owner=alice)
    url = reverse("followups:client_list")
    first = names(signed_in.get(url, {"sort": "industry"}))
    second = names(signed_in.get(url, {"sort": "industry", "page": 2}))
    assert len(first) == 25 and len(second) == 5
    assert len(set(first) | set(second)) == 30


# Pagination


@pytest.mark.parametrize("kind", LISTS)
def test_lists_show_25_a_page(signed_in, kind):
    url_name, factory = LISTS[kind]
    factory.create_batch(30)
    url = reverse(url_name)
    first = signed_in.get(url)
    assert len(first.context["object_list"]) == 25
    assert first.context["page_obj"].has_next()
    second = signed_in.get(url, {"page": 2})
    assert len(second.context["object_list"]) == 5
    assert "26–30 of 30" in second.content.decode()
    assert not set(names(first)) & set(names(second))


def test_pagination_links_keep_the_search_and_sort(signed_in):
    for i in range(30):
        ClientFactory(name=f"Alpha {i:02}")
    response = signed_in.get(reverse("followups:client_list"), {"q": "alpha"})
    assert "?q=alpha&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("page", ["99", "abc"])
def test_a_page_that_does_not_exist_is_404(signed_in, page):
    ClientFactory()
    response = signed_in.get(reverse("followups:client_list"), {"page": page})
    assert response.status_code == 404


# Empty states


@pytest.mark.parametrize(
    ("kind", "empty", "no_match"),
    [
        ("clients", "No clients yet.", "No client matches these filters."),
        ("contacts", "No contacts yet.", "No contact matches these filters."),
        ("candidates", "No candidates yet.", "No candidate matches these filters."),
    ],
)
def test_empty_lists_say_what_to_do_next(signed_in, kind, empty, no_match):
    url_name, factory = LISTS[kind]
    url = reverse(url_name)
    page = signed_in.get(url).content.decode()
    assert empty in page
    assert no_match not in page
    factory()
    page = signed_in.get(url, {"q": "nothing-like-this"}).content.decode()
    assert no_match in page
    assert "Clear the filters" in page


# Detail pages


def test_the_client_page_shows_contacts_jobs_placements_and_timeline(signed_in):
    client = ClientFactory(name="Globex")
    hank = ContactFactory(client=client, first_name="Hank", last_name="Scorpio")
    archived = ContactFactory(
        client=client, first_name="Old", last_name="Timer", archived_at=timezone.now()
    )
    job = JobFactory(client=client, title="Volcano Engineer", hiring_contact=hank)
    homer = CandidateFactory(first_name="Homer", last_name="Simpson")
    PlacementFactory(job=job, candidate=homer)
    ActivityFactory(
        contact=hank, candidate=None, client=client, subject="Talked about growth"
    )
    page = signed_in.get(client.get_absolute_url()).content.decode()
    for text in ("Hank Scorpio", "Volcano Engineer", "Homer Simpson", "growth"):
        assert text in page
    assert str(archived) not in page


def test_an_empty_client_page_says_what_to_do_next(signed_in):
    page = signed_in.get(ClientFactory().get_absolute_url()).content.decode()
    assert "No contacts yet." in page
    assert "No jobs yet." in page
    assert "No placements yet." in page
    assert "No activity yet." in page


def test_the_contact_page_shows_placements_and_timeline(signed_in):
    hank = ContactFactory(first_name="Hank", last_name="Scorpio")
    job = JobFactory(client=hank.client, title="Volcano Engineer")
    PlacementFactory(
        job=job, contact=hank, candidate__first_name="Homer", candidate__last_name="S"
    )
    ActivityFactory(contact=hank, candidate=None, subject="Quarterly catch-up")
    page = signed_in.get(hank.get_absolute_url()).content.decode()
    assert "Homer S" in page
    assert "Quarterly catch-up" in page
    assert reverse("activities:contact_log", args=[hank.pk]) in page


def test_the_candidate_page_shows_placements_and_timeline(signed_in):
    homer = CandidateFactory(first_name="Homer", last_name="Simpson")
    PlacementFactory(candidate=homer, job__client__name="Globex")
    ActivityFactory(candidate=homer, subject="First-day check-in")
    page = signed_in.get(homer.get_absolute_url()).content.decode()
    assert "Globex" in page
    assert "First-day check-in" in page
    assert f"{reverse('placements:placement_create')}?candidate={homer.pk}" in page


def test_detail_pages_show_who_referred_the_record(signed_in):
    referrer = CandidateFactory(first_name="Ref", last_name="Errer")
    homer = CandidateFactory(referred_by_candidate=referrer)
    page = signed_in.get(homer.get_absolute_url()).content.decode()
    assert "Referred by" in page
    assert referrer.get_absolute_url() in page


# Archive and restore


ARCHIVE = {
    "client": ("clients:client_archive", "followups:client_list", ClientFactory),
    "contact": ("clients:contact_archive", "clients:contact_list", ContactFactory),
    "candidate": (
        "clients:candidate_archive",
        "followups:candidate_list",
        CandidateFactory,
    ),
}


@pytest.mark.parametrize("kind", ARCHIVE)
def test_archive_hides_from_the_list_and_restore_brings_back(signed_in, alice, kind):
    archive_name, list_name, factory = ARCHIVE[kind]
    record = factory(owner=alice)
    archive_url = reverse(archive_name, args=[record.pk])
    list_url = reverse(list_name)

    response = signed_in.post(archive_url)
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert record.archived_at is not None
    assert str(record) not in names(signed_in.get(list_url))
    detail = signed_in.get(record.get_absolute_url())
    assert detail.status_code == 200
    assert "Archived" in detail.content.decode()
    assert "Restore" in detail.content.decode()

    signed_in.post(archive_url, {"restore": "1"})
    record.refresh_from_db()
    assert record.archived_at is None
    assert names(signed_in.get(list_url)) == [str(record)]


def test_archiving_a_client_with_placements_keeps_everything(signed_in, alice):
    placement = PlacementFactory(job__client__owner=alice)
    client = placement.client
    signed_in.post(reverse("clients:client_archive", args=[client.pk]))
    assert Client.objects.filter(pk=client.pk).exists()
    assert client.placements.count() == 1


def test_archiving_twice_keeps_the_first_date(signed_in, alice):
    client = ClientFactory(owner=alice)
    url = reverse("clients:client_archive", args=[client.pk])
    signed_in.post(url)
    client.refresh_from_db()
    first = client.archived_at
    signed_in.post(url)
    client.refresh_from_db()
    assert client.archived_at == first


# Logging activities


def test_logging_with_a_contact_warms_the_contacts_client(signed_in, alice):
    hank = ContactFactory()
    response = signed_in.post(
        reverse("activities:contact_log", args=[hank.pk]),
        {
            "kind": "meeting",
            "occurred_at": "2026-03-02T10:30",
            "subject": "Coffee",
            "note": "Growing the team",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == hank.get_absolute_url()
    activity = Activity.objects.get()
    assert activity.contact == hank
    assert activity.candidate is None
    assert activity.client == hank.client
    assert activity.by == alice
    assert activity.kind == Activity.Kind.MEETING
    # The recruiter's wall clock (alice is in London, on GMT in March).
    assert activity.occurred_at == dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)
    assert "Coffee" in signed_in.get(hank.client.get_absolute_url()).content.decode()


def test_logging_with_a_candidate_about_a_placement_warms_the_placements_client(
    signed_in,
):
    placement = PlacementFactory()
    response = signed_in.post(
        reverse("activities:candidate_log", args=[placement.candidate_id]),
        {"kind": "call", "occurred_at": "2026-03-02T10:30", "placement": placement.pk},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.candidate == placement.candidate
    assert activity.contact is None
    assert activity.placement == placement
    assert activity.client == placement.client


def test_logging_with_a_candidate_alone_concerns_no_client(signed_in):
    homer = CandidateFactory()
    signed_in.post(
        reverse("activities:candidate_log", args=[homer.pk]),
        {"kind": "note", "occurred_at": "2026-03-02T10:30", "note": "Open to offers"},
    )
    activity = Activity.objects.get()
    assert activity.candidate == homer
    assert activity.client is None
    page = signed_in.get(homer.get_absolute_url()).content.decode()
    assert "Open to offers" in page


def test_the_log_page_offers_the_persons_placements_and_prefills_one(signed_in):
    placement = PlacementFactory()
    PlacementFactory()
    response = signed_in.get(
        reverse("activities:candidate_log", args=[placement.candidate_id]),
        {"placement": placement.pk},
    )
    form = response.context["form"]
    assert list(form.fields["placement"].queryset) == [placement]
    assert str(form.initial["placement"]) == str(placement.pk)


# Unknown ids


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("followups:client_detail", "get"),
        ("clients:client_edit", "get"),
        ("clients:client_edit", "post"),
        ("clients:client_archive", "post"),
        ("followups:contact_detail", "get"),
        ("clients:contact_edit", "get"),
        ("clients:contact_archive", "post"),
        ("activities:contact_log", "get"),
        ("activities:contact_log", "post"),
        ("followups:candidate_detail", "get"),
        ("clients:candidate_edit", "post"),
        ("clients:candidate_archive", "post"),
        ("activities:candidate_log", "get"),
        ("activities:candidate_log", "post"),
    ],
)
def test_unknown_ids_are_404(signed_in, url_name, method):
    response = getattr(signed_in, method)(reverse(url_name, args=[987654]))
    assert response.status_code == 404


# Queries


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("rows", [5, 40])
def test_list_pages_run_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries, kind, rows, alice, bob
):
    url_name, factory = LISTS[kind]
    owners = [alice, bob]
    if kind == "contacts":
        for i in range(rows):
            factory(owner=owners[i % 2], client__owner=owners[i % 2])
    else:
        for i in range(rows):
            factory(owner=owners[i % 2])
    # Session, user, count, page, the owner filter's choices; a little room for
    # what the navigation bar may need.
    with django_assert_max_num_queries(8):
        response = signed_in.get(reverse(url_name), {"sort": "name"})
    assert len(response.context["object_list"]) == min(rows, 25)


@pytest.mark.parametrize(
    "detail",
    ["client", "contact", "candidate"],
)
@pytest.mark.parametrize("rows", [2, 12])
def test_detail_pages_run_a_bounded_number_of_queries(
    signed_in, django_assert_max_num_queries, detail, rows
):
    client = ClientFactory()
    contact = ContactFactory(client=client)
    candidate = CandidateFactory()
    for _ in range(rows):
        job = JobFactory(client=client, hiring_contact=contact)
        placement = PlacementFactory(job=job, contact=contact, candidate=candidate)
        ContactFactory(client=client)
        ActivityFactory(
            contact=contact, candidate=None, client=client, placement=placement
        )
        ActivityFactory(candidate=candidate, client=client, placement=placement)
    record = {"client": client, "contact": contact, "candidate": candidate}[detail]
    # About eight today, whatever the rows; twelve rows read one by one would break
    # the bound.
    with django_assert_max_num_queries(12):
        response = signed_in.get(record.get_absolute_url())
    assert response.status_code == 200


# The cancel link of a form page


@pytest.mark.parametrize(
    "next_url", ["javascript:alert(1)", "https://evil.example/", "//evil.example/"]
)
def test_a_form_pages_cancel_link_never_leaves_the_site(signed_in, next_url):
    response = signed_in.get(reverse("clients:client_create"), {"next": next_url})
    assert response.context["cancel_url"] == "/"
    assert next_url not in response.content.decode()


def test_the_client_list_opens_a_new_client_that_cancels_back_to_it(signed_in):
    page = signed_in.get(reverse("followups:client_list"), {"q": "acme"})
    new = reverse("clients:client_create") + "?next=/clients/%3Fq%3Dacme"
    assert f'href="{new}"' in page.content.decode()
    form = signed_in.get(new)
    assert form.context["cancel_url"] == "/clients/?q=acme"
    assert 'name="next" value="/clients/?q=acme"' in form.content.decode()


def test_a_form_pages_cancel_link_follows_a_local_next(signed_in):
    response = signed_in.get(
        reverse("clients:client_create"), {"next": "/contacts/?q=hank"}
    )
    assert response.context["cancel_url"] == "/contacts/?q=hank"


# Wrong methods


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize(
    "url_name",
    [
        "followups:client_list",
        "clients:client_create",
        "followups:client_detail",
        "clients:client_edit",
        "clients:client_archive",
        "activities:contact_log",
        "clients:candidate_edit",
        "placements:job_create",
        "placements:placement_create",
        "placements:placement_edit",
        "placements:placement_cancel",
        "followups:profile",
    ],
)
def test_wrong_methods_are_405_and_change_nothing(signed_in, alice, url_name, method):
    placement = PlacementFactory(
        job__client__owner=alice,
        job__owner=alice,
        recruiter=alice,
        candidate__owner=alice,
        contact=ContactFactory(owner=alice),
    )
    pks = {
        "client": placement.client_id,
        "contact": placement.contact_id,
        "candidate": placement.candidate_id,
        "placement": placement.pk,
    }
    kind = next((k for k in pks if f"{k}_" in url_name), None)
    needs_pk = url_name.split(":")[-1].split("_")[-1] in (
        "detail",
        "edit",
        "archive",
        "log",
        "cancel",
    )
    url = reverse(url_name, args=[pks[kind]] if needs_pk else [])
    before = Client.objects.count()
    response = getattr(signed_in, method)(url)
    assert response.status_code == 405
    assert Client.objects.count() == before
