"""The password-reset form tells nothing about who has an account and is
rate-limited per email typed and per address, the same for every email; the
sign-in lockout counts a client behind the proxy by its own address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from .test_lockout import RIGHT, sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def reset(email: str, address: str = "10.0.0.1", client: Client | None = None):
    client = client or Client()
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def without_token(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def test_the_answer_is_the_same_for_an_account_and_a_made_up_email(alice):
    real = reset("alice@example.com")
    made_up = reset("nobody@example.com")
    assert real.status_code == made_up.status_code == 302
    assert real["Location"] == made_up["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_over_the_limit_for_an_email_429_and_no_email(settings, alice, clock):
    settings.RATE_LIMIT_PASSWORD_RESET = (2, 3600)
    # From different addresses: the email typed is what counts here.
    assert reset("alice@example.com", "10.0.0.1").status_code == 302
    # The email in another case, with spaces, is the same email.
    assert reset(" ALICE@example.com", "10.0.0.2").status_code == 302
    response = reset("alice@example.com", "10.0.0.3")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Please wait 60 minutes and try again." in response.content.decode()
    assert len(mail.outbox) == 2
    # Another email is not held up.
    assert reset("bob@example.com", "10.0.0.3").status_code == 302
    # An hour later, again.
    clock.shift(dt.timedelta(hours=1))
    assert reset("alice@example.com", "10.0.0.3").status_code == 302
    assert len(mail.outbox) == 3


def test_the_limit_tells_nothing_about_who_has_an_account(settings, alice):
    settings.RATE_LIMIT_PASSWORD_RESET = (2, 3600)
    real = [reset("alice@example.com") for _ in range(3)]
    made_up = [reset("nobody@example.com") for _ in range(3)]
    assert [r.status_code for r in real] == [r.status_code for r in made_up]
    assert [r.status_code for r in real] == [302, 302, 429]
    assert without_token(real[-1]) == without_token(made_up[-1])
    assert real[-1]["Retry-After"] == made_up[-1]["Retry-After"]


def test_over_the_limit_for_an_address_429_whatever_the_email(settings, alice):
    settings.RATE_LIMIT_PASSWORD_RESET_ADDRESS = (3, 3600)
    statuses = [
        reset(f"guess{n}@example.com", "198.51.100.7").status_code for n in range(3)
    ]
    assert statuses == [302, 302, 302]
    assert reset("alice@example.com", "198.51.100.7").status_code == 429
    assert mail.outbox == []
    assert reset("alice@example.com", "198.51.100.8").status_code == 302
    assert len(mail.outbox) == 1


def test_the_default_limit_is_five_an_hour_per_email(alice):
    statuses = [reset("alice@example.com", f"10.0.0.{n}").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_showing_the_form_is_not_limited(settings):
    settings.RATE_LIMIT_PASSWORD_RESET_ADDRESS = (1, 3600)
    client = Client()
    assert {client.get(reverse("password_reset")).status_code for _ in range(5)} == {
        200
    }


def test_a_form_with_no_email_still_counts_for_the_address(settings):
    settings.RATE_LIMIT_PASSWORD_RESET_ADDRESS = (2, 3600)
    assert [reset("").status_code for _ in range(3)] == [200, 200, 429]


# The sign-in lockout behind the proxy (one client_address for both)


def sign_in_via_proxy(client, email, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_the_lockout_counts_the_clients_address(
    settings, client, alice
):
    settings.BEHIND_PROXY = True
    for n in range(10):
        sign_in_via_proxy(client, f"guess{n}@example.com", "wrong", "203.0.113.5")
    locked = sign_in_via_proxy(client, "alice@example.com", RIGHT, "203.0.113.5")
    assert locked.status_code == 429
    # Another client through the same proxy signs in.
    other = sign_in_via_proxy(client, "alice@example.com", RIGHT, "203.0.113.6")
    assert other.status_code == 302


def test_without_the_proxy_setting_forwarded_headers_are_ignored(
    settings, client, alice
):
    settings.BEHIND_PROXY = False
    for n in range(10):
        sign_in(client, f"guess{n}@example.com", "wrong", ip="10.9.9.9")
    response = client.post(
        reverse("login"),
        {"username": "alice@example.com", "password": RIGHT},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert response.status_code == 429
