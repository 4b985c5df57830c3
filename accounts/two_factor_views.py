"""Two-factor sign-in pages: set up an authenticator app, see and renew the recovery
codes, turn it off, and the code page of sign-in (accounts.middleware sends a
session there after the password until a code is entered)."""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.views import safe_next_url

from .forms import CodeForm
from .selectors import two_factor_required, two_factor_state, two_factor_summary
from .services import (
    recovery_codes_regenerate,
    two_factor_check,
    two_factor_confirm,
    two_factor_disable,
    two_factor_start,
)

# Wrong codes in a row that end a half-signed-in session (back to the password).
MAX_WRONG_CODES = 5
WRONG_CODES_KEY = "two_factor_wrong_codes"
# New recovery codes, from the moment they are made to the page that shows them.
NEW_CODES_KEY = "two_factor_new_codes"


def qr_code_data_uri(text: str) -> str:
    """`text` as a QR code: an SVG made here, inline as a data: URI (no request to
    anyone else, and allowed by a strict Content-Security-Policy)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=2,
    )
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def grouped_secret(device: TOTPDevice) -> str:
    """The secret as an app's "enter a key" screen wants it, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@never_cache
def overview(request):
    """Is two-factor sign-in on, and what can be done about it."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "summary": two_factor_summary(request.user),
            "required": two_factor_required(request.user),
            # Where the user came from (the profile, a page this app may not name).
            "next": safe_next_url(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    """Scan the QR code (or type the secret), then prove it with a code: nothing is
    on until then."""
    user = request.user
    next_url = safe_next_url(request)
    if two_factor_state(user).has_device:
        messages.info(request, "Two-factor sign-in is already on.")
        return redirect("two_factor")
    form = CodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            on = two_factor_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            # A new session key for the session that now counts as verified.
            request.session.cycle_key()
            otp_login(request, on.device)
            request.session[NEW_CODES_KEY] = on.recovery_codes
            messages.success(request, "Two-factor sign-in is on.")
            return redirect(_with_next("two_factor_codes", next_url))
    device = two_factor_start(user=user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": grouped_secret(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url,
            "required": two_factor_required(user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def codes(request):
    """New recovery codes, shown once (with a text file to keep); POST makes new
    ones, and the old ones stop working."""
    user = request.user
    if not two_factor_state(user).has_device:
        return redirect("two_factor_setup")
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = recovery_codes_regenerate(user=user)
        messages.success(
            request, "Here are your new recovery codes. The old ones no longer work."
        )
        return redirect("two_factor_codes")
    new_codes = request.session.pop(NEW_CODES_KEY, None)
    context = {
        "codes": new_codes,
        "summary": two_factor_summary(user),
        "next": safe_next_url(request, default=reverse("two_factor")),
    }
    if new_codes:
        text = (
            f"{settings.SITE_NAME}: recovery codes for {user.email}\n"
            "Each code works once, in place of a code from your app.\n\n"
            + "\n".join(new_codes)
            + "\n"
        )
        context["download_url"] = "data:text/plain;charset=utf-8," + quote(text)
    return render(request, "accounts/two_factor_codes.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def disable(request):
    """Turn two-factor sign-in off, with a current code or a recovery code; not
    while it is required."""
    user = request.user
    if not two_factor_state(user).has_device:
        return redirect("two_factor")
    required = two_factor_required(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not required and form.is_valid():
        try:
            two_factor_disable(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, "Two-factor sign-in is off: you sign in with your password."
            )
            return redirect("two_factor")
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form, "required": required},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the app, or a recovery code. Five
    wrong codes in a row end the session (back to the password); the device's own
    throttle (services._check) makes each further try wait longer."""
    user = request.user
    next_url = safe_next_url(request, default=resolve_url(settings.LOGIN_REDIRECT_URL))
    if user.is_verified() or not two_factor_state(user).has_device:
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor_check(user=user, code=form.cleaned_data["code"])
        if check.ok:
            request.session.pop(WRONG_CODES_KEY, None)
            request.session.cycle_key()
            otp_login(request, check.device)
            if check.used_recovery_code:
                left = two_factor_summary(user).recovery_codes_left
                messages.warning(
                    request,
                    f"You signed in with a recovery code, which no longer works; "
                    f"{left} left. Make new ones on your two-factor page if you are "
                    "running out.",
                )
            return redirect(next_url)
        wrong = request.session.get(WRONG_CODES_KEY, 0) + 1
        if wrong >= MAX_WRONG_CODES:
            logout(request)
            messages.error(request, "Too many wrong codes. Sign in again.")
            return redirect(settings.LOGIN_URL)
        request.session[WRONG_CODES_KEY] = wrong
        left = MAX_WRONG_CODES - wrong
        form.add_error(
            "code",
            f"{check.message} {left} {'try' if left == 1 else 'tries'} left before "
            "you are signed out.",
        )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": next_url}
    )
