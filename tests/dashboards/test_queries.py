"""The dashboard runs a fixed number of queries whatever the agency's size: every
figure is an aggregate or an annotation, every list a LIMIT with its joins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AgencySettings
from activities.models import Activity
from clients.models import Candidate, Client, Contact
from followups.models import FollowUp
from placements.models import Job, Placement

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
# The page's budget: scope (1), settings (1), time zones (1), discipline (4),
# health (2), coldest (2), dormant (1), repeat (3), months (1), referrals (3 + 2
# names), coming up (1 + 3), and the session and user of the request.
MAX_QUERIES = 30


def grow(n: int, *, start: int, recruiters, referrer: Candidate) -> None:
    """Add `n` of everything for the team, with bulk inserts: clients with a contact,
    candidates (some referred), placements in and out of the periods, follow-ups
    in every state, activities."""
    clients = Client.objects.bulk_create(
        Client(name=f"Bulk client {start + i}", owner=recruiters[i % 2])
        for i in range(n)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            client=c,
            first_name="Bulk",
            last_name=f"Contact {start + i}",
            owner=c.owner,
        )
        for i, c in enumerate(clients)
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            first_name="Bulk",
            last_name=f"Candidate {start + i}",
            owner=recruiters[i % 2],
            referred_by_candidate=referrer if i % 3 == 0 else None,
            referred_by_contact=contacts[i] if i % 3 == 1 else None,
        )
        for i in range(n)
    )
    jobs = Job.objects.bulk_create(
        Job(client=c, title="Engineer", owner=c.owner) for c in clients
    )
    Placement.objects.bulk_create(
        Placement(
            job=jobs[i],
            client=clients[i // 2 * 2],  # two placements a client: repeat business
            candidate=candidates[i],
            contact=contacts[i],
            recruiter=recruiters[i % 2],
            placement_type="contract" if i % 4 == 0 else "permanent",
            start_date=TODAY - dt.timedelta(days=(i * 7) % 700),
            end_date=TODAY + dt.timedelta(days=10 + i % 40) if i % 4 == 0 else None,
            fee=Decimal(1000 + i),
            guarantee_days=0 if i % 4 == 0 else 90,
            status="active",
        )
        for i in range(n)
    )
    statuses = ["open", "done", "skipped", "cancelled"]
    FollowUp.objects.bulk_create(
        FollowUp(
            assigned_to=recruiters[i % 2],
            title=f"Bulk {i}",
            contact=contacts[i],
            client=contacts[i].client,
            due_date=TODAY - dt.timedelta(days=i % 200 - 20),
            original_due_date=TODAY - dt.timedelta(days=i % 200 - 20),
            status=statuses[i % 4],
            completed_on=TODAY - dt.timedelta(days=i % 200 - 22)
            if i % 4 == 1
            else None,
            completed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if i % 4 == 1 else None,
        )
        for i in range(n)
    )
    Activity.objects.bulk_create(
        Activity(
            by=recruiters[i % 2],
            contact=contacts[i] if i % 2 else None,
            candidate=None if i % 2 else candidates[i],
            client=contacts[i].client,
            occurred_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
            - dt.timedelta(days=i % 300),
        )
        for i in range(n)
    )


def count_queries(client, url: str, **params) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("who", ["mia", "ada"])
def test_the_same_number_of_queries_at_10_and_at_500_rows(
    dashboard_now, request, alice, bob, carol, mia, ada, as_user, who
):
    viewer = request.getfixturevalue(who)
    client = as_user(viewer)
    referrer = Candidate.objects.create(
        first_name="Ref", last_name="Errer", owner=alice
    )
    url = reverse("dashboards:team")
    drill = reverse("dashboards:drilldown", args=["open"])

    AgencySettings.load()  # made on first use: one INSERT, once per agency
    grow(10, start=0, recruiters=[alice, bob], referrer=referrer)
    small, small_sql = count_queries(client, url, period=365)
    small_drill, _ = count_queries(client, drill)
    grow(490, start=10, recruiters=[alice, bob], referrer=referrer)
    assert Placement.objects.count() == 500
    large, sql = count_queries(client, url, period=365)
    large_drill, _ = count_queries(client, drill)

    assert small == large, "\n".join(q[:120] for q in sql)
    assert large <= MAX_QUERIES, "\n".join(sql)
    assert small_drill == large_drill
    page = client.get(url, {"period": 365})
    assert page.context["tables"]["coldest_clients"].rows  # the lists had rows
    assert len(page.context["tables"]["contracts_ending"].rows) == 20


def test_exporting_one_table_runs_only_that_tables_queries(
    dashboard_now, alice, bob, mia, as_user
):
    client = as_user(mia)
    AgencySettings.load()
    n, sql = count_queries(client, reverse("dashboards:export", args=["health"]))
    # session, user, teams, settings, two health aggregates
    assert n <= 7, "\n".join(sql)
