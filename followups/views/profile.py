"""The signed-in user's profile: preferences, calendar address and digest emails."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import ProfileForm
from accounts.models import AgencySettings, User
from core.ratelimit import Limit, by_user, rate_limited

from .. import delivery
from ..models import EmailDelivery


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    """The profile form, the private calendar address, the email history and the
    digest preview button."""
    # A copy: a refused form fills its instance with the valid part of the input,
    # and the page would show those unsaved values as the signed-in user.
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("followups:profile")
    default_hour = AgencySettings.load().digest_hour_default
    return render(
        request,
        "followups/profile.html",
        {
            "form": form,
            "feed_url": settings.SITE_URL
            + reverse("followups:calendar_feed", args=[request.user.calendar_token]),
            "deliveries": EmailDelivery.objects.history_for(request.user)[:30],
            "digest_time": f"{request.user.digest_hour_or(default_hour):02d}:00",
        },
    )


@require_POST
@rate_limited(Limit("digest-preview", "RATE_LIMIT_DIGEST_PREVIEW", by_user))
def digest_preview(request):
    try:
        sent = delivery.digest_preview_send(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent.status == EmailDelivery.Status.SENT:
            messages.success(
                request,
                f"A preview of today's digest is on its way to {request.user.email}. "
                "It does not count as the day's digest.",
            )
        else:
            messages.error(request, f"The preview could not be sent: {sent.error}")
    return redirect(reverse("followups:profile") + "#digests")
