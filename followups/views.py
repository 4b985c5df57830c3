from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AgencySettings, User
from accounts.selectors import managed_user_ids
from accounts.views import profile as profile_view
from clients.models import Candidate, Contact
from clients.views import (
    CandidateDetailView,
    CandidateListView,
    ClientDetailView,
    ClientListView,
    ContactDetailView,
)
from core.forms import add_service_errors
from core.views import csv_export, safe_next_url
from placements.models import Placement
from placements.views import PlacementDetailView

from . import delivery, email_actions, plan_services, services
from .calendar import followups_ics
from .filters import CandidateHealthFilter, ClientHealthFilter, FollowUpFilter
from .forms import (
    CompleteForm,
    FollowUpCreateForm,
    PlanForm,
    PreviewForm,
    ReassignForm,
    RuleForm,
    SnoozeForm,
)
from .models import EmailDelivery, FollowUp, FollowUpPlan, PlanRule
from .selectors import (
    dashboard_sections,
    describe_health,
    get_followup_for_user,
    placement_followups,
    plan_preview,
    with_health,
    with_last_touch,
)

# The recruiter's dashboard


def dashboard(request):
    user = request.user
    today = user.local_today()
    context = {
        "today": today,
        "sections": dashboard_sections(user=user, today=today),
        "reassign_form": ReassignForm(user=user),
        "outcomes": FollowUp.Outcome.choices,
        "tomorrow": today + timedelta(days=1),
        "next_week": today + timedelta(days=7),
    }
    template = (
        "followups/_sections.html" if request.htmx else "followups/dashboard.html"
    )
    return render(request, template, context)


def _after_action(request, followup: FollowUp, message: str):
    if request.htmx:
        response = dashboard(request)
        response["HX-Trigger"] = '{"followupChanged": ""}'
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


# The follow-up list's CSV columns (see views.csv_export).
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
        if int(request.GET["user"]) not in managed_user_ids(user):
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
    query = request.GET.copy()
    query.pop("page", None)
    for field in filterset.form.fields.values():
        css = (
            "form-select"
            if field.widget.__class__.__name__.endswith("Select")
            else "form-control"
        )
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")
    team = (
        User.objects.filter(pk__in=managed_user_ids(user)).order_by("first_name")
        if (user.is_manager or user.is_admin)
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
            "querystring": query.urlencode(),
            "owner": owner,
            "team": team,
            "today": owner.local_today(),
            "title": "Follow-ups",
            "is_filtered": any(
                v for k, v in request.GET.items() if k not in ("page", "user")
            ),
        },
    )


@login_not_required
def calendar_feed(request, token: str):
    """A private ICS feed of a user's open follow-ups; the token is the secret."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None or len(token) < 20:
        raise Http404("Unknown calendar.")
    response = HttpResponse(
        followups_ics(user=user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="followups.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# Pages of lower apps, with what follow-ups add to them. crm/urls.py routes the
# same paths here, so the lower apps never import this one.


class PlacementWithFollowupsView(PlacementDetailView):
    template_name = "followups/placement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(placement_followups(placement=self.object))
        return ctx


@require_POST
def placement_reassign_followups(request, pk: int):
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


class HealthListMixin:
    def get_queryset(self):
        return with_health(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        for obj in ctx["object_list"]:
            obj.health = describe_health(obj)
        ctx["show_health"] = True
        return ctx


class FollowupsDetailMixin:
    """Adds the record's open follow-ups and a link to add one by hand."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["followups"] = (
            self.object.followups.filter(status=FollowUp.Status.OPEN)
            .select_related("assigned_to", "candidate", "contact")
            .order_by("due_date")
        )
        if isinstance(self.object, Contact | Candidate):
            field = self.object._meta.model_name
            ctx["add_followup_url"] = (
                f"{reverse('followups:followup_create')}?{field}={self.object.pk}"
            )
        return ctx


class HealthDetailMixin(FollowupsDetailMixin):
    def get_queryset(self):
        return with_health(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object.health = describe_health(self.object)
        return super().get_context_data(**kwargs)


class ClientHealthListView(HealthListMixin, ClientListView):
    filterset_class = ClientHealthFilter


class ClientHealthDetailView(HealthDetailMixin, ClientDetailView):
    pass


class CandidateHealthListView(HealthListMixin, CandidateListView):
    filterset_class = CandidateHealthFilter


class CandidateHealthDetailView(HealthDetailMixin, CandidateDetailView):
    pass


class ContactWithFollowupsView(FollowupsDetailMixin, ContactDetailView):
    pass


# Follow-up plans


def _require_plan_editor(user):
    if not plan_services.can_edit_plans(user):
        raise Http404("Only managers edit follow-up plans.")


def plan_list(request):
    _require_plan_editor(request.user)
    plans = FollowUpPlan.objects.all().prefetch_related("rules")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = plan_services.plan_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"Plan “{plan}” created. Add its rules.")
        return redirect(plan.get_absolute_url())
    return render(request, "followups/plan_list.html", {"plans": plans, "form": form})


