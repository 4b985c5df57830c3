from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("team/", views.team_dashboard, name="team"),
    path("team/export/<slug:table>.csv", views.team_export, name="export"),
    path("team/list/<slug:measure>/", views.drilldown_list, name="drilldown"),
    path(
        "team/list/<slug:measure>.csv",
        views.drilldown_export,
        name="drilldown_export",
    ),
]
