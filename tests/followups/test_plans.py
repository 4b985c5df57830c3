"""Applying plans to placements: creation, late entry, changes, cancellation."""

import datetime as dt
import threading

import pytest
from django.db import connection

from followups.jobs import materialize_followups
from followups.models import ENTERED_LATE, FollowUp, Kind, PlanRule
from followups.services import placement_reassign_open_followups
from placements.models import Placement
from placements.services import placement_cancel, placement_update

from ..factories import ContactFactory

pytestmark = pytest.mark.django_db

D = dt.date


def dates(placement, **filters):
    return sorted(
        (f.due_date, f.kind, "candidate" if f.candidate_id else "contact")
        for f in placement.followups.filter(**filters)
    )


def test_a_permanent_placement_gets_its_plan_at_once(make_placement, alice):
    placement = make_placement(start_date=D(2026, 12, 1), guarantee_days=90)
    assert dates(placement) == [
        (D(2026, 12, 2), Kind.FIRST_DAY, "candidate"),
        (D(2026, 12, 8), Kind.FIRST_WEEK, "candidate"),
        (D(2026, 12, 15), Kind.SETTLING_IN, "contact"),
        (D(2026, 12, 31), Kind.THIRTY_DAY, "candidate"),
        (D(2027, 1, 15), Kind.SETTLING_IN, "contact"),
        (D(2027, 1, 30), Kind.REFERRAL_ASK, "candidate"),
        (D(2027, 2, 22), Kind.GUARANTEE_ENDING, "candidate"),
        (D(2027, 2, 22), Kind.GUARANTEE_ENDING, "contact"),
        (D(2027, 3, 31), Kind.REORDER, "contact"),
        (D(2027, 12, 1), Kind.ANNIVERSARY, "candidate"),
        (D(2027, 12, 1), Kind.ANNIVERSARY, "contact"),
    ]
    assert set(placement.followups.values_list("assigned_to", flat=True)) == {alice.pk}
    assert set(placement.followups.values_list("status", flat=True)) == {"open"}
    assert set(placement.followups.values_list("client", flat=True)) == {
        placement.client_id
    }


def test_a_contract_placement_gets_the_contract_plan(make_placement):
    placement = make_placement(
        placement_type=Placement.Type.CONTRACT,
        start_date=D(2026, 12, 1),
        end_date=D(2027, 5, 31),
        guarantee_days=0,
    )
    assert dates(placement) == [
        (D(2026, 12, 2), Kind.FIRST_DAY, "candidate"),
        (D(2026, 12, 8), Kind.SETTLING_IN, "contact"),
        (D(2026, 12, 31), Kind.THIRTY_DAY, "candidate"),
        (D(2027, 5, 1), Kind.CONTRACT_ENDING, "candidate"),
        (D(2027, 5, 1), Kind.CONTRACT_ENDING, "contact"),
        (D(2027, 5, 24), Kind.CONTRACT_ENDING, "candidate"),
    ]


def test_rules_already_past_when_entered_late_are_skipped_not_overdue(make_placement):
    placement = make_placement(
        start_date=D(2026, 10, 1), status=Placement.Status.ACTIVE
    )
    skipped = placement.followups.filter(status=FollowUp.Status.SKIPPED)
    assert {f.due_date for f in skipped} == {
        D(2026, 10, 2),
        D(2026, 10, 8),
        D(2026, 10, 15),
        D(2026, 10, 31),
        D(2026, 11, 15),
    }
    assert set(skipped.values_list("status_reason", flat=True)) == {ENTERED_LATE}
    assert all(
        f.due_date >= D(2026, 11, 20) for f in placement.followups.filter(status="open")
    )
    assert placement.followups.filter(status="open").count() == 6


def test_the_placement_page_says_it_was_entered_late(make_placement, as_user, alice):
    placement = make_placement(
        start_date=D(2026, 10, 1), status=Placement.Status.ACTIVE
    )
    page = as_user(alice).get(placement.get_absolute_url()).content.decode()
    assert "entered late" in page
    assert "5 follow-ups whose date had already passed were marked" in page


def test_contact_rules_wait_for_a_contact(make_placement):
    placement = make_placement(contact=None)
    assert placement.followups.filter(contact__isnull=False).count() == 0
    assert placement.followups.count() == 6
    contact = ContactFactory(client=placement.client)
    placement_update(placement=placement, by=placement.recruiter, contact=contact)
    assert placement.followups.filter(contact=contact).count() == 5


def test_changing_the_start_date_moves_open_followups_but_not_done_ones(
    make_placement, alice
):
    placement = make_placement(start_date=D(2026, 12, 1))
    first = placement.followups.get(kind=Kind.FIRST_DAY)
    first.status, first.completed_at = (
        FollowUp.Status.DONE,
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )
    first.save()
    placement_update(placement=placement, by=alice, start_date=D(2026, 12, 8))
    first.refresh_from_db()
    assert first.due_date == D(2026, 12, 2)
    week = placement.followups.get(kind=Kind.FIRST_WEEK)
    assert (week.due_date, week.original_due_date) == (D(2026, 12, 15), D(2026, 12, 15))
    assert placement.followups.count() == 11


def test_cancelling_cancels_the_open_followups_with_the_reason(make_placement, alice):
    placement = make_placement()
    done = placement.followups.first()
    done.status, done.completed_at = (
        FollowUp.Status.DONE,
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )
    done.save()
    placement_cancel(
        placement=placement, by=alice, reason="Candidate took a counter-offer"
    )
    assert placement.followups.filter(status="open").count() == 0
    cancelled = placement.followups.filter(status="cancelled")
    assert cancelled.count() == 10
    assert "Candidate took a counter-offer" in cancelled.first().status_reason
    assert placement.followups.filter(status="done").count() == 1


