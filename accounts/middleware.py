from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from .rules import must_use_two_factor
from .selectors import two_factor_state


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorMiddleware:
    """Two-factor sign-in, after Django's password sign-in (its LoginView, with
    django-axes counting wrong passwords as before):

    - a session signed in with a password whose user has an authenticator app is
      "half signed in" until a code is entered: every page sends it to the code page
      (accounts.two_factor_views.verify), with `next`, except signing out;
    - a user who must use two-factor sign-in (admins, staff, everyone when the
      agency's settings say so: accounts.rules.must_use_two_factor) and has not set
      it up is sent to the set-up page, and can use nothing else until done;
    - the admin site wants a verified session: its own sign-in page is no way round
      the code page (the admin's users are staff, who must set it up anyway).

    Pages anyone may open without signing in (login_not_required: the sign-in page,
    password reset, health checks, links in emails) stay open. After
    django_otp's OTPMiddleware, LoginRequiredMiddleware and MessageMiddleware."""

    OPEN = frozenset({"logout"})
    VERIFY = "two_factor_verify"
    SET_UP = frozenset({"two_factor", "two_factor_setup", "two_factor_codes"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        in_admin = bool(match) and match.app_name == "admin"
        if name in self.OPEN or (
            not in_admin and not getattr(view_func, "login_required", True)
        ):
            return None
        state = two_factor_state(user)
        if state.has_device:
            return None if name == self.VERIFY else self._send(request, self.VERIFY)
        if name in self.SET_UP:
            return None
        if must_use_two_factor(user, agency_requires=state.agency_requires):
            # The set-up page says why.
            return self._send(request, "two_factor_setup")
        return None

    @staticmethod
    def _send(request, name: str):
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
