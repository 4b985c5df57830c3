from django.urls import path

from . import views

# A placement's page is followups' view (it shows the placement's follow-ups).
app_name = "placements"

urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/new/", views.JobCreateView.as_view(), name="job_create"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/edit/", views.JobUpdateView.as_view(), name="job_edit"),
    path("placements/", views.PlacementListView.as_view(), name="placement_list"),
    path(
        "placements/new/", views.PlacementCreateView.as_view(), name="placement_create"
    ),
    path(
        "placements/<int:pk>/edit/",
        views.PlacementUpdateView.as_view(),
        name="placement_edit",
    ),
    path(
        "placements/<int:pk>/cancel/",
        views.PlacementCancelView.as_view(),
        name="placement_cancel",
    ),
]
