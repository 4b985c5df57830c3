"""What a recruiter does to a follow-up, the nightly jobs, time zones and health."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from activities.models import Activity
from clients.models import Client
from followups.health import describe_health, with_health
from followups.jobs import flag_dormant_relationships
from followups.models import FollowUp, Kind
from followups.selectors import dashboard_sections
from followups.services import (
    followup_complete,
    followup_create,
    followup_reassign,
    followup_snooze,
)
from placements.models import Placement
from placements.services import placements_advance_statuses

from ..factories import (
    ActivityFactory,
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    PlacementFactory,
)
from .conftest import NOW

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def followup(make_placement):
    return make_placement(
        start_date=D(2026, 11, 19), status=Placement.Status.ACTIVE
    ).followups.get(kind=Kind.FIRST_DAY)


def test_done_logs_an_activity_on_the_persons_timeline(followup, alice):
    activity = followup_complete(
        followup=followup, outcome="reached", note="All good", by=alice
    )
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE
    assert (followup.outcome, followup.note, followup.completed_on) == (
        "reached",
        "All good",
        D(2026, 11, 20),
    )
    assert followup.activity == activity
    assert activity.candidate == followup.candidate
    assert activity.placement == followup.placement
    assert activity.kind == Activity.Kind.CALL
    assert activity.note == "All good"
    assert followup.candidate.activities.get() == activity


def test_done_twice_is_refused_and_logs_one_activity(followup, alice):
    followup_complete(followup=followup, outcome="reached", by=alice)
    with pytest.raises(ValidationError, match="already done"):
        followup_complete(followup=followup, outcome="reached", by=alice)
    assert Activity.objects.count() == 1


def test_done_needs_a_known_outcome(followup, alice):
    with pytest.raises(ValidationError):
        followup_complete(followup=followup, outcome="maybe", by=alice)
    followup.refresh_from_db()
    assert followup.is_open
    assert Activity.objects.count() == 0


def test_not_needed_logs_a_note(followup, alice):
    activity = followup_complete(followup=followup, outcome="not_needed", by=alice)
    assert activity.kind == Activity.Kind.NOTE


def test_snooze_moves_the_due_date_and_keeps_the_original(followup, alice):
    followup_snooze(followup=followup, until=D(2026, 11, 27), by=alice)
    followup.refresh_from_db()
    assert (followup.due_date, followup.original_due_date) == (
        D(2026, 11, 27),
        D(2026, 11, 20),
    )
    assert followup.is_snoozed


@pytest.mark.parametrize("until", [D(2026, 11, 20), D(2026, 11, 1), D(2028, 1, 1)])
def test_snooze_refuses_today_the_past_and_far_future(followup, alice, until):
    with pytest.raises(ValidationError):
        followup_snooze(followup=followup, until=until, by=alice)
    followup.refresh_from_db()
    assert followup.due_date == D(2026, 11, 20)


def test_a_recruiter_hands_their_followup_to_a_teammate_only(
    followup, alice, bob, carol
):
    with pytest.raises(ValidationError):
        followup_reassign(followup=followup, to=carol, by=alice)
    followup_reassign(followup=followup, to=bob, by=alice)
    followup.refresh_from_db()
    assert followup.assigned_to == bob


def test_a_recruiter_cannot_take_or_move_someone_elses(followup, bob, carol):
    with pytest.raises(ValidationError):
        followup_reassign(followup=followup, to=bob, by=bob)
    with pytest.raises(ValidationError):
        followup_reassign(followup=followup, to=carol, by=carol)


def test_a_manager_moves_followups_within_the_team(followup, mia, bob, carol):
    followup_reassign(followup=followup, to=bob, by=mia)
    with pytest.raises(ValidationError):
        followup_reassign(followup=followup, to=carol, by=mia)


def test_a_one_off_followup_by_hand(alice, bob, carol):
    contact = ContactFactory()
    f = followup_create(
        by=alice,
        assigned_to=bob,
        contact=contact,
        due_date=D(2026, 12, 1),
        title="Coffee",
    )
    assert (f.assigned_to, f.client, f.kind, f.status) == (
        bob,
        contact.client,
        Kind.CUSTOM,
        "open",
    )
    with pytest.raises(ValidationError):
        followup_create(
            by=alice,
            assigned_to=carol,
            contact=contact,
            due_date=D(2026, 12, 1),
            title="No",
        )


# Dormancy


def _old(obj, days):
    type(obj).objects.filter(pk=obj.pk).update(created_at=NOW - dt.timedelta(days=days))


def test_a_dormant_client_gets_one_reengagement_followup_for_its_owner(alice, plans):
    client = ClientFactory(owner=alice)
    _old(client, 400)
    contact = ContactFactory(client=client)
    ActivityFactory(
        candidate=None,
        contact=contact,
        client=client,
        occurred_at=NOW - dt.timedelta(days=120),
    )
    recent = ClientFactory()
    _old(recent, 400)
    ContactFactory(client=recent)
    ActivityFactory(
        candidate=None,
        contact=recent.contacts.get(),
        client=recent,
        occurred_at=NOW - dt.timedelta(days=10),
    )
    assert flag_dormant_relationships() == 1
    f = FollowUp.objects.get()
    assert (f.kind, f.client, f.contact, f.assigned_to, f.due_date) == (
        Kind.REENGAGEMENT,
        client,
        contact,
        alice,
        D(2026, 11, 20),
    )
    assert "no touch for 120 days" in f.title
    assert flag_dormant_relationships() == 0
    assert FollowUp.objects.count() == 1


def test_a_new_client_is_not_dormant_yet_and_a_client_without_contacts_is_skipped(
    plans,
):
    ContactFactory()  # client created now
    old = ClientFactory()
    _old(old, 400)
    assert flag_dormant_relationships() == 0


def test_a_placed_candidate_without_touch_is_flagged_an_unplaced_one_is_not(
    plans, alice
):
    placed = PlacementFactory(candidate=CandidateFactory(owner=alice)).candidate
    unplaced = CandidateFactory()
    _old(placed, 200)
    _old(unplaced, 200)
    assert flag_dormant_relationships() == 1
    assert FollowUp.objects.get().candidate == placed


def test_after_the_reengagement_is_done_a_later_dormancy_flags_again(plans, alice):
    placed = PlacementFactory(candidate=CandidateFactory(owner=alice)).candidate
    _old(placed, 200)
    flag_dormant_relationships()
    f = FollowUp.objects.get()
    followup_complete(followup=f, outcome="reached", by=alice)
    assert flag_dormant_relationships() == 0  # the done call is a fresh touch
    Activity.objects.update(occurred_at=NOW - dt.timedelta(days=100))
    assert flag_dormant_relationships() == 1


def test_two_dormancy_runs_at_once_flag_once(require_postgres, transactional_db, plans):
    for _ in range(3):
        client = ClientFactory()
        ContactFactory(client=client)
        _old(client, 400)
    errors = []

    def run():
        try:
            flag_dormant_relationships()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert FollowUp.objects.filter(kind=Kind.REENGAGEMENT, status="open").count() == 3


# Placement statuses and time zones


def test_statuses_advance_on_each_recruiters_own_day(alice, bob, frozen):
    alice.time_zone, bob.time_zone = "Australia/Sydney", "America/Los_Angeles"
    alice.save()
    bob.save()
    # 20 Nov 10:00 UTC = 20 Nov 21:00 in Sydney, 20 Nov 02:00 in Los Angeles.
    sydney = PlacementFactory(
        recruiter=alice, status="pending", start_date=D(2026, 11, 21)
    )
    la = PlacementFactory(recruiter=bob, status="pending", start_date=D(2026, 11, 21))
    contract = PlacementFactory(
        recruiter=bob,
        status="active",
        placement_type="contract",
        start_date=D(2026, 1, 1),
        end_date=D(2026, 11, 19),
    )
    assert placements_advance_statuses() == (0, 1)
    frozen.move_to(
        dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
    )  # Sydney: 21 Nov 01:00
    assert placements_advance_statuses() == (1, 0)
    assert placements_advance_statuses() == (0, 0)
    sydney.refresh_from_db()
    la.refresh_from_db()
    contract.refresh_from_db()
    assert (sydney.status, la.status, contract.status) == (
        "active",
        "pending",
        "completed",
    )


def test_sydney_and_los_angeles_see_their_own_today_at_the_same_instant(
    alice, bob, frozen
):
    alice.time_zone, bob.time_zone = "Australia/Sydney", "America/Los_Angeles"
    frozen.move_to(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC))
    assert alice.local_today() == D(2026, 11, 21)
    assert bob.local_today() == D(2026, 11, 20)
    contact = ContactFactory()
    for user in (alice, bob):
        user.save()
        followup_create(
            by=user,
            assigned_to=user,
            contact=contact,
            due_date=D(2026, 11, 21),
            title="x",
        )
    alice_sections = {
        s.key: s.count
        for s in dashboard_sections(user=alice, today=alice.local_today())
    }
    bob_sections = {
        s.key: s.count for s in dashboard_sections(user=bob, today=bob.local_today())
    }
    assert alice_sections == {"overdue": 0, "today": 1, "week": 0}
    assert bob_sections == {"overdue": 0, "today": 0, "week": 1}


# Relationship health


def test_health_is_warm_cooling_or_cold_with_the_reason_in_words(alice):
    warm, cooling, cold = (ClientFactory(name=n) for n in ("Warm", "Cooling", "Cold"))
    for client, days in ((warm, 3), (cooling, 45), (cold, 97)):
        contact = ContactFactory(client=client)
        ActivityFactory(
            candidate=None,
            contact=contact,
            client=client,
            occurred_at=NOW - dt.timedelta(days=days),
        )
    for _ in range(2):
        FollowUp.objects.create(
            assigned_to=alice,
            contact=cold.contacts.get(),
            client=cold,
            title="t",
            due_date=D(2026, 11, 1),
            original_due_date=D(2026, 11, 1),
        )
    rated = {c.name: describe_health(c) for c in with_health(Client.objects.all())}
    assert rated["Warm"].level == "warm"
    assert rated["Cooling"].level == "cooling"
    assert rated["Cold"].level == "cold"
    assert rated["Cold"].reason == "no touch for 97 days, 2 overdue follow-ups"
    assert rated["Warm"].reason == "last touch 3 days ago"
    coldest = list(
        with_health(Client.objects.all())
        .order_by("-health_score")
        .values_list("name", flat=True)
    )
    assert coldest == ["Cold", "Cooling", "Warm"]


def test_repeat_placements_and_frequent_touches_warm_a_relationship():
    client = ClientFactory()
    contact = ContactFactory(client=client)
    ActivityFactory(
        candidate=None,
        contact=contact,
        client=client,
        occurred_at=NOW - dt.timedelta(days=100),
    )
    PlacementFactory(job__client=client)
    PlacementFactory(job__client=client)
    rated = describe_health(with_health(Client.objects.all()).get())
    assert rated.level == "cooling"
    assert rated.reason == "no touch for 100 days, 2 placements"
