from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .services import reset_calendar_token

# The profile page shows the user's digest emails and calendar feed, so it is a
# followups page, which this app may not name; its path is fixed.
PROFILE_PATH = "/accounts/profile/"


@require_POST
def calendar_reset(request):
    """A new secret calendar URL; the old one stops working at once."""
    reset_calendar_token(user=request.user)
    messages.success(
        request, "Your calendar link is new. Subscribe again with the link below."
    )
    return redirect(PROFILE_PATH + "#calendar")


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
