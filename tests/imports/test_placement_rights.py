"""Placements are imported through the placement services, which check the importer:
a manager records placements for the people they manage, not for other teams."""

from __future__ import annotations

import pytest

from imports.models import ImportJob
from placements.models import Placement
from tests.factories import CandidateFactory, ClientFactory

from .conftest import run_import

pytestmark = pytest.mark.django_db


def test_a_manager_imports_placements_of_the_team_and_not_of_other_teams(
    mia, alice, carol, plans, tmp_path
):
    ClientFactory(name="Acme")
    CandidateFactory(email="ann@example.com")
    CandidateFactory(email="cy@example.com")
    rows = [
        ["Candidate Email", "Company", "Job", "Start Date", "Recruiter"],
        ["ann@example.com", "Acme", "Engineer", "05/01/2026", "alice@example.com"],
        ["cy@example.com", "Acme", "Tester", "05/01/2026", "carol@example.com"],
    ]
    job = run_import(mia, "placements", rows, tmp_path=tmp_path)
    # A file with a bad row writes nothing, and says which row and why.
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "row": 3,
            "message": "recruiter: you may only record placements for yourself "
            "and the people you manage",
        }
    ]
    assert not Placement.objects.exists()
    job = run_import(mia, "placements", rows[:2], tmp_path=tmp_path)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Placement.objects.get().recruiter == alice
