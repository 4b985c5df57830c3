"""Acting on follow-ups: done, snooze, reassign (from the dashboard, with htmx, or
from a follow-up's page), adding one by hand, and the filtered list with its CSV."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts.models import User
from accounts.rules import can_manage, can_see_team_dashboard
from accounts.selectors import managed_user_ids
from clients.models import Candidate, Contact
from core.forms import add_service_errors
from core.views import csv_export, safe_next_url
from placements.models import Placement

from .. import services
from ..filters import FollowUpFilter
from ..forms import CompleteForm, FollowUpCreateForm, ReassignForm, SnoozeForm
from ..models import FollowUp
from ..selectors import get_followup_for_user, with_last_touch
from .today import dashboard


def _after_action(request, followup: FollowUp, message: str):
    if request.htmx:
        response = dashboard(request)
        trigger_client_event(response, "followupChanged")
        # Tell screen readers what happened.
        response.content += format_html(
            '<div id="action-status" hx-swap-oob="true" class="visually-hidden" '
            'role="status">{}</div>',
            message,
        ).encode()
        return response
    messages.success(request, message)
    return HttpResponseRedirect(safe_next_url(request, followup.get_absolute_url()))


def _action_error(request, followup: FollowUp, error: ValidationError):
    text = " ".join(error.messages)
    if request.htmx:
        response = dashboard(request)
        response.content += format_html(
            '<div id="action-status" hx-swap-oob="true" class="alert alert-danger" '
            'role="alert">{}</div>',
            text,
        ).encode()
        return response
    messages.error(request, text)
    return HttpResponseRedirect(safe_next_url(request, followup.get_absolute_url()))


@require_POST
def followup_complete(request, pk: int):
    followup = get_followup_for_user(request.user, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        return _action_error(
            request, followup, ValidationError("Choose what happened.")
        )
    try:
        services.followup_complete(
            followup=followup,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as exc:
        return _action_error(request, followup, exc)
    return _after_action(
        request, followup, f"Done: {followup.title} with {followup.person}."
    )


@require_POST
def followup_snooze(request, pk: int):
    followup = get_followup_for_user(request.user, pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _action_error(request, followup, ValidationError("Choose a valid date."))
    try:
        services.followup_snooze(
            followup=followup, until=form.cleaned_data["until"], by=request.user
        )
    except ValidationError as exc:
        return _action_error(request, followup, exc)
    until = form.cleaned_data["until"]
    return _after_action(request, followup, f"Snoozed until {until:%a %d %b}.")


@require_POST
def followup_reassign(request, pk: int):
    followup = get_followup_for_user(request.user, pk)
    form = ReassignForm(request.POST, user=request.user)
    if not form.is_valid():
        return _action_error(request, followup, ValidationError("Choose a teammate."))
    try:
        services.followup_reassign(
            followup=followup, to=form.cleaned_data["to"], by=request.user
        )
    except ValidationError as exc:
        return _action_error(request, followup, exc)
    return _after_action(request, followup, f"Handed to {form.cleaned_data['to']}.")


@require_POST
def placement_reassign_followups(request, pk: int):
    """Hand a placement's open follow-ups to its (new) recruiter."""
    placement = get_object_or_404(Placement, pk=pk)
    try:
        moved = services.placement_reassign_open_followups(
            placement=placement, by=request.user
        )
    except PermissionDenied:
        raise Http404("No placement of yours here.") from None
    messages.success(
        request,
        f"{moved} open follow-up{'s' if moved != 1 else ''} moved to {placement.recruiter}.",
    )
    return redirect(placement.get_absolute_url())


def followup_detail(request, pk: int):
    followup = get_followup_for_user(request.user, pk)
    today = followup.assigned_to.local_today()
    return render(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "complete_form": CompleteForm(),
            "snooze_form": SnoozeForm(initial={"until": today + timedelta(days=7)}),
            "reassign_form": ReassignForm(user=request.user),
            "today": today,
            "tomorrow": today + timedelta(days=1),
            "next_week": today + timedelta(days=7),
        },
    )


def followup_create(request):
    """A one-off follow-up for a contact or candidate (?contact=ID or ?candidate=ID)."""
    params = request.GET  # the form posts back to the same URL, query string included
    person: Contact | Candidate
    if params.get("contact", "").isdecimal():
        person = get_object_or_404(Contact, pk=params["contact"])
    elif params.get("candidate", "").isdecimal():
        person = get_object_or_404(Candidate, pk=params["candidate"])
    else:
        raise Http404("Add a follow-up from a contact's or a candidate's page.")
    form = FollowUpCreateForm(
        request.POST or None,
        user=request.user,
        initial={"due_date": request.user.local_today() + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        field = "contact" if isinstance(person, Contact) else "candidate"
        try:
            followup = services.followup_create(
                by=request.user, **{field: person}, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Follow-up added for {followup.due_date:%a %d %b}."
            )
            return redirect(person.get_absolute_url())
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": f"Add a follow-up with {person}",
            "submit_label": "Add follow-up",
            "cancel_url": person.get_absolute_url(),
        },
    )


# The follow-up list's CSV columns (see core.views.csv_export).
FOLLOWUP_EXPORT = (
    ("Due", "due_date"),
    ("Follow-up", "title"),
    ("Kind", "get_kind_display"),
    ("With", "person"),
    ("Client", lambda f: f.client or (f.contact.client if f.contact else "")),
    ("Status", "get_status_display"),
    ("Outcome", "get_outcome_display"),
    ("Outcome note", "note"),
    ("Assigned to", "assigned_to"),
    ("Done on", "completed_on"),
)


def followup_list(request):
    """All of a user's follow-ups, filtered; managers switch to a team member's."""
    user = request.user
    owner = user
    if request.GET.get("user", "").isdecimal() and int(request.GET["user"]) != user.pk:
        if not can_manage(user, int(request.GET["user"])):
            raise Http404("No list of yours here.")
        owner = get_object_or_404(User, pk=request.GET["user"])
    base = with_last_touch(
        FollowUp.objects.filter(assigned_to=owner).for_person_select()
    )
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = FollowUp.Status.OPEN
    filterset = FollowUpFilter(data, queryset=base, request=request, owner=owner)
    if request.GET.get("export") == "csv":
        return csv_export(
            filterset.qs.iterator(chunk_size=2000), FOLLOWUP_EXPORT, "follow-ups"
        )
    paginator = Paginator(filterset.qs, 25)
    page = paginator.get_page(request.GET.get("page"))
    for field in filterset.form.fields.values():
        css = (
            "form-select"
            if field.widget.__class__.__name__.endswith("Select")
            else "form-control"
        )
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")
    team = (
        User.objects.filter(pk__in=managed_user_ids(user)).order_by("first_name")
        if can_see_team_dashboard(user)
        else []
    )
    return render(
        request,
        "followups/followup_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "paginator": paginator,
            "object_list": page.object_list,
            "owner": owner,
            "team": team,
            "today": owner.local_today(),
            "title": "Follow-ups",
            "is_filtered": any(
                v for k, v in request.GET.items() if k not in ("page", "user")
            ),
        },
    )
