"""core.db.insert_new: a bulk insert that skips conflicts and says what it inserted."""

from __future__ import annotations

import pytest

from accounts.models import Team
from core.db import insert_new

pytestmark = pytest.mark.django_db


def test_it_returns_only_the_rows_it_inserted():
    Team.objects.create(name="Existing")
    rows = insert_new(
        [Team(name="New 1"), Team(name="Existing"), Team(name="New 2")],
        returning=["pk", "name"],
    )
    assert sorted(name for _, name in rows) == ["New 1", "New 2"]
    assert {pk for pk, _ in rows} == set(
        Team.objects.filter(name__startswith="New").values_list("pk", flat=True)
    )
    assert Team.objects.count() == 3
    created = Team.objects.get(name="New 1")
    assert created.created_at is not None and created.updated_at is not None


def test_a_batch_of_one_that_meets_a_conflict_returns_nothing():
    Team.objects.create(name="Existing")
    assert insert_new([Team(name="Existing")]) == []
    assert insert_new([]) == []
    (row,) = insert_new([Team(name="Other")])
    assert row == (Team.objects.get(name="Other").pk,)


def test_it_inserts_in_batches():
    rows = insert_new([Team(name=f"T{n}") for n in range(7)], batch_size=3)
    assert len(rows) == 7 == Team.objects.count()
    assert insert_new([Team(name=f"T{n}") for n in range(9)], batch_size=3) == [
        (Team.objects.get(name=f"T{n}").pk,) for n in range(7, 9)
    ]
