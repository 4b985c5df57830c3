"""A hand-built book of business for the manager dashboard, on Friday 20 November
2026, 10:00 UTC. Every date is chosen so that the figures of the 30-, 90- and
365-day periods differ; `tests/dashboards/test_team_dashboard.py` states each figure
as computed by hand from the list below.

Periods: 30 days = 22 Oct - 20 Nov 2026; 90 = 23 Aug - 20 Nov 2026;
365 = 21 Nov 2025 - 20 Nov 2026. Dormancy threshold 90 days: 22 Aug 2026, 10:00.
Coming up: 20 Nov 2026 - 19 Jan 2027.

Team A: alice (Europe/London), bob (Pacific/Kiritimati, UTC+14: his today is already
21 November); manager mia. Team B: carol. Nobody's team: ada (admin), who owns the
"Neutral" client the discipline follow-ups are about, so they warm no team's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from activities.models import Activity
from clients.models import Candidate, Client
from followups.models import FollowUp
from placements.models import Placement

from ..factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
D = dt.date


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def dashboard_now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@dataclass
class Book:
    clients: dict[str, Client] = field(default_factory=dict)
    candidates: dict[str, Candidate] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    followups: dict[str, FollowUp] = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)


def place(key, book, *, client, candidate, recruiter, start, fee, **extra):
    job = JobFactory(client=client, owner=recruiter)
    book.placements[key] = PlacementFactory(
        job=job,
        client=client,
        candidate=candidate,
        recruiter=recruiter,
        start_date=start,
        fee=Decimal(fee),
        **extra,
    )
    return book.placements[key]


def touch(person, day: dt.date, *, by, times: int = 1, client=None):
    """Activities with a contact (warming its client) or a candidate."""
    field_name = "candidate" if isinstance(person, Candidate) else "contact"
    for i in range(times):
        Activity.objects.create(
            by=by,
            occurred_at=at(day) - dt.timedelta(days=i),
            client=client or getattr(person, "client", None),
            **{field_name: person},
        )


def followup(
    key, book, *, user, due, status="open", first_due=None, done_on=None, person=None
):
    contact = None if person is not None else book.contacts["neutral"]
    book.followups[key] = FollowUp.objects.create(
        assigned_to=user,
        title=f"Follow-up {key}",
        contact=contact,
        candidate=person,
        client=contact.client if contact else None,
        due_date=due,
        original_due_date=first_due or due,
        status=status,
        completed_on=done_on,
        completed_at=at(done_on) if done_on else None,
    )


@pytest.fixture
def book(dashboard_now, alice, bob, carol, mia, ada):
    bob.time_zone = "Pacific/Kiritimati"
    bob.save()
    b = Book()
    neutral = ClientFactory(name="Neutral", owner=ada)
    b.contacts["neutral"] = ContactFactory(client=neutral, owner=ada)

    # Clients: team A owns Acme, Cedar, Elm, Gum (alice) and Birch, Fir (bob).
    for key, name, owner in (
        ("acme", "Acme", alice),
        ("birch", 'Birch, Bolt & "Co"', bob),
        ("cedar", "Cedar", alice),
        ("delta", "Delta", carol),
        ("elm", "Elm", alice),
        ("fir", "=Fir", bob),
        ("gum", "Gum", alice),
    ):
        b.clients[key] = ClientFactory(name=name, owner=owner)
    Client.objects.filter(pk=b.clients["gum"].pk).update(archived_at=NOW)
    Client.objects.filter(pk=b.clients["elm"].pk).update(created_at=at(D(2026, 1, 1)))
    for key, client in b.clients.items():
        b.contacts[key] = ContactFactory(
            client=client, owner=client.owner, first_name=f"{key.capitalize()}-contact"
        )
    b.contacts["acme"].first_name, b.contacts["acme"].last_name = "Hank", "Hill"
    b.contacts["acme"].save()
    hank = b.contacts["acme"]

    # Candidates
    for key, owner in (
        ("xavier", alice),
        ("yara", alice),
        ("zed", bob),
        ("rita", bob),
        ("wes", alice),
        ("vic", alice),
        ("carl", alice),
        ("sam", carol),
        ("olga", alice),
    ):
        b.candidates[key] = CandidateFactory(
            first_name=key.capitalize(), last_name="Test", owner=owner
        )
    c = b.candidates
    # Referrals: Rita (bob's) and Sam (carol's) came through Xavier; Cedar through
    # Hank at Acme; Olga through Hank, long before any period.
    Candidate.objects.filter(pk=c["rita"].pk).update(
        referred_by_candidate=c["xavier"], created_at=at(D(2026, 11, 1))
    )
    Candidate.objects.filter(pk=c["sam"].pk).update(
        referred_by_candidate=c["xavier"], created_at=at(D(2026, 11, 2))
    )
    Candidate.objects.filter(pk=c["olga"].pk).update(
        referred_by_contact=hank, created_at=at(D(2025, 1, 1))
    )
    Client.objects.filter(pk=b.clients["cedar"].pk).update(
        referred_by_contact=hank, created_at=at(D(2026, 10, 1))
    )
    for obj in (*b.clients.values(), *c.values()):
        obj.refresh_from_db()

    k = b.clients
    contract = Placement.Type.CONTRACT
    place(
        "p1",
        b,
        client=k["acme"],
        candidate=c["xavier"],
        recruiter=alice,
        start=D(2025, 6, 1),
        fee=10000,
    )
    place(
        "p2",
        b,
        client=k["acme"],
        candidate=c["yara"],
        recruiter=alice,
        start=D(2026, 11, 1),
        fee=20000,
    )
    place(
        "p3",
        b,
        client=k["birch"],
        candidate=c["zed"],
        recruiter=bob,
        start=D(2026, 9, 15),
        fee=5000,
        placement_type=contract,
        end_date=D(2026, 12, 31),
        guarantee_days=0,
    )
    place(
        "p4",
        b,
        client=k["cedar"],
        candidate=c["xavier"],
        recruiter=alice,
        start=D(2026, 10, 30),
        fee=8000,
    )
    place(
        "p5",
        b,
        client=k["cedar"],
        candidate=c["rita"],
        recruiter=bob,
        start=D(2026, 11, 10),
        fee=12000,
    )
    place(
        "p6",
        b,
        client=k["cedar"],
        candidate=c["carl"],
        recruiter=alice,
        start=D(2026, 11, 5),
        fee=99000,
        status=Placement.Status.CANCELLED,
    )
    place(
        "p7",
        b,
        client=k["delta"],
        candidate=c["sam"],
        recruiter=carol,
        start=D(2026, 11, 2),
        fee=30000,
    )
    place(
        "p8",
        b,
        client=k["delta"],
        candidate=c["wes"],
        recruiter=alice,
        start=D(2026, 10, 25),
        fee=7000,
        guarantee_days=60,
    )
    place(
        "p9",
        b,
        client=k["elm"],
        candidate=c["vic"],
        recruiter=alice,
        start=D(2025, 1, 10),
        fee=9000,
    )
    place(
        "p11",
        b,
        client=k["delta"],
        candidate=CandidateFactory(owner=carol),
        recruiter=carol,
        start=D(2026, 7, 1),
        fee=4000,
        placement_type=contract,
        end_date=D(2027, 1, 5),
        guarantee_days=0,
    )

    # Touches
    touch(b.contacts["acme"], D(2026, 11, 15), by=alice)
    touch(b.contacts["birch"], D(2026, 9, 10), by=bob)
    touch(b.contacts["cedar"], D(2026, 11, 18), by=alice)
    touch(b.contacts["elm"], D(2026, 5, 1), by=alice)
    touch(c["xavier"], D(2026, 11, 19), by=alice)
    touch(c["yara"], D(2026, 10, 1), by=alice)
    touch(c["rita"], D(2026, 11, 18), by=bob)
    touch(c["wes"], D(2026, 7, 1), by=alice, times=7)
    touch(c["vic"], D(2026, 8, 1), by=alice)

    # Follow-ups. alice:
    followup("a1", b, user=alice, due=D(2026, 11, 10), person=c["vic"])
    followup("a2", b, user=alice, due=D(2026, 11, 19))
    followup("a3", b, user=alice, due=D(2026, 11, 20))
    followup("a4", b, user=alice, due=D(2026, 12, 1))
    followup(
        "a5", b, user=alice, due=D(2026, 11, 15), status="done", done_on=D(2026, 11, 14)
    )
    followup(
        "a6", b, user=alice, due=D(2026, 11, 1), status="done", done_on=D(2026, 11, 5)
    )
    # Snoozed to 10 Oct, done on 8 Oct: before the snoozed date, after the first.
    followup(
        "a7",
        b,
        user=alice,
        due=D(2026, 10, 10),
        first_due=D(2026, 10, 1),
        status="done",
        done_on=D(2026, 10, 8),
    )
    followup(
        "a8", b, user=alice, due=D(2026, 3, 10), status="done", done_on=D(2026, 3, 9)
    )
    followup("a9", b, user=alice, due=D(2026, 11, 1), status="skipped")
    followup("a10", b, user=alice, due=D(2026, 6, 1), status="skipped")
    followup("a11", b, user=alice, due=D(2026, 11, 5), status="cancelled")
    followup(
        "a12",
        b,
        user=alice,
        due=D(2026, 11, 18),
        status="done",
        done_on=D(2026, 11, 16),
    )
    # bob:
    followup("b1", b, user=bob, due=D(2026, 10, 1))
    followup("b2", b, user=bob, due=D(2026, 9, 1), status="done", done_on=D(2026, 9, 1))
    followup(
        "b3", b, user=bob, due=D(2025, 11, 1), status="done", done_on=D(2025, 11, 25)
    )
    # Due on the 20th: overdue for bob, whose today is the 21st.
    followup("b4", b, user=bob, due=D(2026, 11, 20))
    # carol (team B):
    followup("c1", b, user=carol, due=D(2026, 11, 1))
    followup(
        "c2", b, user=carol, due=D(2026, 11, 10), status="done", done_on=D(2026, 11, 10)
    )
    return b
