from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from core.ratelimit import Limit, by_address, by_field, rate_limited
from core.views import safe_next_url

from .services import reset_calendar_token


@require_POST
def calendar_reset(request):
    """A new secret calendar URL; the old one stops working at once."""
    reset_calendar_token(user=request.user)
    messages.success(
        request, "Your calendar link is new. Subscribe again with the link below."
    )
    # Back to the page that asked (the profile, a followups page this app may not
    # name), or home.
    return redirect(safe_next_url(request, default="/"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Back to the page the user came from (`next`), or home, with a message."""

    def get_success_url(self) -> str:
        return safe_next_url(self.request, default="/")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed.")
        return response


# Sending the form counts per email typed and per address, whether the account
# exists or not: the limit, like the page after it, tells nothing about that.
@method_decorator(
    rate_limited(
        Limit("password-reset", "RATE_LIMIT_PASSWORD_RESET", by_field("email")),
        Limit(
            "password-reset-address", "RATE_LIMIT_PASSWORD_RESET_ADDRESS", by_address
        ),
        methods={"POST"},
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Links in emails come from SITE_URL (read when the email is sent), never from
    the request's Host header."""

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {
            "site_name": settings.SITE_NAME,
            "domain": site.netloc,
            "protocol": site.scheme,
        }
        return super().form_valid(form)
