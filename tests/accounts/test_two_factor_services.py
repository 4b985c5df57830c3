"""Two-factor sign-in, the services: enrolment, codes, recovery codes, throttling,
turning it off, an admin's reset. Codes are computed with pyotp from the device's
secret, at a clock frozen with time-machine."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode

import pyotp
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AgencySettings
from accounts.rules import must_use_two_factor
from accounts.selectors import two_factor_state, two_factor_summary
from accounts.services import (
    RECOVERY_CODE_COUNT,
    recovery_codes_regenerate,
    two_factor_check,
    two_factor_confirm,
    two_factor_disable,
    two_factor_reset,
    two_factor_start,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 2, 9, 0, 5, tzinfo=dt.UTC)


def app_for(device: TOTPDevice) -> pyotp.TOTP:
    """The user's authenticator app: what they scanned."""
    return pyotp.TOTP(b32encode(device.bin_key).decode())


def turn_on(user):
    """Enrol `user` with a right code; returns (their app, recovery codes)."""
    device = two_factor_start(user=user)
    app = app_for(device)
    on = two_factor_confirm(user=user, code=app.now())
    return app, on.recovery_codes


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_wrong_code_at_enrolment_is_refused_and_nothing_is_on(alice, clock):
    device = two_factor_start(user=alice)
    right = app_for(device).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError, match="not right"):
        two_factor_confirm(user=alice, code=wrong)
    device.refresh_from_db()
    assert not device.confirmed
    assert not two_factor_state(alice).has_device
    assert not StaticDevice.objects.filter(user=alice).exists()


def test_the_right_code_turns_it_on_with_ten_one_time_recovery_codes(alice, clock):
    device = two_factor_start(user=alice)
    # Reloading the set-up page keeps the secret already scanned.
    assert two_factor_start(user=alice) == device
    on = two_factor_confirm(user=alice, code=app_for(device).now())
    assert on.device == device
    device.refresh_from_db()
    assert device.confirmed
    assert two_factor_state(alice).has_device
    codes = on.recovery_codes
    assert len(set(codes)) == len(codes) == RECOVERY_CODE_COUNT == 10
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    assert two_factor_summary(alice).recovery_codes_left == 10
    # Only one set-up at a time.
    with pytest.raises(ValidationError, match="already on"):
        two_factor_start(user=alice)


def test_a_half_finished_set_up_is_replaced_by_the_confirmed_one(alice, clock):
    stale = two_factor_start(user=alice)
    TOTPDevice.objects.create(user=alice, name="other tab", confirmed=False)
    newest = two_factor_start(user=alice)
    two_factor_confirm(user=alice, code=app_for(newest).now())
    assert list(TOTPDevice.objects.filter(user=alice)) == [newest]
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()


def test_the_apps_code_signs_in_once(alice, clock):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    code = app.now()
    assert two_factor_check(user=alice, code=code).ok
    # The same code again (someone looking over a shoulder) is refused.
    assert not two_factor_check(user=alice, code=code).ok
    clock.shift(dt.timedelta(seconds=30))
    # Typed with a space, as apps show it.
    spaced = f"{app.now()[:3]} {app.now()[3:]}"
    assert two_factor_check(user=alice, code=spaced).ok


def test_a_recovery_code_works_once_in_any_case_with_or_without_its_dash(alice, clock):
    _, codes = turn_on(alice)
    first, second = codes[0], codes[1]
    check = two_factor_check(user=alice, code=first.upper())
    assert check.ok and check.used_recovery_code
    assert not two_factor_check(user=alice, code=first).ok
    clock.shift(dt.timedelta(seconds=1))  # the wait after a wrong code
    assert two_factor_check(user=alice, code=f" {second.replace('-', '')} ").ok
    assert two_factor_summary(alice).recovery_codes_left == 8


