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
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
