from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render

from ..forms import ReassignForm
from ..models import FollowUp
from ..selectors import dashboard_sections


def dashboard(request):
    """The recruiter's day: overdue, today and the coming week."""
    user = request.user
    today = user.local_today()
    context = {
        "today": today,
        "sections": dashboard_sections(user=user, today=today),
        "reassign_form": ReassignForm(user=user),
        "outcomes": FollowUp.Outcome.choices,
        "tomorrow": today + timedelta(days=1),
        "next_week": today + timedelta(days=7),
    }
    template = (
        "followups/_sections.html" if request.htmx else "followups/dashboard.html"
    )
    return render(request, template, context)
