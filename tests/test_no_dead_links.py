"""A link the product shows never leads its user to a 404 (found by the browser
crawl, tests/browser/test_crawl.py): a record's page links a follow-up only for who
may open it, and the duplicates page offers a merge only to who may edit both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from followups.models import FollowUp
from imports.selectors import likely_duplicates
from tests.factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def carols_followup(carol):
    contact = ContactFactory(
        client=ClientFactory(name="Acme", owner=carol), owner=carol
    )
    placement = PlacementFactory(job__client=contact.client, job__owner=carol)
    today = dt.date(2026, 11, 20)
    return FollowUp.objects.create(
        assigned_to=carol,
        title="Carol's call",
        contact=contact,
        client=contact.client,
        placement=placement,
        due_date=today,
        original_due_date=today,
    )


def pages_of(followup: FollowUp) -> list[str]:
    return [
        reverse("followups:client_detail", args=[followup.client_id]),
        reverse("followups:contact_detail", args=[followup.contact_id]),
        reverse("followups:placement_detail", args=[followup.placement_id]),
    ]


@pytest.mark.parametrize(
    "who, linked", [("alice", False), ("mia", False), ("carol", True), ("ada", True)]
)
def test_a_record_page_links_a_followup_only_for_who_may_open_it(
    request, as_user, carols_followup, who, linked
):
    client = as_user(request.getfixturevalue(who))
    link = f'href="{carols_followup.get_absolute_url()}"'
    for url in pages_of(carols_followup):
        page = client.get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert "Carol&#x27;s call" in body, url
        assert (link in body) == linked, (who, url)
    opened = client.get(carols_followup.get_absolute_url()).status_code
    assert opened == (200 if linked else 404)


@pytest.fixture
def carols_twins(carol):
    first = CandidateFactory(
        first_name="Jo",
        last_name="Hart",
        email="jo@example.com",
        phone="07700 900777",
        owner=carol,
    )
    second = CandidateFactory(
        first_name="Joanne",
        last_name="Hart",
        email="joanne@example.com",
        phone="07700 900777",
        owner=carol,
    )
    assert likely_duplicates(kind="candidates")
    return first, second


@pytest.mark.parametrize("who, offered", [("mia", False), ("ada", True)])
def test_the_duplicates_page_offers_a_merge_only_to_who_may_edit_both(
    request, as_user, carols_twins, who, offered
):
    client = as_user(request.getfixturevalue(who))
    body = client.get(
        reverse("imports:duplicates") + "?kind=candidates"
    ).content.decode()
    pair = sorted(carols_twins, key=lambda c: c.pk)
    merge_urls = [
        reverse("imports:merge", args=["candidates", a.pk, b.pk])
        for a, b in (pair, pair[::-1])
    ]
    assert "Jo Hart" in body and "Joanne Hart" in body
    shown = [url for url in merge_urls if url in body]
    assert bool(shown) == offered, (who, shown)
    if offered:
        assert client.get(shown[0]).status_code == 200
    else:
        assert "Their owners' manager can merge them" in body
        for url in merge_urls:
            assert client.get(url).status_code == 404
