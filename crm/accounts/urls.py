from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/profile/"),
        name="password_change",
    ),
    # Links in emails come from SITE_URL, never from the request's Host header.
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={
                "site_name": settings.SITE_NAME,
                "domain": urlsplit(settings.SITE_URL).netloc,
                "protocol": urlsplit(settings.SITE_URL).scheme,
            },
        ),
        name="password_reset",
    ),
    path("", include("django.contrib.auth.urls")),
]
