"""Two-factor sign-in, the pages: the code step after the password, who must set it
up, the set-up, recovery codes, turning it off, the admin's reset."""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32encode
from urllib.parse import unquote, urlencode

import pyotp
import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AgencySettings
from accounts.selectors import two_factor_state, two_factor_summary
from accounts.services import two_factor_confirm, two_factor_start
from accounts.two_factor_views import MAX_WRONG_CODES
from tests.conftest import pass_two_factor

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
START = dt.datetime(2026, 12, 2, 9, 0, 5, tzinfo=dt.UTC)
DASHBOARD = "/"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def turn_on(user):
    device = two_factor_start(user=user)
    app = pyotp.TOTP(b32encode(device.bin_key).decode())
    return app, two_factor_confirm(user=user, code=app.now()).recovery_codes


def password_step(client, user, ip="10.0.0.1"):
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302
    return response


def code_step(client, code, next_url=DASHBOARD):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


def verify_url(next_url=DASHBOARD):
    return reverse("two_factor_verify") + "?" + urlencode({"next": next_url})


# Signing in


def test_without_two_factor_a_recruiter_signs_in_with_the_password_alone(client, alice):
    password_step(client, alice)
    assert client.get(DASHBOARD).status_code == 200


def test_sign_in_asks_for_the_code_before_any_page(client, alice, clock):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    response = password_step(client, alice)
    assert response["Location"] == reverse("followups:dashboard")
    # Half signed in: every page sends the session to the code page, keeping `next`.
    response = client.get("/clients/?q=acme")
    assert response.status_code == 302
    assert response["Location"] == verify_url("/clients/?q=acme")
    assert client.get(reverse("followups:profile")).status_code == 302
    page = client.get(verify_url()).content.decode()
    assert "Open your authenticator app" in page
    response = code_step(client, app.now(), next_url="/clients/")
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("followups:profile")).status_code == 200


def test_the_code_step_starts_a_new_session_key(client, alice, clock):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    password_step(client, alice)
    before = client.cookies["sessionid"].value
    code_step(client, app.now())
    assert client.cookies["sessionid"].value != before


def test_a_half_signed_in_session_may_sign_out_and_open_public_pages(
    client, alice, clock
):
    turn_on(alice)
    password_step(client, alice)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    response = client.get(DASHBOARD)
    assert response["Location"].startswith(reverse("login"))


