"""Logging a touch: everyone signed in works the shared book; nobody else may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from activities.models import Activity
from activities.services import activity_log

from ..factories import CandidateFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_anyone_signed_in_logs_a_touch_with_anyone_in_the_book(alice, carol):
    candidate = CandidateFactory(owner=alice)
    activity = activity_log(by=carol, kind=Activity.Kind.CALL, candidate=candidate)
    assert (activity.by, activity.candidate) == (carol, candidate)
    contact = ContactFactory(owner=alice)
    activity = activity_log(by=carol, kind=Activity.Kind.NOTE, contact=contact)
    assert activity.client == contact.client


def test_without_a_user_nothing_is_logged(alice):
    with pytest.raises(PermissionDenied):
        activity_log(
            by=AnonymousUser(),
            kind=Activity.Kind.CALL,
            candidate=CandidateFactory(owner=alice),
        )
    assert not Activity.objects.exists()