def test_new_recovery_codes_replace_the_old_ones(alice, clock):
    _, old = turn_on(alice)
    new = recovery_codes_regenerate(user=alice)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    assert not two_factor_check(user=alice, code=old[0]).ok
    clock.shift(dt.timedelta(seconds=5))
    assert two_factor_check(user=alice, code=new[0]).ok


def test_new_recovery_codes_need_two_factor_on(alice):
    with pytest.raises(ValidationError, match="on first"):
        recovery_codes_regenerate(user=alice)


def test_wrong_codes_make_the_next_try_wait_longer_and_longer(alice, clock):
    app, _ = turn_on(alice)
    clock.shift(dt.timedelta(seconds=30))
    for wait in (1, 2, 4, 8):
        check = two_factor_check(user=alice, code="000000")
        assert not check.ok and check.wait_seconds == 0
        # Even the right code is refused while the device waits.
        refused = two_factor_check(user=alice, code=app.now())
        assert not refused.ok and refused.wait_seconds == wait
        unit = "second" if wait == 1 else "seconds"
        assert f"wait {wait} {unit}, then try again" in refused.message
        clock.shift(dt.timedelta(seconds=wait))
    # The count is in the database, not in a session: signing in again does not
    # reset it. A right code after the wait does.
    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 4
    assert two_factor_check(user=alice, code=app.now()).ok
    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 0


def test_a_code_for_a_user_without_two_factor_or_an_empty_one_is_refused(alice, bob):
    assert not two_factor_check(user=bob, code="123456").ok
    assert not two_factor_check(user=bob, code="abcd-efgh").ok
    turn_on(alice)
    assert not two_factor_check(user=alice, code="  ").ok


def test_another_users_codes_do_not_work(alice, bob, clock):
    _, alices_codes = turn_on(alice)
    turn_on(bob)
    assert not two_factor_check(user=bob, code=alices_codes[0]).ok


def test_turning_off_needs_a_right_code_then_removes_everything(alice, clock):
    app, codes = turn_on(alice)
    with pytest.raises(ValidationError, match="not right"):
        two_factor_disable(user=alice, code="999999")
    assert two_factor_state(alice).has_device
    clock.shift(dt.timedelta(seconds=30))
    two_factor_disable(user=alice, code=codes[3])
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert not two_factor_summary(alice).on


def test_admins_cannot_turn_it_off(ada, clock):
    app, _ = turn_on(ada)
    clock.shift(dt.timedelta(seconds=30))
    with pytest.raises(ValidationError, match="required"):
        two_factor_disable(user=ada, code=app.now())
    assert two_factor_state(ada).has_device


def test_nobody_turns_it_off_while_the_agency_requires_it(alice, clock):
    app, _ = turn_on(alice)
    agency = AgencySettings.load()
    agency.require_two_factor = True
    agency.save()
    clock.shift(dt.timedelta(seconds=30))
    with pytest.raises(ValidationError, match="required"):
        two_factor_disable(user=alice, code=app.now())


def test_who_must_use_two_factor(alice, mia, ada):
    assert must_use_two_factor(ada, agency_requires=False)
    assert not must_use_two_factor(alice, agency_requires=False)
    assert not must_use_two_factor(mia, agency_requires=False)
    assert must_use_two_factor(alice, agency_requires=True)
    alice.is_staff = True  # staff reach the admin site
    assert must_use_two_factor(alice, agency_requires=False)


def test_the_state_is_read_in_one_query(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        state = two_factor_state(alice)
    assert (state.has_device, state.agency_requires) == (False, False)
    AgencySettings.objects.create(pk=1, require_two_factor=True)
    assert two_factor_state(alice).agency_requires


def test_only_an_admin_resets_someones_two_factor(alice, mia, ada, clock):
    turn_on(alice)
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=alice, by=mia)
    assert two_factor_state(alice).has_device
    assert two_factor_reset(user=alice, by=ada) is True
    assert not two_factor_state(alice).has_device
    assert not StaticDevice.objects.filter(user=alice).exists()
    assert two_factor_reset(user=alice, by=ada) is False
