"""The pages of clients, contacts, candidates and placements: each record's own data
(from the lower apps' models) with what the follow-up engine adds to it: relationship
health, open follow-ups, a placement's plan. These pages live here, the highest app
involved; the records link to them through `get_absolute_url`, set in the wiring
(settings.ABSOLUTE_URL_OVERRIDES)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.rules import can_edit
from clients.models import Candidate, Client, Contact
from core.views import RecordListView
from placements.models import Placement

from ..filters import CandidateHealthFilter, ClientHealthFilter
from ..health import describe_health, with_health
from ..selectors import mark_openable, open_followups_of, placement_followups

# Lists


class HealthListView(RecordListView):
    """A list of clients or candidates with each one's relationship health."""

    def get_queryset(self) -> QuerySet:
        return with_health(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        for obj in ctx["object_list"]:
            obj.health = describe_health(obj)
        return ctx


class ClientListView(HealthListView):
    filterset_class = ClientHealthFilter
    queryset = Client.objects.select_related("owner")
    template_name = "followups/client_list.html"
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


class CandidateListView(HealthListView):
    filterset_class = CandidateHealthFilter
    queryset = Candidate.objects.select_related("owner")
    template_name = "followups/candidate_list.html"
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


# Records


def _add_followup_url(person: Contact | Candidate) -> str:
    field = person._meta.model_name
    return f"{reverse('followups:followup_create')}?{field}={person.pk}"


@require_safe
def client_detail(request, pk: int):
    """A client with its health, open follow-ups, contacts, jobs, placements and
    timeline."""
    client = get_object_or_404(
        with_health(
            Client.objects.select_related(
                "owner", "referred_by_candidate", "referred_by_contact"
            )
        ),
        pk=pk,
    )
    client.health = describe_health(client)
    return render(
        request,
        "followups/client_detail.html",
        {
            "object": client,
            "client": client,
            "can_edit": can_edit(request.user, client),
            "followups": open_followups_of(client, request.user),
            "contacts": client.contacts.active().select_related("owner"),
            "jobs": client.jobs.select_related("hiring_contact").order_by(
                "status", "-created_at"
            ),
            "placements": client.placements.select_related(
                "candidate", "job", "recruiter"
            ),
            "activities": client.activities.select_related(
                "by", "contact", "candidate", "placement"
            )[:50],
        },
    )


def _person_page(request, person: Contact | Candidate, placements: QuerySet):
    kind = person._meta.model_name
    return render(
        request,
        "followups/person_detail.html",
        {
            "object": person,
            kind: person,
            "kind": kind,
            "can_edit": can_edit(request.user, person),
            "followups": open_followups_of(person, request.user),
            "add_followup_url": _add_followup_url(person),
            "placements": placements,
            "activities": person.activities.select_related("by", "placement")[:50],
        },
    )


@require_safe
def contact_detail(request, pk: int):
    """A contact with their open follow-ups, placements and timeline."""
    contact = get_object_or_404(
        Contact.objects.select_related(
            "client", "owner", "referred_by_candidate", "referred_by_contact"
        ),
        pk=pk,
    )
    placements = contact.placements.select_related(
        "candidate", "client", "job", "recruiter"
    )
    return _person_page(request, contact, placements)


@require_safe
def candidate_detail(request, pk: int):
    """A candidate with their health, open follow-ups, placements and timeline."""
    candidate = get_object_or_404(
        with_health(
            Candidate.objects.select_related(
                "owner", "referred_by_candidate", "referred_by_contact"
            )
        ),
        pk=pk,
    )
    candidate.health = describe_health(candidate)
    placements = candidate.placements.select_related("client", "job", "recruiter")
    return _person_page(request, candidate, placements)


@require_safe
def placement_detail(request, pk: int):
    """A placement with its follow-ups, the plan they come from, and the activity
    about it."""
    placement = get_object_or_404(
        Placement.objects.select_related(
            "candidate", "client", "job", "contact", "recruiter"
        ),
        pk=pk,
    )
    shown = placement_followups(placement=placement)
    mark_openable(shown["followups"], request.user)
    return render(
        request,
        "followups/placement_detail.html",
        {
            "object": placement,
            "placement": placement,
            "can_edit": can_edit(request.user, placement),
            "activities": placement.activities.select_related(
                "by", "contact", "candidate"
            )[:50],
            "add_followup_url": _add_followup_url(placement.candidate),
            **shown,
        },
    )
