"""The permission matrix: each persona against each edit URL.

Recruiters read the shared book and edit what they own; a manager edits what the
team they manage owns; an admin edits everything. No right = no edit button and a 404.
"""

import pytest
from django.urls import reverse

from .factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_records(alice):
    client = ClientFactory(owner=alice)
    contact = ContactFactory(client=client, owner=alice)
    job = JobFactory(client=client, owner=alice, hiring_contact=contact)
    return {
        "client": client,
        "contact": contact,
        "candidate": CandidateFactory(owner=alice),
        "job": job,
        "placement": PlacementFactory(job=job, recruiter=alice),
    }


EDIT_URLS = [
    ("clients:client_edit", "client", "get"),
    ("clients:client_archive", "client", "post"),
    ("clients:contact_edit", "contact", "get"),
    ("clients:contact_archive", "contact", "post"),
    ("clients:candidate_edit", "candidate", "get"),
    ("clients:candidate_archive", "candidate", "post"),
    ("placements:job_edit", "job", "get"),
    ("placements:placement_edit", "placement", "get"),
    ("placements:placement_cancel", "placement", "get"),
]
DETAIL_URLS = {
    "client": "followups:client_detail",
    "contact": "followups:contact_detail",
    "candidate": "followups:candidate_detail",
    "job": "placements:job_detail",
    "placement": "followups:placement_detail",
}

# persona -> may edit alice's records?
MATRIX = {"alice": True, "bob": False, "carol": False, "mia": True, "ada": True}


@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize(("url_name", "record", "method"), EDIT_URLS)
def test_edit_urls_follow_the_matrix(
    request, as_user, alices_records, persona, url_name, record, method
):
    user = request.getfixturevalue(persona)
    client = as_user(user)
    url = reverse(url_name, args=[alices_records[record].pk])
    response = getattr(client, method)(url)
    if MATRIX[persona]:
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("record", DETAIL_URLS)
def test_everyone_reads_the_shared_book_but_sees_edit_only_with_the_right(
    request, as_user, alices_records, persona, record
):
    user = request.getfixturevalue(persona)
    obj = alices_records[record]
    response = as_user(user).get(reverse(DETAIL_URLS[record], args=[obj.pk]))
    assert response.status_code == 200
    edit_name = {
        "client": "clients:client_edit",
        "contact": "clients:contact_edit",
        "candidate": "clients:candidate_edit",
        "job": "placements:job_edit",
        "placement": "placements:placement_edit",
    }[record]
    has_edit_link = reverse(edit_name, args=[obj.pk]) in response.content.decode()
    assert has_edit_link is MATRIX[persona]


def test_a_forbidden_post_changes_nothing(as_user, bob, alices_records):
    client = alices_records["client"]
    as_user(bob).post(reverse("clients:client_archive", args=[client.pk]))
    client.refresh_from_db()
    assert client.archived_at is None


def test_unknown_ids_are_404_and_wrong_methods_405(as_user, alice):
    client = as_user(alice)
    assert (
        client.get(reverse("followups:client_detail", args=[999999])).status_code == 404
    )
    assert (
        client.get(reverse("placements:placement_edit", args=[999999])).status_code
        == 404
    )
    assert client.get(reverse("clients:client_archive", args=[1])).status_code == 405


def test_a_recruiter_cannot_give_a_record_to_someone_else(as_user, alice, bob):
    response = as_user(alice).post(
        reverse("clients:client_create"),
        {"name": "Globex", "status": "active", "owner": bob.pk},
    )
    assert response.status_code == 302
    from clients.models import Client

    assert Client.objects.get(name="Globex").owner == alice


def test_a_manager_may_assign_a_team_member_but_not_an_outsider(
    as_user, mia, alice, carol
):
    from clients.models import Client

    client = as_user(mia)
    ok = client.post(
        reverse("clients:client_create"),
        {"name": "Initech", "status": "active", "owner": alice.pk},
    )
    assert ok.status_code == 302
    assert Client.objects.get(name="Initech").owner == alice
    bad = client.post(
        reverse("clients:client_create"),
        {"name": "Umbrella", "status": "active", "owner": carol.pk},
    )
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert not Client.objects.filter(name="Umbrella").exists()


def test_a_recruiter_listed_as_team_manager_without_the_role_gets_no_rights(
    as_user, alice, bob, team_a
):
    team_a.managers.add(alice)  # an admin's slip: alice keeps the recruiter role
    client = as_user(alice)
    assert (
        client.get(reverse("followups:followup_list") + f"?user={bob.pk}").status_code
        == 404
    )


@pytest.mark.parametrize("value", ["²", "٣x", "-1", "1.5"])
def test_odd_ids_in_the_query_string_are_not_a_500(as_user, alice, value):
    client = as_user(alice)
    assert (
        client.get(reverse("placements:placement_create") + f"?job={value}").status_code
        == 200
    )
    assert (
        client.get(reverse("followups:followup_list") + f"?user={value}").status_code
        == 200
    )
    assert (
        client.get(
            reverse("followups:followup_create") + f"?contact={value}"
        ).status_code
        == 404
    )


def test_dates_beyond_the_calendar_are_refused_on_the_form(as_user, mia, plans):
    page = as_user(mia).get(
        plans["permanent"].get_absolute_url() + "?start_date=9999-12-20"
    )
    assert page.status_code == 200
    assert "between the years 1900 and 2200" in page.content.decode()


def test_odd_numbers_on_the_team_dashboard_are_not_a_500(as_user, mia):
    client = as_user(mia)
    for query in ("?period=²", "?team=²", "?user=²"):
        assert client.get(reverse("dashboards:team") + query).status_code in (200, 404)
