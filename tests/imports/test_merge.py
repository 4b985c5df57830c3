"""Likely duplicates in the book, and merging two records into one without losing
an activity, a placement, a follow-up or a referral."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Activity
from activities.services import activity_log
from clients.models import Candidate, Client, Contact
from followups.models import FollowUp, Kind
from imports.merge import merge_preview, record_merge
from imports.selectors import likely_duplicates
from placements.models import Job, Placement
from placements.services import placement_create
from tests.factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
)

pytestmark = pytest.mark.django_db


def pairs(kind):
    return {(p.first.pk, p.second.pk): p.reasons for p in likely_duplicates(kind=kind)}


def test_it_finds_candidates_with_the_same_email_phone_or_a_similar_name(alice):
    a = CandidateFactory(
        first_name="Jon", last_name="Smith", email="jon.smith@gmail.com", phone=""
    )
    b = CandidateFactory(
        first_name="John", last_name="Smith", email="JonSmith+cv@gmail.com", phone=""
    )
    c = CandidateFactory(
        first_name="Kat", last_name="Ng", email="", phone="+44 7700 900123"
    )
    d = CandidateFactory(
        first_name="Pat", last_name="Oh", email="", phone="07700 900123"
    )
    e = CandidateFactory(first_name="José", last_name="García", email="", phone="")
    f = CandidateFactory(first_name="jose", last_name="garcia", email="", phone="")
    g = CandidateFactory(first_name="Ann", last_name="Lee", email="", phone="1")
    archived = CandidateFactory(first_name="Ann", last_name="Lee", email="", phone="2")
    Candidate.objects.filter(pk=archived.pk).update(archived_at=dt.datetime.now(dt.UTC))

    found = pairs("candidates")
    assert found[(a.pk, b.pk)] == ["same email", "similar names"]
    assert found[(c.pk, d.pk)] == ["same phone"]
    assert found[(e.pk, f.pk)] == ["same name"]
    assert not any(g.pk in pair for pair in found)


def test_a_shared_switchboard_is_not_a_duplicate(alice):
    acme = ClientFactory()
    names = ["Ann Lee", "Bo Ray", "Cy Day", "Di Ng", "Ed Oh", "Flo Park", "Gus Tan"]
    for name in names:
        first, last = name.split()
        ContactFactory(
            client=acme, first_name=first, last_name=last, phone="0113 496 0000"
        )
    assert pairs("contacts") == {}


def test_contacts_of_one_name_at_different_clients_are_different_people():
    ContactFactory(first_name="Ann", last_name="Lee", client=ClientFactory(), phone="")
    ContactFactory(first_name="Ann", last_name="Lee", client=ClientFactory(), phone="")
    assert pairs("contacts") == {}


def test_it_finds_clients_of_one_name_whatever_their_legal_suffix():
    a = ClientFactory(name="Acme Ltd", website="https://www.acme.example/")
    b = ClientFactory(name="ACME Limited", website="acme.example")
    ClientFactory(name="Globex")
    assert pairs("clients") == {(a.pk, b.pk): ["same website", "same name"]}


@pytest.fixture
def twins(alice, bob, plans):
    """One person twice: each record with its own activities, a placement with its
    follow-ups, a referral both ways."""
    keep = CandidateFactory(
        first_name="Jon",
        last_name="Smith",
        email="",
        phone="",
        city="Leeds",
        owner=alice,
        notes="Keen on fintech.",
    )
    drop = CandidateFactory(
        first_name="John",
        last_name="Smith",
        email="john@example.com",
        phone="07700 900123",
        current_title="Engineer",
        owner=alice,
        notes="Met at a meetup.",
    )
    for person in (keep, drop):
        activity_log(by=alice, kind=Activity.Kind.CALL, candidate=person)
    contact = ContactFactory(owner=alice)
    placements = [
        placement_create(
            by=alice,
            job=JobFactory(client=contact.client, owner=alice),
            candidate=person,
            contact=contact,
            start_date=dt.date(2026, 12, 1),
            recruiter=alice,
        )
        for person in (keep, drop)
    ]
    referred = CandidateFactory(referred_by_candidate=drop)
    client_referred = ClientFactory(referred_by_candidate=drop)
    Candidate.objects.filter(pk=keep.pk).update(referred_by_candidate=drop)
    keep.refresh_from_db()
    return keep, drop, placements, referred, client_referred


def test_merging_keeps_every_activity_placement_follow_up_and_referral(twins, alice):
    keep, drop, placements, referred, client_referred = twins
    activities = set(
        Activity.objects.filter(candidate__in=[keep, drop]).values_list("pk", flat=True)
    )
    followups = set(
        FollowUp.objects.filter(candidate__in=[keep, drop]).values_list("pk", flat=True)
    )
    assert len(activities) == 2 and followups
    assert merge_preview(keep=keep, drop=drop) == {
        "activities": 1,
        "placements": 1,
        "follow-ups": len(
            FollowUp.objects.filter(candidate=drop).values_list("pk", flat=True)
        ),
        "referrals": 3,  # one of them keep itself
    }

    moved = record_merge(keep=keep, drop=drop, by=alice)

    assert not Candidate.objects.filter(pk=drop.pk).exists()
    assert set(keep.activities.values_list("pk", flat=True)) == activities
    assert set(keep.followups.values_list("pk", flat=True)) == followups
    assert set(keep.placements.values_list("pk", flat=True)) == {
        p.pk for p in placements
    }
    assert moved["activities"] == 1 and moved["placements"] == 1
    referred.refresh_from_db()
    client_referred.refresh_from_db()
    assert referred.referred_by_candidate == keep
    assert client_referred.referred_by_candidate == keep
    keep.refresh_from_db()
    # Blanks filled from the record that went; what keep had, kept.
    assert (keep.first_name, keep.email, keep.phone, keep.city, keep.current_title) == (
        "Jon",
        "john@example.com",
        "07700 900123",
        "Leeds",
        "Engineer",
    )
    assert keep.notes == "Keen on fintech.\n\nMet at a meetup."
    assert keep.referred_by_candidate is None  # it was "referred by itself"
    assert keep.status == Candidate.Status.PLACED


def test_two_open_re_engagements_become_one(alice):
    keep, drop = CandidateFactory(owner=alice), CandidateFactory(owner=alice)
    for person in (keep, drop):
        FollowUp.objects.create(
            assigned_to=alice,
            kind=Kind.REENGAGEMENT,
            title="Get back in touch",
            candidate=person,
            due_date=dt.date(2026, 12, 1),
            original_due_date=dt.date(2026, 12, 1),
        )
    record_merge(keep=keep, drop=drop, by=alice)
    statuses = sorted(keep.followups.values_list("status", flat=True))
    assert statuses == [FollowUp.Status.CANCELLED, FollowUp.Status.OPEN]
    assert keep.followups.get(status="cancelled").status_reason == f"merged into {keep}"


def test_merging_two_clients_moves_contacts_jobs_and_placements(alice, plans):
    keep, drop = ClientFactory(owner=alice), ClientFactory(owner=alice, city="York")
    contact = ContactFactory(client=drop, owner=alice)
    job = JobFactory(client=drop, owner=alice, hiring_contact=contact)
    placement = placement_create(
        by=alice,
        job=job,
        candidate=CandidateFactory(owner=alice),
        contact=contact,
        start_date=dt.date(2026, 12, 1),
    )
    activity_log(by=alice, kind=Activity.Kind.CALL, contact=contact)
    followups = placement.followups.count()
    assert followups

    moved = record_merge(keep=keep, drop=drop, by=alice)

    assert moved["contacts"] == 1 and moved["jobs"] == 1 and moved["placements"] == 1
    assert Contact.objects.get(pk=contact.pk).client == keep
    assert Job.objects.get(pk=job.pk).client == keep
    assert Placement.objects.get(pk=placement.pk).client == keep
    assert keep.activities.count() == 1
    assert FollowUp.objects.filter(client=keep).count() >= 1
    assert not Client.objects.filter(pk=drop.pk).exists()
    keep.refresh_from_db()
    assert keep.city == "Leeds"  # keep's own city stays


def test_contacts_at_different_clients_do_not_merge(alice):
    a, b = ContactFactory(owner=alice), ContactFactory(owner=alice)
    with pytest.raises(ValidationError, match="Merge the clients first"):
        record_merge(keep=a, drop=b, by=alice)
    assert Contact.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_a_contact_merge_moves_placements_and_jobs_it_hires_for(alice, plans):
    keep = ContactFactory(owner=alice, email="")
    drop = ContactFactory(client=keep.client, owner=alice)
    job = JobFactory(client=keep.client, owner=alice, hiring_contact=drop)
    placement = placement_create(
        by=alice,
        job=job,
        candidate=CandidateFactory(owner=alice),
        contact=drop,
        start_date=dt.date(2026, 12, 1),
    )
    contact_followups = set(
        placement.followups.filter(contact=drop).values_list("pk", flat=True)
    )
    record_merge(keep=keep, drop=drop, by=alice)
    assert Job.objects.get(pk=job.pk).hiring_contact == keep
    assert Placement.objects.get(pk=placement.pk).contact == keep
    assert set(keep.followups.values_list("pk", flat=True)) == contact_followups
    keep.refresh_from_db()
    assert keep.email == drop.email


def test_the_duplicates_page_and_the_merge_page(as_user, mia, alice, carol, twins):
    keep, drop, *_ = twins
    client = as_user(mia)
    page = client.get(reverse("imports:duplicates") + "?kind=candidates")
    assert page.status_code == 200
    url = reverse("imports:merge", args=["candidates", keep.pk, drop.pk])
    assert url in page.content.decode()
    page = client.get(url).content.decode()
    assert "Keep Jon Smith" in page and "Keep John Smith" in page

    response = client.post(url, {"keep": str(drop.pk)})
    assert response.status_code == 302
    assert response.url == drop.get_absolute_url()
    assert not Candidate.objects.filter(pk=keep.pk).exists()
    assert drop.placements.count() == 2 and drop.activities.count() == 2

    # Someone else's record, from a manager of another team: 404, nothing merged.
    other = CandidateFactory(owner=carol)
    assert (
        client.get(
            reverse("imports:merge", args=["candidates", drop.pk, other.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("imports:merge", args=["candidates", drop.pk, other.pk]),
            {"keep": drop.pk},
        ).status_code
        == 404
    )
    assert Candidate.objects.filter(pk=other.pk).exists()
    assert client.get(reverse("imports:merge", args=["jobs", 1, 2])).status_code == 404
