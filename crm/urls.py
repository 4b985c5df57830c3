from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from crm.dashboards import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("accounts/", include("crm.accounts.urls")),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url="/static/favicon.svg", permanent=True)
        ),
    ),
    path("", include("clients.urls")),
    path("", include("placements.urls")),
]

admin.site.site_header = "Keep in Touch CRM administration"
admin.site.site_title = "CRM admin"
