from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse

from accounts.models import User
from core.ratelimit import Limit, by_url, rate_limited

from ..calendar import followups_ics


# Per token only (calendar apps poll from a few shared addresses), and over the
# limit a plain-text 429, which calendar apps read.
@login_not_required
@rate_limited(Limit("calendar", "RATE_LIMIT_CALENDAR", by_url("token")), plain=True)
def calendar_feed(request, token: str):
    """A private ICS feed of a user's open follow-ups; the token is the secret."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or len(token) < 20:
        raise Http404("Unknown calendar.")
    response = HttpResponse(
        followups_ics(user=user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="followups.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
