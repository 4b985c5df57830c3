from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from placements.models import Placement
from placements.services import placement_create

from ..factories import CandidateFactory, ContactFactory, JobFactory


@pytest.fixture
def make_placement(plans, alice):
    """Record a placement through the service, as a recruiter's request does."""

    def make(*, by=None, **fields):
        by = by or alice
        job = fields.pop("job", None)
        if job is None:
            contact = ContactFactory(owner=by)
            job = JobFactory(client=contact.client, owner=by, hiring_contact=contact)
        fields.setdefault("contact", job.hiring_contact)
        fields.setdefault("placement_type", Placement.Type.PERMANENT)
        fields.setdefault("start_date", dt.date(2026, 12, 1))
        fields.setdefault("fee", Decimal("15000"))
        fields.setdefault("recruiter", by)
        candidate = fields.pop("candidate", None) or CandidateFactory(owner=by)
        return placement_create(by=by, job=job, candidate=candidate, **fields)

    return make


NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    """Follow-up tests run on Friday 20 November 2026, 10:00 UTC unless they move."""
    time_machine.move_to(NOW, tick=False)
    return time_machine
