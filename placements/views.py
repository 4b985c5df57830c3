from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView, View

from accounts.models import AgencySettings
from accounts.rules import can_edit
from clients.models import Candidate
from core.views import RecordCreateView, RecordListView, RecordUpdateView, get_for_edit

from . import services
from .filters import JobFilter, PlacementFilter
from .forms import JobForm, PlacementCancelForm, PlacementForm
from .models import Job, Placement


class JobListView(RecordListView):
    filterset_class = JobFilter
    queryset = Job.objects.select_related("client", "hiring_contact", "owner")
    template_name = "placements/job_list.html"
    title = "Jobs"
    export_columns = (
        ("Title", "title"),
        ("Client", "client.name"),
        ("Status", "get_status_display"),
        ("Location", "location"),
        ("Hiring contact", "hiring_contact"),
        ("Owner", "owner"),
        ("Opened on", "opened_on"),
        ("Created", "created_at.date"),
    )


class JobDetailView(DetailView):
    queryset = Job.objects.select_related("client", "hiring_contact", "owner")
    template_name = "placements/job_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = can_edit(self.request.user, self.object)
        ctx["placements"] = self.object.placements.select_related(
            "candidate", "recruiter"
        )
        return ctx


class JobCreateView(RecordCreateView):
    form_class = JobForm
    title = "New job"
    success_message = "Job created."

    def call_service(self, data):
        return services.job_create(by=self.request.user, **data)

    def get_cancel_url(self) -> str:
        return reverse("placements:job_list")


class JobUpdateView(RecordUpdateView):
    model = Job
    form_class = JobForm

    def call_service(self, data):
        return services.job_update(job=self.object, by=self.request.user, **data)


class PlacementListView(RecordListView):
    filterset_class = PlacementFilter
    queryset = Placement.objects.select_related(
        "candidate", "client", "job", "recruiter"
    )
    template_name = "placements/placement_list.html"
    title = "Placements"
    export_columns = (
        ("Candidate", "candidate"),
        ("Candidate email", "candidate.email"),
        ("Client", "client.name"),
        ("Job title", "job.title"),
        ("Type", "get_placement_type_display"),
        ("Status", "get_status_display"),
        ("Start date", "start_date"),
        ("End date", "end_date"),
        ("Fee", "fee"),
        ("Currency", "currency"),
        ("Salary or rate", "pay"),
        ("Pay basis", "get_pay_basis_display"),
        ("Guarantee days", "guarantee_days"),
        ("Recruiter", "recruiter"),
    )


class PlacementCreateView(RecordCreateView):
    form_class = PlacementForm
    title = "Record a placement"
    submit_label = "Record placement"
    success_message = "Placement recorded."

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        job = (
            Job.objects.filter(pk=initial.get("job")).first()
            if initial.get("job")
            else None
        )
        if job is not None:
            initial.setdefault("contact", job.hiring_contact_id)
        initial.setdefault("currency", AgencySettings.load().default_currency)
        return initial

    def call_service(self, data):
        return services.placement_create(by=self.request.user, **data)

    def get_cancel_url(self) -> str:
        # Back to where the user came from: the job's or the candidate's page.
        initial = self.get_initial()
        if initial.get("job"):
            return reverse("placements:job_detail", args=[initial["job"]])
        if initial.get("candidate"):
            # Only the id is needed for the link: no query.
            return Candidate(pk=initial["candidate"]).get_absolute_url()
        return reverse("placements:placement_list")


class PlacementUpdateView(RecordUpdateView):
    model = Placement
    form_class = PlacementForm

    def call_service(self, data):
        return services.placement_update(
            placement=self.object, by=self.request.user, **data
        )


class PlacementCancelView(View):
    template_name = "placements/placement_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        self.placement = get_for_edit(request.user, Placement, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk: int):
        return self.render(PlacementCancelForm())

    def post(self, request, pk: int):
        form = PlacementCancelForm(request.POST)
        if form.is_valid():
            try:
                services.placement_cancel(
                    placement=self.placement,
                    reason=form.cleaned_data["reason"],
                    status=form.cleaned_data["status"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("reason", exc.messages)
            else:
                messages.success(
                    request,
                    "The placement is closed; its open follow-ups are cancelled.",
                )
                return HttpResponseRedirect(self.placement.get_absolute_url())
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "placement": self.placement},
        )
