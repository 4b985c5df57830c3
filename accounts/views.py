from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ProfileForm
from .models import User
from .services import reset_calendar_token


@require_http_methods(["GET", "HEAD", "POST"])
def profile(
    request,
    *,
    template_name: str = "accounts/profile.html",
    extra_context: dict | None = None,
):
    """The profile page. Apps above this one add their own sections by rendering a
    template that extends this one, with `extra_context` (crm/urls.py routes it)."""
    # A copy: a refused form fills its instance with the valid part of the input,
    # and the page would show those unsaved values as the signed-in user.
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    feed_url = settings.SITE_URL + reverse(
        "calendar_feed", args=[request.user.calendar_token]
    )
    return render(
        request,
        template_name,
        {"form": form, "feed_url": feed_url, **(extra_context or {})},
    )


@require_POST
def calendar_reset(request):
    """A new secret calendar URL; the old one stops working at once."""
    reset_calendar_token(user=request.user)
    messages.success(
        request, "Your calendar link is new. Subscribe again with the link below."
    )
    return redirect(reverse("profile") + "#calendar")


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
