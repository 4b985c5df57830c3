from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

# Django's sign-in and password pages, each path once (three are our own versions).
# The profile page itself (accounts/profile/) is followups' view: it shows the
# user's digest emails and calendar feed.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    # Two-factor sign-in: the code step of signing in, and the user's own settings.
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/codes/", two_factor_views.codes, name="two_factor_codes"),
    path("two-factor/off/", two_factor_views.disable, name="two_factor_disable"),
]
