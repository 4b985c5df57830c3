"""The private ICS feed of a user's open follow-ups (icalendar builds the file)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User

from .models import FollowUp


def followups_ics(*, user: User) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Keep in Touch CRM//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Follow-ups: {user}")
    host = urlsplit(settings.SITE_URL).netloc or "crm"
    stamp = timezone.now()
    rows = (
        FollowUp.objects.open()
        .filter(assigned_to=user)
        .select_related("candidate", "contact", "contact__client", "client")
        .order_by("due_date", "pk")
    )
    for f in rows:
        event = Event()
        event.add("uid", f"followup-{f.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", f.due_date)
        event.add("dtend", f.due_date + timedelta(days=1))
        company = f" ({f.company})" if f.company else ""
        event.add("summary", f"{f.title}: {f.person}{company}")
        lines = [f.talking_points] if f.talking_points else []
        if f.person.phone:
            lines.append(f"Phone: {f.person.phone}")
        if f.person.email:
            lines.append(f"Email: {f.person.email}")
        lines.append(settings.SITE_URL + f.get_absolute_url())
        event.add("description", "\n".join(lines))
        event.add("url", settings.SITE_URL + f.get_absolute_url())
        cal.add_component(event)
    return cal.to_ical()
