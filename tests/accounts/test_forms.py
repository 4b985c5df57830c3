"""The profile form: bad values are refused on the field and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.forms import ProfileForm

pytestmark = pytest.mark.django_db


def profile_data(user, **overrides) -> dict:
    """What the profile page posts for `user` as it stands, with `overrides`."""
    form = ProfileForm(instance=user)
    data = {}
    for field in form:
        value = field.value()
        if value is True:
            data[field.name] = "on"
        elif value not in (None, False):
            data[field.name] = value
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "x" * 10_000, "Ensure this value has at most 150 characters"),
        ("phone", "1" * 41, "Ensure this value has at most 40 characters"),
        ("time_zone", "", "This field is required."),
        ("time_zone", "Europe/Atlantis", "Select a valid choice."),
        ("digest_hour", "abc", "Enter a whole number."),
        ("digest_hour", "-1", "greater than or equal to 0"),
        ("digest_hour", "24", "less than or equal to 23"),
    ],
)
def test_the_profile_page_refuses_bad_values_and_saves_nothing(
    as_user, alice, field, value, message
):
    data = profile_data(alice, **{"first_name": "Alicia", field: value})
    response = as_user(alice).post(reverse("followups:profile"), data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert (alice.first_name, alice.time_zone, alice.digest_hour) == (
        "Alice",
        "Europe/London",
        None,
    )


def test_a_refused_profile_does_not_show_the_unsaved_name_as_the_user(as_user, alice):
    response = as_user(alice).post(
        reverse("followups:profile"),
        profile_data(alice, first_name="Alicia", digest_hour="99"),
    )
    assert response.status_code == 200
    assert response.context["user"].first_name == "Alice"


def test_an_empty_digest_hour_means_the_agency_default(as_user, alice):
    alice.digest_hour = 9
    alice.save()
    response = as_user(alice).post(
        reverse("followups:profile"), profile_data(alice, digest_hour="")
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.digest_hour is None


def test_profile_form_class_offers_only_real_time_zones(alice):
    form = ProfileForm(data=profile_data(alice, time_zone="Asia/Tokyo"), instance=alice)
    assert form.is_valid(), form.errors
    made_up = ProfileForm(
        data=profile_data(alice, time_zone="Mars/Olympus"), instance=alice
    )
    assert not made_up.is_valid()
    assert "time_zone" in made_up.errors


def test_profile_form_does_not_let_a_user_change_role_or_email(as_user, alice):
    as_user(alice).post(
        reverse("followups:profile"),
        profile_data(alice, role="admin", email="evil@example.com", is_superuser="on"),
    )
    alice.refresh_from_db()
    assert alice.role == "recruiter"
    assert alice.email == "alice@example.com"
    assert not alice.is_superuser


def test_the_password_reset_email_is_plain_text_not_html_escaped(client, mailoutbox):
    from ..factories import UserFactory

    UserFactory(email="o'brien@example.com")
    response = client.post(reverse("password_reset"), {"email": "o'brien@example.com"})
    assert response.status_code == 302
    (message,) = mailoutbox
    assert "o'brien@example.com" in message.body
    assert "&#x27;" not in message.body


def test_sign_in_ignores_the_case_of_the_email(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "  Alice@Example.COM ", "password": "pw-for-tests-1"},
    )
    assert response.status_code == 302
    assert client.get(reverse("followups:profile")).status_code == 200
