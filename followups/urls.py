from django.urls import path

from .views import actions, calendar, email_links, plans, profile, records, today

app_name = "followups"

urlpatterns = [
    path("", today.dashboard, name="dashboard"),
    # Records with what follow-ups add to them (health, open follow-ups, the plan).
    path("clients/", records.ClientListView.as_view(), name="client_list"),
    path("clients/<int:pk>/", records.client_detail, name="client_detail"),
    path("contacts/<int:pk>/", records.contact_detail, name="contact_detail"),
    path("candidates/", records.CandidateListView.as_view(), name="candidate_list"),
    path("candidates/<int:pk>/", records.candidate_detail, name="candidate_detail"),
    path("placements/<int:pk>/", records.placement_detail, name="placement_detail"),
    path(
        "placements/<int:pk>/reassign-followups/",
        actions.placement_reassign_followups,
        name="placement_reassign_followups",
    ),
    # Follow-ups
    path("followups/", actions.followup_list, name="followup_list"),
    path("followups/new/", actions.followup_create, name="followup_create"),
    path("followups/<int:pk>/", actions.followup_detail, name="followup_detail"),
    path(
        "followups/<int:pk>/done/", actions.followup_complete, name="followup_complete"
    ),
    path("followups/<int:pk>/snooze/", actions.followup_snooze, name="followup_snooze"),
    path(
        "followups/<int:pk>/reassign/",
        actions.followup_reassign,
        name="followup_reassign",
    ),
    # Plans
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path(
        "plans/<int:pk>/make-default/",
        plans.plan_make_default,
        name="plan_make_default",
    ),
    path("plans/rules/<int:pk>/edit/", plans.rule_edit, name="rule_edit"),
    path("plans/rules/<int:pk>/delete/", plans.rule_delete, name="rule_delete"),
    path("plans/rules/<int:pk>/move/", plans.rule_move, name="rule_move"),
    # Links in emails: signed, no sign-in needed.
    path("email/act/<str:token>/", email_links.email_action, name="email_action"),
    path(
        "email/undo/<str:token>/",
        email_links.email_action_undo,
        name="email_action_undo",
    ),
    path(
        "email/unsubscribe/<str:token>/",
        email_links.email_unsubscribe,
        name="email_unsubscribe",
    ),
    # The profile with the digest history; the calendar feed (its token is the secret).
    path("accounts/profile/", profile.profile, name="profile"),
    path("digests/preview/", profile.digest_preview, name="digest_preview"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
