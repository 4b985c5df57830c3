from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import View

from core.views import (
    RecordCreateView,
    RecordListView,
    RecordUpdateView,
    get_for_edit,
)

from . import services
from .filters import ContactFilter
from .forms import CandidateForm, ClientForm, ContactForm
from .models import Candidate, Client, Contact

# The client and candidate lists, and every record's own page, are followups'
# pages (they show relationship health and follow-ups), which this app may not
# name: records link to their page with get_absolute_url (set in the settings), and
# a new record's form cancels back to the page that opened it (`next`).

# Clients


class ClientCreateView(RecordCreateView):
    form_class = ClientForm
    title = "New client"
    success_message = "Client created."

    def call_service(self, data):
        return services.client_create(by=self.request.user, **data)


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


class CandidateCreateView(RecordCreateView):
    form_class = CandidateForm
    title = "New candidate"
    success_message = "Candidate created."

    def call_service(self, data):
        return services.candidate_create(by=self.request.user, **data)


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
