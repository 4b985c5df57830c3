import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_needs_sign_in(client, alice):
    for name in [
        "followups:dashboard",
        "followups:client_list",
        "followups:candidate_list",
        "placements:placement_list",
        "followups:profile",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_email_and_out(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "alice@example.com", "password": "pw-for-tests-1"},
    )
    assert response.status_code == 302
    assert client.get(reverse("followups:dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("followups:dashboard")).status_code == 302


def test_wrong_password_shows_a_message(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert (
        "Please enter a correct email address and password" in response.content.decode()
    )


def test_password_reset_by_email_with_site_url_link(client, alice, settings):
    settings.SITE_URL = "https://crm.example.com"
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https?://\S+", body).group(0)
    assert link.startswith("http")
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "a-much-better-pass-42",
            "new_password2": "a-much-better-pass-42",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-much-better-pass-42")


def test_password_reset_link_is_built_from_site_url_not_host(client, alice):
    from django.conf import settings

    client.post(
        reverse("password_reset"),
        {"email": "alice@example.com"},
        HTTP_HOST="testserver",
    )
    assert settings.SITE_URL in mail.outbox[0].body


def test_profile_changes_time_zone_and_digest(as_user, alice):
    client = as_user(alice)
    response = client.post(
        reverse("followups:profile"),
        {
            "first_name": "Alice",
            "last_name": "Archer",
            "phone": "",
            "time_zone": "Australia/Sydney",
            "digest_enabled": "",
            "digest_hour": "6",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.time_zone, alice.digest_enabled, alice.digest_hour) == (
        "Australia/Sydney",
        False,
        6,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("digest_hour", "24", "less than or equal to 23"),
    ],
)
def test_profile_rejects_bad_values(as_user, alice, field, value, message):
    data = {
        "first_name": "A",
        "last_name": "B",
        "time_zone": "UTC",
        "digest_enabled": "on",
        "digest_hour": "7",
    }
    data[field] = value
    response = as_user(alice).post(reverse("followups:profile"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London"


def test_change_password_uses_validators(as_user, alice):
    response = as_user(alice).post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
