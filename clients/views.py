from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import DetailView, View

from accounts.selectors import can_edit_owned_by
from core.views import (
    RecordCreateView,
    RecordListView,
    RecordUpdateView,
    get_for_edit,
)

from . import services
from .filters import CandidateFilter, ClientFilter, ContactFilter
from .forms import CandidateForm, ClientForm, ContactForm
from .models import Candidate, Client, Contact


class RecordDetailView(DetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = can_edit_owned_by(self.request.user, self.object.owner_id)
        return ctx


# Clients


class ClientListView(RecordListView):
    filterset_class = ClientFilter
    queryset = Client.objects.select_related("owner")
    template_name = "clients/client_list.html"
    title = "Clients"
    export_columns = (
        ("Name", "name"),
        ("Industry", "industry"),
        ("City", "city"),
        ("Country", "country"),
        ("Website", "website"),
        ("Phone", "phone"),
        ("Status", "get_status_display"),
        ("Owner", "owner"),
        ("Created", "created_at.date"),
    )


class ClientDetailView(RecordDetailView):
    queryset = Client.objects.select_related(
        "owner", "referred_by_candidate", "referred_by_contact"
    )
    template_name = "clients/client_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        client = self.object
        ctx["contacts"] = client.contacts.active().select_related("owner")
        ctx["jobs"] = client.jobs.select_related("hiring_contact").order_by(
            "status", "-created_at"
        )
        ctx["placements"] = client.placements.select_related(
            "candidate", "job", "recruiter"
        )
        ctx["activities"] = client.activities.select_related(
            "by", "contact", "candidate"
        )[:50]
        return ctx


class ClientCreateView(RecordCreateView):
    form_class = ClientForm
    title = "New client"
    success_message = "Client created."

    def call_service(self, data):
        return services.client_create(by=self.request.user, **data)

    def get_cancel_url(self) -> str:
        return reverse("clients:client_list")


class ClientUpdateView(RecordUpdateView):
    model = Client
    form_class = ClientForm

    def call_service(self, data):
        return services.client_update(client=self.object, by=self.request.user, **data)


# Contacts


class ContactListView(RecordListView):
    filterset_class = ContactFilter
    queryset = Contact.objects.select_related("client", "owner")
    template_name = "clients/contact_list.html"
    title = "Contacts"
    export_columns = (
        ("First name", "first_name"),
        ("Last name", "last_name"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Client", "client.name"),
        ("Job title", "job_title"),
        ("Role", "get_role_display"),
        ("Owner", "owner"),
        ("Created", "created_at.date"),
    )


class ContactDetailView(RecordDetailView):
    queryset = Contact.objects.select_related(
        "client", "owner", "referred_by_candidate", "referred_by_contact"
    )
    template_name = "clients/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["kind"] = "contact"
        ctx["placements"] = self.object.placements.select_related(
            "candidate", "client", "job", "recruiter"
        )
        ctx["activities"] = self.object.activities.select_related("by", "placement")[
            :50
        ]
        return ctx


class ContactCreateView(RecordCreateView):
    form_class = ContactForm
    title = "New contact"
    success_message = "Contact created."

    def call_service(self, data):
        return services.contact_create(by=self.request.user, **data)

    def get_cancel_url(self) -> str:
        return reverse("clients:contact_list")


class ContactUpdateView(RecordUpdateView):
    model = Contact
    form_class = ContactForm

    def call_service(self, data):
        return services.contact_update(
            contact=self.object, by=self.request.user, **data
        )


# Candidates


class CandidateListView(RecordListView):
    filterset_class = CandidateFilter
    queryset = Candidate.objects.select_related("owner")
    template_name = "clients/candidate_list.html"
    title = "Candidates"
    export_columns = (
        ("First name", "first_name"),
        ("Last name", "last_name"),
        ("Email", "email"),
        ("Phone", "phone"),
        ("Current title", "current_title"),
        ("City", "city"),
        ("LinkedIn URL", "linkedin_url"),
        ("Status", "get_status_display"),
        ("Owner", "owner"),
        ("Created", "created_at.date"),
    )


class CandidateDetailView(RecordDetailView):
    queryset = Candidate.objects.select_related(
        "owner", "referred_by_candidate", "referred_by_contact"
    )
    template_name = "clients/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["kind"] = "candidate"
        ctx["placements"] = self.object.placements.select_related(
            "client", "job", "recruiter"
        )
        ctx["activities"] = self.object.activities.select_related("by", "placement")[
            :50
        ]
        return ctx


class CandidateCreateView(RecordCreateView):
    form_class = CandidateForm
    title = "New candidate"
    success_message = "Candidate created."

    def call_service(self, data):
        return services.candidate_create(by=self.request.user, **data)

    def get_cancel_url(self) -> str:
        return reverse("clients:candidate_list")


class CandidateUpdateView(RecordUpdateView):
    model = Candidate
    form_class = CandidateForm

    def call_service(self, data):
        return services.candidate_update(
            candidate=self.object, by=self.request.user, **data
        )


# Archive


class ArchiveView(View):
    """POST to archive (or, with restore=1, restore) a record the user may edit."""

    http_method_names = ["post"]
    model: type[Client | Contact | Candidate] | None = None

    def post(self, request, pk: int):
        record = get_for_edit(request.user, self.model, pk)
        if request.POST.get("restore"):
            services.record_restore(record=record, by=request.user)
            messages.success(request, f"{record} is restored.")
        else:
            services.record_archive(record=record, by=request.user)
            messages.success(
                request, f"{record} is archived: hidden from lists, history kept."
            )
        return HttpResponseRedirect(record.get_absolute_url())
