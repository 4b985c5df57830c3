from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .forms import ProfileForm
from .services import reset_calendar_token


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    feed_url = settings.SITE_URL + reverse(
        "calendar_feed", args=[request.user.calendar_token]
    )
    return render(
        request, "accounts/profile.html", {"form": form, "feed_url": feed_url}
    )


@require_POST
def calendar_reset(request):
    """A new secret calendar URL; the old one stops working at once."""
    reset_calendar_token(user=request.user)
    messages.success(
        request, "Your calendar link is new. Subscribe again with the link below."
    )
    return redirect(reverse("profile") + "#calendar")