def plan_detail(request, pk: int):
    _require_plan_editor(request.user)
    plan = get_object_or_404(FollowUpPlan, pk=pk)
    rule_form = RuleForm(request.POST or None, prefix="rule")
    if request.method == "POST" and rule_form.is_valid():
        plan_services.rule_add(plan=plan, by=request.user, **rule_form.cleaned_data)
        messages.success(
            request, "Rule added. Existing placements get it within the hour."
        )
        return redirect(plan.get_absolute_url())
    today = request.user.local_today()
    preview_form = PreviewForm(
        request.GET if "start_date" in request.GET else None,
        initial={"start_date": today, "end_date": today + timedelta(days=180)},
    )
    sample = (
        preview_form.cleaned_data
        if preview_form.is_bound and preview_form.is_valid()
        else {
            "start_date": today,
            "end_date": today + timedelta(days=180),
            "guarantee_days": 90,
        }
    )
    return render(
        request,
        "followups/plan_detail.html",
        {
            "plan": plan,
            "rules": plan.rules.all(),
            "rule_form": rule_form,
            "preview_form": preview_form,
            "preview": plan_preview(plan=plan, **sample),
            "sample": sample,
        },
    )


def rule_edit(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        plan_services.rule_update(rule=rule, by=request.user, **form.cleaned_data)
        messages.success(request, "Rule saved.")
        return redirect(rule.plan.get_absolute_url())
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": f"Edit rule of {rule.plan}",
            "submit_label": "Save rule",
            "cancel_url": rule.plan.get_absolute_url(),
        },
    )


@require_POST
def rule_delete(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    plan = rule.plan
    plan_services.rule_delete(rule=rule, by=request.user)
    messages.success(request, "Rule removed; its open follow-ups are cancelled.")
    return redirect(plan.get_absolute_url())


@require_POST
def rule_move(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    plan_services.rule_move(
        rule=rule,
        by=request.user,
        direction=-1 if request.POST.get("direction") == "up" else 1,
    )
    return redirect(rule.plan.get_absolute_url())


@require_POST
def plan_make_default(request, pk: int):
    plan = get_object_or_404(FollowUpPlan, pk=pk)
    if not request.user.is_admin:
        raise Http404("Only admins choose the default plans.")
    plan_services.plan_make_default(plan=plan, by=request.user)
    messages.success(
        request,
        f"New {plan.get_placement_type_display().lower()} placements now get “{plan}”.",
    )
    return redirect(plan.get_absolute_url())


# Email: links that act without signing in, unsubscribe, digest history and preview


def _email_link_page(request, result, *, template="followups/email_action.html"):
    # Times on the page in the follow-up owner's zone: nobody is signed in.
    zone = result.user.tzinfo if result.user is not None else None
    with timezone.override(zone):
        response = render(request, template, {"result": result}, status=result.status)
    # A link in an email is a secret: keep it out of caches and search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_action(request, token: str):
    """A done or snooze link from a digest. Opening it (GET, HEAD: what mail security
    scanners do too) changes nothing and asks; the page's button (POST) acts, once,
    then offers an undo."""
    if request.method == "HEAD":
        return HttpResponse(headers={"Cache-Control": "no-store"})
    if request.method == "GET":
        return _email_link_page(
            request, email_actions.email_action_preview(token=token)
        )
    return _email_link_page(request, email_actions.email_action_apply(token=token))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_action_undo(request, token: str):
    if request.method == "HEAD":
        return HttpResponse(headers={"Cache-Control": "no-store"})
    if request.method == "GET":
        return _email_link_page(request, email_actions.email_undo_preview(token=token))
    return _email_link_page(request, email_actions.email_action_undo(token=token))


@login_not_required
@csrf_exempt  # RFC 8058: mail providers POST here without a session or a token
@require_http_methods(["GET", "HEAD", "POST"])
def email_unsubscribe(request, token: str):
    """GET shows a button (link scanners must not unsubscribe anyone); POST, from
    that button or from the mail client's one-click unsubscribe, turns it off."""
    target = email_actions.unsubscribe_target(token)
    if target is None:
        response = render(
            request, "followups/email_unsubscribe.html", {"invalid": True}, status=400
        )
    else:
        done = request.method == "POST"
        if done:
            email_actions.email_unsubscribe(target=target)
        response = render(
            request,
            "followups/email_unsubscribe.html",
            {"target": target, "done": done},
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def profile_with_digests(request):
    """The profile page with the user's email history and the preview button."""
    default_hour = AgencySettings.load().digest_hour_default
    return profile_view(
        request,
        template_name="followups/profile.html",
        extra_context={
            "deliveries": EmailDelivery.objects.history_for(request.user)[:30],
            "digest_time": f"{request.user.digest_hour_or(default_hour):02d}:00",
        },
    )


@require_POST
def digest_preview(request):
    try:
        sent = delivery.digest_preview_send(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent.status == EmailDelivery.Status.SENT:
            messages.success(
                request,
                f"A preview of today's digest is on its way to {request.user.email}. "
                "It does not count as the day's digest.",
            )
        else:
            messages.error(request, f"The preview could not be sent: {sent.error}")
    return redirect(reverse("profile") + "#digests")
