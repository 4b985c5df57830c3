from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render

from clients.models import Activity
from placements.models import Placement


def home(request):
    """The signed-in user's start page: their placements and recent touches."""
    user = request.user
    today = user.local_today()
    mine = Placement.objects.filter(recruiter=user).select_related(
        "candidate", "client"
    )
    context = {
        "today": today,
        "starting_soon": mine.filter(
            status=Placement.Status.PENDING, start_date__lte=today + timedelta(days=30)
        ).order_by("start_date")[:10],
        "ending_soon": mine.filter(
            status=Placement.Status.ACTIVE,
            end_date__isnull=False,
            end_date__lte=today + timedelta(days=60),
        ).order_by("end_date")[:10],
        "recent_activities": Activity.objects.filter(by=user).select_related(
            "contact", "candidate", "client"
        )[:10],
        "placement_count": mine.live().count(),
    }
    return render(request, "dashboards/home.html", context)
