from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User, new_calendar_token
from .rules import can_reset_two_factor
from .selectors import two_factor_required

logger = logging.getLogger(__name__)


def reset_calendar_token(*, user: User) -> str:
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


# Two-factor sign-in: an authenticator app (django-otp's TOTP device, confirmed with
# a first code before it counts) and one-time recovery codes (its static device).

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
SIX_DIGITS = re.compile(r"^[0-9]{6}$")

WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your app shows now, or one of "
    "your recovery codes."
)


@dataclass(frozen=True)
class CodeCheck:
    """What a code typed at sign-in (or to turn two-factor off) came to."""

    device: Device | None
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)

    @property
    def message(self) -> str:
        if self.wait_seconds:
            unit = "second" if self.wait_seconds == 1 else "seconds"
            return (
                f"Too many wrong codes: wait {self.wait_seconds} {unit}, then try "
                "again."
            )
        return WRONG_CODE


@dataclass(frozen=True)
class TwoFactorOn:
    device: TOTPDevice
    recovery_codes: list[str]


def normalise_code(code: str) -> str:
    """Codes as people type them: `123 456`, `ABCD-EFGH`."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _check(device: Device, code: str) -> CodeCheck:
    """Verify `code` on `device` (locked by the caller). django-otp's throttle counts
    wrong codes on the device, in the database: after n wrong codes in a row the
    device refuses any code for 2^(n-1) seconds, across sessions."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        seconds = (until - timezone.now()).total_seconds() if until else 1
        return CodeCheck(None, wait_seconds=max(1, math.ceil(seconds)))
    if device.verify_token(code):
        return CodeCheck(device)
    return CodeCheck(None)


def two_factor_check(*, user: User, code: str) -> CodeCheck:
    """`code` for `user`'s second factor: six digits are asked of the authenticator
    app, anything else of the recovery codes (a recovery code then stops working)."""
    code = normalise_code(code)
    model = TOTPDevice if SIX_DIGITS.match(code) else StaticDevice
    # The throttle's count is written whatever the outcome: no exception may roll
    # this transaction back. The row lock serialises two tries at once.
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None or not code:
            return CodeCheck(None)
        check = _check(device, code)
    if not check.ok:
        logger.warning(
            "two-factor code refused for user %s (%s)",
            user.pk,
            "waiting" if check.wait_seconds else "wrong",
        )
    return check


def two_factor_start(*, user: User) -> TOTPDevice:
    """The authenticator-app device `user` is setting up, not in use until confirmed
    with a code (two_factor_confirm). An unfinished set-up is reused, so that
    reloading the page does not change a secret already scanned."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Two-factor sign-in is already on.")
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    return device


def two_factor_confirm(*, user: User, code: str) -> TwoFactorOn:
    """Turn two-factor sign-in on: `code` must be the current code of the device
    being set up. Returns it with a fresh set of recovery codes (shown once)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            check = None
        else:
            check = _check(device, normalise_code(code))
            if check.ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                codes = _new_recovery_codes(user)
    if check is None:
        raise ValidationError("This set-up has ended: start again.")
    if not check.ok:
        # The set-up page asks for the app's code only.
        raise ValidationError(
            check.message
            if check.wait_seconds
            else "That code is not right. Enter the 6-digit code your app shows now "
            "(check that your phone's clock is right)."
        )
    logger.info("two-factor sign-in turned on for user %s", user.pk)
    return TwoFactorOn(device=device, recovery_codes=codes)


def _new_recovery_codes(user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.throttle_reset()
    tokens: set[str] = set()
    while len(tokens) < RECOVERY_CODE_COUNT:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return sorted(format_recovery_code(t) for t in tokens)


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes for `user`; the old ones stop working at once."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError("Turn two-factor sign-in on first.")
        codes = _new_recovery_codes(user)
    logger.info("recovery codes made anew for user %s", user.pk)
    return codes


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn `user`'s two-factor sign-in off, proven with a current code or a recovery
    code; refused while it is required for them."""
    if two_factor_required(user):
        raise ValidationError(
            "Two-factor sign-in is required for your account: it cannot be turned off."
        )
    check = two_factor_check(user=user, code=code)
    if not check.ok:
        raise ValidationError(check.message)
    _remove_devices(user)
    logger.info("two-factor sign-in turned off by user %s", user.pk)


def two_factor_reset(*, user: User, by: User) -> bool:
    """An admin turns `user`'s two-factor sign-in off (a lost phone): they sign in
    with their password alone until they set it up again, which they must at once
    if it is required for them. Returns whether it was on."""
    if not can_reset_two_factor(by):
        raise PermissionDenied("Only admins reset two-factor sign-in.")
    with transaction.atomic():
        was_on = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        _remove_devices(user)
    logger.info("two-factor sign-in of user %s reset by user %s", user.pk, by.pk)
    return was_on


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