def test_fell_off_cancels_too(make_placement, alice):
    placement = make_placement()
    placement_cancel(
        placement=placement,
        by=alice,
        reason="Left after a week",
        status=Placement.Status.FELL_OFF,
    )
    assert placement.followups.filter(status="open").count() == 0
    assert "fell off" in placement.followups.first().status_reason


def test_changing_the_recruiter_offers_to_move_open_followups(
    make_placement, alice, bob, mia, as_user
):
    placement = make_placement()
    placement_update(placement=placement, by=alice, recruiter=bob)
    assert set(placement.followups.values_list("assigned_to", flat=True)) == {alice.pk}
    page = as_user(bob).get(placement.get_absolute_url()).content.decode()
    assert "11 open follow-ups are assigned to someone other than the recruiter" in page
    moved = placement_reassign_open_followups(placement=placement, by=mia)
    assert moved == 11
    assert set(placement.followups.values_list("assigned_to", flat=True)) == {bob.pk}


def test_changing_the_type_switches_plans(make_placement, alice):
    placement = make_placement()
    placement_update(
        placement=placement,
        by=alice,
        placement_type=Placement.Type.CONTRACT,
        end_date=D(2027, 6, 1),
    )
    assert placement.followups.filter(status="open").count() == 6
    assert placement.followups.filter(status="cancelled").count() == 11
    assert placement.plan_link.plan.placement_type == Placement.Type.CONTRACT


def test_materialize_twice_changes_nothing(make_placement):
    make_placement()
    make_placement(start_date=D(2026, 9, 1), status=Placement.Status.ACTIVE)
    before = sorted(
        FollowUp.objects.values_list("pk", "due_date", "status", "updated_at")
    )
    result = materialize_followups()
    assert (result.created, result.skipped, result.moved, result.cancelled) == (
        0,
        0,
        0,
        0,
    )
    assert (
        sorted(FollowUp.objects.values_list("pk", "due_date", "status", "updated_at"))
        == before
    )


def test_materialize_repairs_what_a_failed_request_left_behind(make_placement):
    placement = make_placement()
    placement.followups.filter(kind=Kind.REORDER).delete()
    result = materialize_followups()
    assert result.created == 1
    assert placement.followups.filter(kind=Kind.REORDER).count() == 1


def test_a_plan_edit_reaches_existing_placements(make_placement, plans, mia):
    from followups.plan_services import rule_add, rule_delete

    placement = make_placement()
    rule = rule_add(
        plan=plans["permanent"],
        by=mia,
        kind=Kind.CUSTOM,
        target=PlanRule.Target.CANDIDATE,
        anchor=PlanRule.Anchor.START,
        offset_days=200,
        title="Mid-year coffee",
        talking_points="",
    )
    materialize_followups()
    added = placement.followups.get(rule=rule)
    assert added.due_date == D(2027, 6, 19)
    rule_delete(rule=rule, by=mia)
    added.refresh_from_db()
    assert added.status == FollowUp.Status.CANCELLED


def test_nothing_is_created_twice_even_by_two_runs_at_once(
    make_placement, require_postgres, transactional_db, plans
):
    for _ in range(5):
        make_placement()
    FollowUp.objects.all().delete()
    errors = []

    def run():
        try:
            materialize_followups()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert FollowUp.objects.count() == 55
    assert FollowUp.objects.values("placement", "rule").distinct().count() == 55


def test_changing_a_rules_target_moves_open_followups_to_the_other_person(
    make_placement, plans, mia
):
    from followups.plan_services import rule_update

    placement = make_placement()
    rule = plans["permanent"].rules.get(kind=Kind.REFERRAL_ASK)
    rule_update(rule=rule, by=mia, target=PlanRule.Target.CONTACT)
    materialize_followups()
    moved = placement.followups.get(rule=rule)
    assert (moved.candidate_id, moved.contact_id) == (None, placement.contact_id)
    assert materialize_followups().moved == 0


def test_changing_the_candidate_or_the_job_moves_open_followups(make_placement, alice):
    from ..factories import CandidateFactory, JobFactory

    placement = make_placement()
    other = CandidateFactory()
    new_job = JobFactory(owner=alice)
    new_contact = ContactFactory(client=new_job.client)
    placement_update(
        placement=placement, by=alice, candidate=other, job=new_job, contact=new_contact
    )
    open_ones = placement.followups.filter(status="open")
    assert set(
        open_ones.exclude(candidate=None).values_list("candidate", flat=True)
    ) == {other.pk}
    assert set(open_ones.exclude(contact=None).values_list("contact", flat=True)) == {
        new_contact.pk
    }
    assert set(open_ones.values_list("client", flat=True)) == {new_job.client_id}


def test_a_snooze_survives_the_hourly_job(make_placement, alice):
    from followups.services import followup_snooze

    placement = make_placement()
    f = placement.followups.get(kind=Kind.FIRST_DAY)
    followup_snooze(followup=f, until=D(2026, 12, 5), by=alice)
    materialize_followups()
    f.refresh_from_db()
    assert (f.due_date, f.original_due_date) == (D(2026, 12, 5), D(2026, 12, 2))


def test_a_date_near_year_9999_gives_no_followup_instead_of_an_error(make_placement):
    placement = make_placement(start_date=D(9999, 12, 1))
    assert placement.followups.filter(kind=Kind.FIRST_DAY).count() == 1
    assert placement.followups.filter(kind=Kind.ANNIVERSARY).count() == 0
