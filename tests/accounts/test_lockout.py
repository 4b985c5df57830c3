"""The front door: brute-force lockout (django-axes), Argon2, idle sessions."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from .test_settings import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

RIGHT = "pw-for-tests-1"
START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def fail_times(client, email, n, ip="10.0.0.1"):
    """n wrong passwords: the form answers each, except that the tenth failure
    is answered with the lockout page."""
    for attempt in range(1, n + 1):
        status = sign_in(client, email, "wrong-password", ip).status_code
        assert status == (429 if attempt >= 10 else 200)


def test_ten_failures_lock_the_account_even_for_the_right_password(client, alice):
    fail_times(client, "alice@example.com", 9)
    assert sign_in(client, "alice@example.com", RIGHT).status_code == 302
    client.post(reverse("logout"))
    # A success starts the count again; ten failures in a row lock.
    fail_times(client, "alice@example.com", 9)
    response = sign_in(client, "alice@example.com", "wrong-password")
    assert response.status_code == 429
    response = sign_in(client, "ALICE@example.com", RIGHT, ip="10.0.0.2")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "15 minutes" in page


def test_the_lockout_page_does_not_tell_whether_the_account_exists(client, alice):
    fail_times(client, "alice@example.com", 10, ip="10.0.0.1")
    fail_times(client, "nobody@example.com", 10, ip="10.0.0.2")
    real = sign_in(client, "alice@example.com", "x", ip="10.0.0.3")
    made_up = sign_in(client, "nobody@example.com", "x", ip="10.0.0.4")
    assert real.status_code == made_up.status_code == 429

    def without_token(response):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())

    assert without_token(real) == without_token(made_up)


def test_ten_failures_from_one_address_lock_that_address(client, alice):
    for n in range(10):
        sign_in(client, f"guess{n}@example.com", "wrong", ip="10.9.9.9")
    assert sign_in(client, "alice@example.com", RIGHT, ip="10.9.9.9").status_code == 429
    assert sign_in(client, "alice@example.com", RIGHT, ip="10.0.0.8").status_code == 302


def test_a_lockout_ends_by_itself_after_15_minutes(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        fail_times(client, "alice@example.com", 10)
        assert sign_in(client, "alice@example.com", RIGHT).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert sign_in(client, "alice@example.com", RIGHT).status_code == 302


def test_an_admin_unlocks_an_account(client, alice):
    fail_times(client, "alice@example.com", 10)
    assert sign_in(client, "alice@example.com", RIGHT).status_code == 429
    call_command("axes_reset_username", "alice@example.com", verbosity=0)
    assert sign_in(client, "alice@example.com", RIGHT).status_code == 302


def test_a_session_ends_after_12_idle_hours_and_lives_while_used(client, alice):
    with time_machine.travel(START, tick=False) as clock:
        assert sign_in(client, "alice@example.com", RIGHT).status_code == 302
        for _ in range(3):  # used every 11 hours: still signed in
            clock.shift(dt.timedelta(hours=11))
            assert client.get(reverse("followups:dashboard")).status_code == 200
        clock.shift(dt.timedelta(hours=12, minutes=1))
        assert client.get(reverse("followups:dashboard")).status_code == 302


def test_changing_the_password_signs_out_every_other_session(alice):
    laptop, phone = Client(), Client()
    laptop.force_login(alice)
    phone.force_login(alice)
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": RIGHT,
            "new_password1": "a-new-long-passphrase-77",
            "new_password2": "a-new-long-passphrase-77",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("followups:dashboard")).status_code == 200
    assert phone.get(reverse("followups:dashboard")).status_code == 302


def test_argon2_is_the_first_password_hasher_in_production(tmp_path):
    env = {
        **os.environ,
        **PRODUCTION,
        "TESTING": "false",
        "DEBUG": "false",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "crm.settings",
    }
    code = (
        "import django; django.setup(); "
        "from django.contrib.auth.hashers import get_hasher, make_password; "
        "print(get_hasher().algorithm, make_password('x').split('$')[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["argon2", "argon2"], result.stderr
