from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("followups/", views.followup_list, name="followup_list"),
    path("followups/new/", views.followup_create, name="followup_create"),
    path("followups/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("followups/<int:pk>/done/", views.followup_complete, name="followup_complete"),
    path("followups/<int:pk>/snooze/", views.followup_snooze, name="followup_snooze"),
    path(
        "followups/<int:pk>/reassign/",
        views.followup_reassign,
        name="followup_reassign",
    ),
    path(
        "placements/<int:pk>/reassign-followups/",
        views.placement_reassign_followups,
        name="placement_reassign_followups",
    ),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path(
        "plans/<int:pk>/make-default/",
        views.plan_make_default,
        name="plan_make_default",
    ),
    path("plans/rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("plans/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("plans/rules/<int:pk>/move/", views.rule_move, name="rule_move"),
    # Links in emails: signed, no sign-in needed.
    path("email/act/<str:token>/", views.email_action, name="email_action"),
    path("email/undo/<str:token>/", views.email_action_undo, name="email_action_undo"),
    path(
        "email/unsubscribe/<str:token>/",
        views.email_unsubscribe,
        name="email_unsubscribe",
    ),
    path("digests/preview/", views.digest_preview, name="digest_preview"),
]
