"""Client, contact and candidate services: explicit arguments, and each refuses
(PermissionDenied, nothing written) what `by` may not do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from clients import services
from clients.models import Candidate, Client, Contact

from ..factories import CandidateFactory, ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_a_new_record_belongs_to_its_maker_unless_they_name_someone(alice, mia):
    assert services.client_create(by=alice, name="Globex").owner == alice
    client = services.client_create(by=mia, name="Initech", owner=alice)
    assert client.owner == alice
    contact = services.contact_create(
        by=alice, client=client, first_name="Ann", last_name="Lee"
    )
    assert (contact.owner, contact.role) == (alice, Contact.Role.HIRING_MANAGER)
    candidate = services.candidate_create(by=alice, first_name="Bo", last_name="Ng")
    assert (candidate.owner, candidate.status) == (alice, Candidate.Status.AVAILABLE)


def test_an_update_changes_only_the_fields_it_is_given(alice):
    client = ClientFactory(owner=alice, city="Leeds", phone="0113 000 0000")
    services.client_update(client=client, by=alice, phone="0113 111 1111")
    client.refresh_from_db()
    assert (client.city, client.phone) == ("Leeds", "0113 111 1111")


def test_a_record_cannot_be_given_to_someone_its_maker_may_not_hand_work_to(
    alice, carol, mia
):
    with pytest.raises(PermissionDenied):
        services.client_create(by=alice, name="Umbrella", owner=carol)
    with pytest.raises(PermissionDenied):
        services.candidate_create(by=mia, first_name="C", last_name="D", owner=carol)
    assert not Client.objects.filter(name="Umbrella").exists()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_someone_elses_records_cannot_be_changed_archived_or_restored(
    request, alice, persona
):
    user = request.getfixturevalue(persona)
    client = ClientFactory(owner=alice, name="Acme")
    contact = ContactFactory(client=client, owner=alice, job_title="CTO")
    candidate = CandidateFactory(owner=alice, city="York")
    with pytest.raises(PermissionDenied):
        services.client_update(client=client, by=user, name="Acme 2")
    with pytest.raises(PermissionDenied):
        services.contact_update(contact=contact, by=user, job_title="CEO")
    with pytest.raises(PermissionDenied):
        services.candidate_update(candidate=candidate, by=user, owner=user)
    for record in (client, contact, candidate):
        with pytest.raises(PermissionDenied):
            services.record_archive(record=record, by=user)
    client.refresh_from_db()
    contact.refresh_from_db()
    candidate.refresh_from_db()
    assert (client.name, client.archived_at) == ("Acme", None)
    assert (contact.job_title, contact.archived_at) == ("CTO", None)
    assert (candidate.owner, candidate.archived_at) == (alice, None)


def test_a_manager_edits_the_teams_records_and_hands_them_within_it(
    alice, bob, carol, mia
):
    client = ClientFactory(owner=alice)
    services.client_update(client=client, by=mia, owner=bob)
    assert Client.objects.get(pk=client.pk).owner == bob
    with pytest.raises(PermissionDenied):
        services.client_update(client=client, by=mia, owner=carol)
    assert Client.objects.get(pk=client.pk).owner == bob
    services.record_archive(record=client, by=mia)
    services.record_restore(record=client, by=mia)
    assert Client.objects.get(pk=client.pk).archived_at is None


def test_an_archived_record_is_restored_only_by_someone_who_may_edit_it(alice, bob):
    client = ClientFactory(owner=alice)
    services.record_archive(record=client, by=alice)
    with pytest.raises(PermissionDenied):
        services.record_restore(record=client, by=bob)
    assert Client.objects.get(pk=client.pk).archived_at is not None
