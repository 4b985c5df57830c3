from __future__ import annotations

import django_filters

from clients.filters import CandidateFilter, ClientFilter
from clients.models import Client
from crm.filters import SearchFilter

from .models import FollowUp, Kind


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=FollowUp.Status.choices, empty_label="Any status"
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    due_from = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due from",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due until",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    person = SearchFilter(
        label="Person",
        search_fields=(
            "candidate__first_name",
            "candidate__last_name",
            "contact__first_name",
            "contact__last_name",
        ),
    )
    client = django_filters.ModelChoiceFilter(
        queryset=Client.objects.active(), empty_label="Any client"
    )
    sort = django_filters.OrderingFilter(
        fields=(("due_date", "due"), ("kind", "kind"), ("updated_at", "updated")),
        label="Sort by",
    )

    class Meta:
        model = FollowUp
        fields: list[str] = []


def _with_health_sort(fields):
    return django_filters.OrderingFilter(
        fields=(*fields, ("health_score", "health")),
        field_labels={"-health": "Coldest first", "health": "Warmest first"},
        label="Sort by",
    )


class ClientHealthFilter(ClientFilter):
    sort = _with_health_sort(
        (
            ("name", "name"),
            ("industry", "industry"),
            ("city", "city"),
            ("created_at", "created"),
        )
    )


class CandidateHealthFilter(CandidateFilter):
    sort = _with_health_sort(
        (("last_name", "name"), ("city", "city"), ("created_at", "created"))
    )
