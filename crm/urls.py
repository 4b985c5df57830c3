from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

# Each app routes its own pages, each path once. A page that shows several apps'
# data (a client with its health) belongs to the highest app involved.
urlpatterns = [
    path("", include("followups.urls")),
    path("", include("clients.urls")),
    path("", include("placements.urls")),
    path("", include("activities.urls")),
    path("", include("dashboards.urls")),
    path("accounts/", include("accounts.urls")),
    path("imports/", include("imports.urls")),
    path("", include("ops.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url="/static/favicon.svg", permanent=True)
        ),
    ),
]

admin.site.site_header = "Keep in Touch CRM administration"
admin.site.site_title = "CRM admin"
