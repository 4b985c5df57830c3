"""Personas and shared fixtures.

alice and bob: recruiters in team A; carol: recruiter in team B; mia: manager of team A;
ada: admin. Tests that need a service this machine lacks (PostgreSQL, Redis, Chromium)
skip loudly on a laptop and fail under CI=true.
"""

from __future__ import annotations

import importlib
import os

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection

from accounts.models import User
from accounts.rules import must_use_two_factor
from accounts.selectors import two_factor_state

from .factories import TeamFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip (laptop) or fail (CI) when `what` is not available."""
    if condition:
        return
    message = f"{what} is not available"
    if IN_CI:
        pytest.fail(f"{message}: under CI=true this is a failure, not a skip.")
    pytest.skip(f"SKIPPED LOUDLY: {message} on this machine.")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def require_postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Team A")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Team B")


@pytest.fixture
def alice(team_a):
    user = UserFactory(
        email="alice@example.com",
        first_name="Alice",
        last_name="Archer",
        time_zone="Europe/London",
    )
    team_a.members.add(user)
    return user


@pytest.fixture
def bob(team_a):
    user = UserFactory(email="bob@example.com", first_name="Bob", last_name="Brennan")
    team_a.members.add(user)
    return user


@pytest.fixture
def carol(team_b):
    user = UserFactory(email="carol@example.com", first_name="Carol", last_name="Cole")
    team_b.members.add(user)
    return user


@pytest.fixture
def mia(team_a):
    user = UserFactory(
        email="mia@example.com",
        first_name="Mia",
        last_name="Morgan",
        role=User.Role.MANAGER,
    )
    team_a.managers.add(user)
    return user


@pytest.fixture
def ada(db):
    return UserFactory(
        email="ada@example.com",
        first_name="Ada",
        last_name="Admin",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )


def pass_two_factor(client, user) -> None:
    """Make `client`'s signed-in session one that has passed two-factor sign-in, as
    if `user` had entered a code from their app (given one, confirmed, if they had
    none): what django-otp's middleware reads is the device kept in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def as_user(client):
    """Sign the test client in as a persona, fully: `as_user(alice)`. A user who
    must use two-factor sign-in (admins: accounts.rules.must_use_two_factor) or has
    set it up also gets a verified session (pass_two_factor); others sign in with
    a password alone, as they do until they set it up."""

    def sign_in(user):
        client.force_login(user)
        if must_use_two_factor(user, agency_requires=False) or (
            two_factor_state(user).has_device
        ):
            pass_two_factor(client, user)
        return client

    return sign_in


_default_plans = importlib.import_module(
    "followups.migrations.0001_squashed_0003_email_deliveries"
)


@pytest.fixture
def plans(db):
    """The default follow-up plans. The data migration made them, but a transactional
    test (a live server) flushes the database, so make sure they are there."""
    _default_plans.create_plans(apps, None)
    from followups.models import FollowUpPlan

    return {p.placement_type: p for p in FollowUpPlan.objects.filter(is_default=True)}
