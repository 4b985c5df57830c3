from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from followups import views as followup_views

# Pages of the lower apps (clients, placements) that the follow-up engine enriches
# (relationship health, a placement's follow-ups) are routed to followups' subclasses
# of their views here, at the top, so that the lower apps never import followups.
# Same paths, so reverse("clients:client_list") and friends lead here.
enriched = [
    path("clients/", followup_views.ClientHealthListView.as_view()),
    path("clients/<int:pk>/", followup_views.ClientHealthDetailView.as_view()),
    path("candidates/", followup_views.CandidateHealthListView.as_view()),
    path("candidates/<int:pk>/", followup_views.CandidateHealthDetailView.as_view()),
    path("contacts/<int:pk>/", followup_views.ContactWithFollowupsView.as_view()),
    path("placements/<int:pk>/", followup_views.PlacementWithFollowupsView.as_view()),
]

urlpatterns = [
    path("", followup_views.dashboard, name="home"),
    # The profile page with the user's digest history (reverse("profile") leads here).
    path("accounts/profile/", followup_views.profile_with_digests),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url="/static/favicon.svg", permanent=True)
        ),
    ),
    path(
        "calendar/<str:token>.ics", followup_views.calendar_feed, name="calendar_feed"
    ),
    *enriched,
    path("", include("clients.urls")),
    path("", include("placements.urls")),
    path("", include("activities.urls")),
    path("", include("followups.urls")),
    path("", include("dashboards.urls")),
    path("imports/", include("imports.urls")),
    path("", include("ops.urls")),
]

admin.site.site_header = "Keep in Touch CRM administration"
admin.site.site_title = "CRM admin"
