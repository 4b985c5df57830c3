"""Every clients form rejects bad input with a message on the field, and saves nothing.

Most cases go through the real pages (a POST as a signed-in persona), so that what is
tested is what a recruiter sees; a few check the form class where the page adds
nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.forms import ActivityForm
from activities.models import Activity
from clients.forms import CandidateForm, ClientForm, ContactForm
from clients.models import Candidate, Client, Contact

from ..factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

LONG = "x" * 10_000


def assert_rejected(response, field: str, message: str) -> None:
    """The page comes back (not a redirect, not a 500) with `message` on `field`."""
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert field in errors, dict(errors)
    assert any(message in e for e in errors[field]), errors[field]
    assert message in response.content.decode()


def client_data(**overrides) -> dict:
    data = {
        "name": "Globex",
        "industry": "Software",
        "city": "Leeds",
        "status": "active",
    }
    data.update(overrides)
    return data


def contact_data(client, /, **overrides) -> dict:
    data = {
        "client": client.pk,
        "first_name": "Hank",
        "last_name": "Scorpio",
        "role": Contact.Role.HIRING_MANAGER,
        "email": "hank@globex.example",
    }
    data.update(overrides)
    return data


def candidate_data(**overrides) -> dict:
    data = {
        "first_name": "Homer",
        "last_name": "Simpson",
        "email": "homer@example.net",
        "status": Candidate.Status.AVAILABLE,
    }
    data.update(overrides)
    return data


# Clients


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": LONG}, "name", "Ensure this value has at most 200 characters"),
        ({"industry": LONG}, "industry", "at most 100 characters"),
        ({"website": "not a url"}, "website", "Enter a valid URL."),
        ({"status": "bankrupt"}, "status", "Select a valid choice."),
    ],
)
def test_client_form_rejects_bad_input_and_saves_nothing(
    as_user, alice, overrides, field, message
):
    response = as_user(alice).post(
        reverse("clients:client_create"), client_data(**overrides)
    )
    assert_rejected(response, field, message)
    assert Client.objects.count() == 0


def test_a_duplicate_client_name_in_another_case_is_a_message_on_the_name(
    as_user, alice
):
    ClientFactory(name="Globex")
    response = as_user(alice).post(
        reverse("clients:client_create"), client_data(name="GLOBEX")
    )
    assert_rejected(response, "name", "A client with this name already exists.")
    assert Client.objects.count() == 1


def test_renaming_a_client_onto_another_name_is_refused(as_user, alice):
    ClientFactory(name="Globex")
    initech = ClientFactory(name="Initech", owner=alice)
    response = as_user(alice).post(
        reverse("clients:client_edit", args=[initech.pk]), client_data(name="globex")
    )
    assert_rejected(response, "name", "A client with this name already exists.")
    initech.refresh_from_db()
    assert initech.name == "Initech"


def test_a_client_may_keep_its_own_name_when_edited(as_user, alice):
    client = ClientFactory(name="Globex", owner=alice)
    response = as_user(alice).post(
        reverse("clients:client_edit", args=[client.pk]),
        client_data(name="Globex", city="York"),
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.city == "York"


def test_a_client_has_at_most_one_referrer(as_user, alice):
    candidate, contact = CandidateFactory(), ContactFactory()
    response = as_user(alice).post(
        reverse("clients:client_create"),
        client_data(referred_by_candidate=candidate.pk, referred_by_contact=contact.pk),
    )
    assert_rejected(
        response,
        "referred_by_contact",
        "Choose one referrer: a candidate or a contact.",
    )
    assert not Client.objects.filter(name="Globex").exists()


def test_a_valid_client_is_created_with_the_user_as_owner(as_user, alice):
    contact = ContactFactory()
    response = as_user(alice).post(
        reverse("clients:client_create"),
        client_data(referred_by_contact=contact.pk),
    )
    client = Client.objects.get(name="Globex")
    assert response.status_code == 302
    assert response["Location"] == client.get_absolute_url()
    assert client.owner == alice
    assert client.referrer == contact


def test_client_form_class_accepts_a_manager_choosing_a_team_owner(mia, alice):
    form = ClientForm(data=client_data(owner=alice.pk), user=mia)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["owner"] == alice


def test_client_form_class_hides_the_owner_from_a_recruiter(alice):
    assert "owner" not in ClientForm(user=alice).fields


def test_an_archived_client_keeps_its_referrer_when_edited(as_user, alice):
    referrer = CandidateFactory()
    client = ClientFactory(owner=alice, referred_by_candidate=referrer)
    referrer.archived_at = referrer.created_at
    referrer.save()
    response = as_user(alice).post(
        reverse("clients:client_edit", args=[client.pk]),
        client_data(name=client.name, referred_by_candidate=referrer.pk),
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.referred_by_candidate == referrer


# Contacts


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": LONG}, "first_name", "at most 100 characters"),
        ({"last_name": ""}, "last_name", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"client": ""}, "client", "This field is required."),
        ({"client": "999999"}, "client", "Select a valid choice."),
        ({"role": "boss"}, "role", "Select a valid choice."),
    ],
)
def test_contact_form_rejects_bad_input_and_saves_nothing(
    as_user, alice, overrides, field, message
):
    client = ClientFactory()
    response = as_user(alice).post(
        reverse("clients:contact_create"), contact_data(client, **overrides)
    )
    assert_rejected(response, field, message)
    assert Contact.objects.count() == 0


def test_a_duplicate_contact_email_in_another_case_is_a_message_on_the_email(
    as_user, alice
):
    existing = ContactFactory(email="hank@globex.example")
    response = as_user(alice).post(
        reverse("clients:contact_create"),
        contact_data(existing.client, email="Hank@GLOBEX.example"),
    )
    assert_rejected(response, "email", "A contact with this email already exists.")
    assert Contact.objects.count() == 1


def test_contacts_may_share_an_empty_email(as_user, alice):
    client = ClientFactory()
    ContactFactory(client=client, email="")
    response = as_user(alice).post(
        reverse("clients:contact_create"), contact_data(client, email="")
    )
    assert response.status_code == 302
    assert Contact.objects.filter(email="").count() == 2


def test_a_contact_cannot_be_added_to_an_archived_client(as_user, alice):
    client = ClientFactory(archived_at="2026-01-01T00:00Z")
    response = as_user(alice).post(
        reverse("clients:contact_create"), contact_data(client)
    )
    assert_rejected(response, "client", "Select a valid choice.")
    assert Contact.objects.count() == 0


def test_a_contact_at_an_archived_client_can_still_be_edited(as_user, alice):
    contact = ContactFactory(owner=alice, client__owner=alice)
    Client.objects.filter(pk=contact.client_id).update(archived_at="2026-01-01T00:00Z")
    response = as_user(alice).post(
        reverse("clients:contact_edit", args=[contact.pk]),
        contact_data(contact.client, job_title="CTO"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "CTO"


def test_a_contact_has_at_most_one_referrer(as_user, alice):
    client = ClientFactory()
    response = as_user(alice).post(
        reverse("clients:contact_create"),
        contact_data(
            client,
            referred_by_candidate=CandidateFactory().pk,
            referred_by_contact=ContactFactory().pk,
        ),
    )
    assert_rejected(response, "referred_by_contact", "Choose one referrer")
    assert not Contact.objects.filter(email="hank@globex.example").exists()


def test_a_contact_cannot_refer_themselves(alice):
    contact = ContactFactory(owner=alice)
    form = ContactForm(
        data=contact_data(contact.client, referred_by_contact=contact.pk),
        instance=contact,
        user=alice,
    )
    assert not form.is_valid()
    assert "Select a valid choice" in str(form.errors["referred_by_contact"])


def test_the_contact_page_prefills_the_client_from_the_query(as_user, alice):
    client = ClientFactory()
    response = as_user(alice).get(
        reverse("clients:contact_create") + f"?client={client.pk}"
    )
    assert response.context["form"].initial["client"] == client.pk


# Candidates


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"last_name": LONG}, "last_name", "at most 100 characters"),
        ({"email": "homer at example"}, "email", "Enter a valid email address."),
        ({"linkedin_url": "linkedin"}, "linkedin_url", "Enter a valid URL."),
        ({"status": "retired"}, "status", "Select a valid choice."),
        ({"phone": "1" * 41}, "phone", "at most 40 characters"),
    ],
)
def test_candidate_form_rejects_bad_input_and_saves_nothing(
    as_user, alice, overrides, field, message
):
    response = as_user(alice).post(
        reverse("clients:candidate_create"), candidate_data(**overrides)
    )
    assert_rejected(response, field, message)
    assert Candidate.objects.count() == 0


def test_a_duplicate_candidate_email_in_another_case_is_a_message_on_the_email(
    as_user, alice
):
    CandidateFactory(email="homer@example.net")
    response = as_user(alice).post(
        reverse("clients:candidate_create"),
        candidate_data(email="HOMER@Example.NET"),
    )
    assert_rejected(response, "email", "A candidate with this email already exists.")
    assert Candidate.objects.count() == 1


def test_a_candidate_email_may_match_a_contact_email(as_user, alice):
    ContactFactory(email="homer@example.net")
    response = as_user(alice).post(
        reverse("clients:candidate_create"), candidate_data()
    )
    assert response.status_code == 302
    assert Candidate.objects.filter(email="homer@example.net").exists()


def test_a_candidate_has_at_most_one_referrer(as_user, alice):
    response = as_user(alice).post(
        reverse("clients:candidate_create"),
        candidate_data(
            referred_by_candidate=CandidateFactory().pk,
            referred_by_contact=ContactFactory().pk,
        ),
    )
    assert_rejected(response, "referred_by_contact", "Choose one referrer")
    assert not Candidate.objects.filter(email="homer@example.net").exists()


def test_a_candidate_cannot_refer_themselves(alice):
    candidate = CandidateFactory(owner=alice)
    form = CandidateForm(
        data=candidate_data(referred_by_candidate=candidate.pk),
        instance=candidate,
        user=alice,
    )
    assert not form.is_valid()
    assert "Select a valid choice" in str(form.errors["referred_by_candidate"])


def test_a_candidate_referred_by_a_candidate_is_saved(as_user, alice):
    referrer = CandidateFactory()
    response = as_user(alice).post(
        reverse("clients:candidate_create"),
        candidate_data(referred_by_candidate=referrer.pk),
    )
    assert response.status_code == 302
    assert Candidate.objects.get(email="homer@example.net").referrer == referrer


def test_a_failed_edit_changes_nothing(as_user, alice):
    candidate = CandidateFactory(owner=alice, first_name="Marge", city="Leeds")
    response = as_user(alice).post(
        reverse("clients:candidate_edit", args=[candidate.pk]),
        candidate_data(first_name="Maggie", city="York", email="bad"),
    )
    assert_rejected(response, "email", "Enter a valid email address.")
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.city) == ("Marge", "Leeds")


# Activities


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": ""}, "kind", "This field is required."),
        ({"kind": "carrier pigeon"}, "kind", "Select a valid choice."),
        ({"occurred_at": "yesterday-ish"}, "occurred_at", "Enter a valid date/time."),
        ({"occurred_at": ""}, "occurred_at", "This field is required."),
        ({"subject": LONG}, "subject", "at most 200 characters"),
    ],
)
def test_activity_form_rejects_bad_input_and_logs_nothing(
    as_user, alice, overrides, field, message
):
    contact = ContactFactory()
    data = {"kind": "call", "occurred_at": "2026-03-02T10:30", "note": "Hello"}
    data.update(overrides)
    response = as_user(alice).post(
        reverse("activities:contact_log", args=[contact.pk]), data
    )
    assert_rejected(response, field, message)
    assert Activity.objects.count() == 0


def test_an_activity_cannot_be_about_someone_elses_placement(as_user, alice):
    candidate = CandidateFactory()
    other = PlacementFactory()
    response = as_user(alice).post(
        reverse("activities:candidate_log", args=[candidate.pk]),
        {"kind": "call", "occurred_at": "2026-03-02T10:30", "placement": other.pk},
    )
    assert_rejected(response, "placement", "Select a valid choice.")
    assert Activity.objects.count() == 0


def test_activity_form_class_offers_only_the_given_placements():
    mine, other = PlacementFactory(), PlacementFactory()
    form = ActivityForm(placements=mine.candidate.placements.all())
    assert list(form.fields["placement"].queryset) == [mine]
    assert other not in form.fields["placement"].queryset
    assert not form.fields["placement"].required


def test_activity_form_class_without_placements_has_no_placement_field():
    assert "placement" not in ActivityForm().fields