def test_htmx_requests_of_a_half_signed_in_session_are_sent_to_the_code_page(
    client, alice, clock
):
    turn_on(alice)
    password_step(client, alice)
    response = client.get("/followups/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("two_factor_verify"))


def test_a_wrong_code_says_so_and_how_many_tries_are_left(client, alice, clock):
    turn_on(alice)
    password_step(client, alice)
    page = code_step(client, "000000").content.decode()
    assert "That code is not right" in page
    assert f"{MAX_WRONG_CODES - 1} tries left" in page
    assert client.get(DASHBOARD).status_code == 302


def test_bad_input_gets_a_message_not_an_error(client, alice, clock):
    turn_on(alice)
    password_step(client, alice)
    assert "Enter the code." in code_step(client, "").content.decode()
    response = code_step(client, "9" * 500)
    assert response.status_code == 200
    assert "That is not a code" in response.content.decode()
    response = code_step(client, "<script>x</script>")
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()


def test_five_wrong_codes_in_a_row_end_the_half_signed_in_session(client, alice, clock):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    password_step(client, alice)
    for _ in range(MAX_WRONG_CODES - 1):
        assert code_step(client, "000000").status_code == 200
        clock.shift(dt.timedelta(minutes=1))
    response = code_step(client, "000000")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert "Too many wrong codes. Sign in again." in page
    # Signed out: the right code no longer helps this session.
    response = code_step(client, app.now())
    assert response["Location"].startswith(reverse("login"))
    assert client.get(DASHBOARD)["Location"].startswith(reverse("login"))


def test_signing_in_again_does_not_reset_the_wait_after_wrong_codes(
    client, alice, clock
):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    password_step(client, alice)
    for _ in range(MAX_WRONG_CODES):
        code_step(client, "000000")
    password_step(client, alice)
    page = code_step(client, app.now()).content.decode()
    assert "Too many wrong codes: wait" in page
    assert client.get(DASHBOARD).status_code == 302


def test_a_recovery_code_signs_in_once(client, alice, clock):
    _, codes = turn_on(alice)
    password_step(client, alice)
    response = code_step(client, codes[0])
    assert response.status_code == 302
    page = client.get(DASHBOARD).content.decode()
    assert "You signed in with a recovery code" in page and "9 left" in page
    client.post(reverse("logout"))
    password_step(client, alice)
    clock.shift(dt.timedelta(minutes=1))
    page = code_step(client, codes[0]).content.decode()
    assert "That code is not right" in page
    assert client.get(DASHBOARD).status_code == 302


def test_django_axes_still_counts_wrong_passwords_of_a_user_with_two_factor(
    client, alice, clock
):
    turn_on(alice)
    for _ in range(9):
        client.post(reverse("login"), {"username": alice.email, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": alice.email, "password": "wrong"}
    )
    assert response.status_code == 429
    response = client.post(
        reverse("login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 429


# Who must use it


def test_an_admin_without_two_factor_is_sent_to_set_it_up(client, ada, clock):
    client.force_login(ada)
    for path in (DASHBOARD, "/clients/", reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "Your account needs two-factor sign-in" in page
    assert "Not now" not in page
    app = pyotp.TOTP(b32encode(TOTPDevice.objects.get(user=ada).bin_key).decode())
    response = client.post(
        reverse("two_factor_setup"), {"code": app.now(), "next": "/clients/"}
    )
    assert response["Location"] == reverse("two_factor_codes") + "?next=%2Fclients%2F"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(DASHBOARD).status_code == 200


def test_the_agency_setting_requires_it_for_recruiters(client, alice):
    client.force_login(alice)
    assert client.get(DASHBOARD).status_code == 200
    agency = AgencySettings.load()
    agency.require_two_factor = True
    agency.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("two_factor_setup")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_the_admin_site_wants_a_verified_session(client, ada, clock):
    turn_on(ada)
    client.force_login(ada)
    for path in (reverse("admin:index"), reverse("admin:login")):
        response = client.get(path)
        assert response["Location"].startswith(reverse("two_factor_verify"))


def test_the_agency_setting_is_in_the_admin(as_user, ada):
    client = as_user(ada)
    AgencySettings.load()
    url = reverse("admin:accounts_agencysettings_change", args=[1])
    assert "require_two_factor" in client.get(url).content.decode()


# Setting it up and managing it


def test_the_set_up_page_shows_a_qr_code_and_the_secret_then_confirms(
    as_user, alice, clock
):
    client = as_user(alice)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=alice)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    # Reloading shows the same secret.
    assert secret in client.get(reverse("two_factor_setup")).content.decode()
    app = pyotp.TOTP(secret.replace(" ", ""))

    response = client.post(reverse("two_factor_setup"), {"code": "123"})
    assert "That code is not right" in response.content.decode()
    assert not two_factor_state(alice).has_device

    clock.shift(dt.timedelta(seconds=5))
    response = client.post(reverse("two_factor_setup"), {"code": app.now()})
    assert response.status_code == 302
    assert two_factor_state(alice).has_device
    # The session that set it up counts as verified.
    assert client.get(DASHBOARD).status_code == 200


def test_recovery_codes_are_shown_once_with_a_text_file(as_user, alice, clock):
    client = as_user(alice)
    client.get(reverse("two_factor_setup"))
    app = pyotp.TOTP(b32encode(TOTPDevice.objects.get(user=alice).bin_key).decode())
    client.post(reverse("two_factor_setup"), {"code": app.now()})
    response = client.get(reverse("two_factor_codes"))
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{4}-[a-z2-7]{4})</li>', page)
    assert len(codes) == 10
    download = re.search(r'href="(data:text/plain;charset=utf-8,[^"]+)"', page)
    text = unquote(download.group(1).split(",", 1)[1])
    assert all(code in text for code in codes)
    again = client.get(reverse("two_factor_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "shown only once" in again


def test_new_recovery_codes_from_the_page_replace_the_old(as_user, alice, clock):
    _, old = turn_on(alice)
    client = as_user(alice)
    response = client.post(reverse("two_factor_codes"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r'<li class="col">([a-z2-7]{4}-[a-z2-7]{4})</li>', page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "The old ones no longer work" in page


def test_turning_it_off_needs_a_code(as_user, alice, clock):
    app, codes = turn_on(alice)
    client = as_user(alice)
    page = client.get(reverse("two_factor")).content.decode()
    assert "On" in page and "10</strong> unused codes" in page
    response = client.post(reverse("two_factor_disable"), {"code": "111111"})
    assert "That code is not right" in response.content.decode()
    assert two_factor_state(alice).has_device
    clock.shift(dt.timedelta(minutes=1))
    response = client.post(reverse("two_factor_disable"), {"code": codes[0]})
    assert response.status_code == 302
    assert not two_factor_summary(alice).on
    assert (
        "Set up two-factor sign-in"
        in client.get(reverse("two_factor")).content.decode()
    )


def test_an_admin_cannot_turn_it_off(as_user, ada, clock):
    client = as_user(ada)
    page = client.get(reverse("two_factor_disable")).content.decode()
    assert "cannot be turned off" in page and 'name="code"' not in page
    device = TOTPDevice.objects.get(user=ada)
    code = pyotp.TOTP(b32encode(device.bin_key).decode()).now()
    client.post(reverse("two_factor_disable"), {"code": code})
    assert two_factor_state(ada).has_device


def test_the_profile_links_to_two_factor_sign_in(as_user, alice, clock):
    client = as_user(alice)
    page = client.get(reverse("followups:profile")).content.decode()
    assert "Two-factor sign-in" in page and "Set up two-factor sign-in" in page
    turn_on(alice)
    pass_two_factor(client, alice)
    page = client.get(reverse("followups:profile")).content.decode()
    assert "Manage two-factor sign-in" in page and "10 recovery codes left" in page


def test_the_set_up_page_of_someone_already_enrolled_goes_to_the_overview(
    as_user, alice, clock
):
    turn_on(alice)
    client = as_user(alice)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"] == reverse("two_factor")


# The admin's reset (a lost phone)


def test_an_admin_resets_a_users_two_factor_and_it_is_recorded(
    as_user, ada, alice, clock
):
    turn_on(alice)
    client = as_user(ada)
    changelist = reverse("admin:accounts_user_changelist")
    assert "two-factor" in client.get(changelist).content.decode()
    response = client.post(
        changelist,
        {"action": "reset_two_factor", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert "Two-factor sign-in reset for 1 user" in response.content.decode()
    assert not two_factor_state(alice).has_device
    entry = LogEntry.objects.get(object_id=str(alice.pk))
    assert (
        entry.user == ada and "Reset two-factor sign-in" in entry.get_change_message()
    )
    # She signs in with her password alone again.
    other = type(client)()
    password_step(other, alice)
    assert other.get(DASHBOARD).status_code == 200


def test_the_admin_never_shows_a_secret_or_recovery_codes(as_user, ada, alice, clock):
    _, codes = turn_on(alice)
    client = as_user(ada)
    device = TOTPDevice.objects.get(user=alice)
    page = client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    ).content.decode()
    assert device.key not in page
    static = alice.staticdevice_set.get()
    page = client.get(
        reverse("admin:otp_static_staticdevice_change", args=[static.pk])
    ).content.decode()
    assert not any(code.replace("-", "") in page for code in codes)
