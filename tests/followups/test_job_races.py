"""Two runs of a periodic job at once change nothing twice, and each reports only
what it changed: their counts add up to what changed. Each test holds both runs at
the point where they have read what to do and not yet written anything (both reach
the insert), so the race really happens (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from followups import jobs
from followups.models import FollowUp, Kind, PlanRule
from placements.models import Placement

from ..factories import ClientFactory, ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def racing(require_postgres, transactional_db):
    """`racing(job)`: run `job()` in two threads at once, both held before their
    first write until the other has read; returns both results."""

    def run_twice(job):
        real = jobs.insert_new
        barrier = threading.Barrier(2, timeout=20)

        def insert_together(objs, **kwargs):
            barrier.wait()
            return real(objs, **kwargs)

        results, errors = [], []

        def run():
            try:
                results.append(job())
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connection.close()

        with mock.patch.object(jobs, "insert_new", insert_together):
            threads = [threading.Thread(target=run) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert errors == []
        return results

    return run_twice


def test_two_materialize_runs_at_once_report_the_follow_ups_created_once(
    racing, make_placement
):
    for _ in range(5):
        make_placement()
    FollowUp.objects.all().delete()
    results = racing(jobs.materialize_followups)
    assert FollowUp.objects.count() == 55
    assert sum(r.created for r in results) == 55
    assert sorted(r.created for r in results) == [0, 55]
    assert [r.placements for r in results] == [5, 5]


def test_two_materialize_runs_at_once_report_each_move_and_cancel_once(
    racing, make_placement, plans
):
    moved = [make_placement() for _ in range(3)]
    ended = make_placement()
    # The referral ask goes to the contact now: each open one moves to another
    # person on the same date. The ended placement's open follow-ups are cancelled.
    rule = plans["permanent"].rules.get(kind=Kind.REFERRAL_ASK)
    PlanRule.objects.filter(pk=rule.pk).update(target=PlanRule.Target.CONTACT)
    Placement.objects.filter(pk=ended.pk).update(status=Placement.Status.CANCELLED)
    open_on_ended = ended.followups.filter(status=FollowUp.Status.OPEN).count()
    results = racing(jobs.materialize_followups)
    assert sum(r.moved for r in results) == len(moved)
    assert sum(r.cancelled for r in results) == open_on_ended == 11
    assert sum(r.created for r in results) == 0
    for placement in moved:
        ask = placement.followups.get(rule=rule)
        assert (ask.candidate_id, ask.contact_id) == (None, placement.contact_id)


def test_two_dormancy_runs_at_once_report_each_flag_once(racing, plans):
    for _ in range(3):
        client = ClientFactory()
        ContactFactory(client=client)
        type(client).objects.filter(pk=client.pk).update(
            created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        )
    results = racing(jobs.flag_dormant_relationships)
    assert FollowUp.objects.filter(kind=Kind.REENGAGEMENT).count() == 3
    assert sorted(results) == [0, 3]


def test_the_commands_print_only_what_their_own_run_changed(racing, make_placement):
    make_placement()
    FollowUp.objects.all().delete()

    def command(name):
        def run():
            out = StringIO()
            call_command(name, stdout=out)
            return out.getvalue()

        return run

    outputs = racing(command("materialize_followups"))
    created = sorted(
        re.search(r"(\d+) follow-ups created", o).group(1) for o in outputs
    )
    assert created == ["0", "11"]
