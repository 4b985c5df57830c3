from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef

from clients.filters import CandidateFilter, ClientFilter
from clients.models import Client
from core.filters import SearchFilter, SortFilter

from .health import COLDEST_FIRST, WARMEST_FIRST
from .models import DONE_LATE, DONE_ON_TIME, FollowUp, Kind


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
    done_from = django_filters.DateFilter(
        field_name="completed_on",
        lookup_expr="gte",
        label="Done from",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    done_to = django_filters.DateFilter(
        field_name="completed_on",
        lookup_expr="lte",
        label="Done until",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    timing = django_filters.ChoiceFilter(
        label="Done on time?",
        choices=(("on_time", "On time"), ("late", "Late")),
        empty_label="Either",
        method="filter_timing",
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

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner is not None:
            # Offer the clients of the owner's own follow-ups, not the whole book
            # (50,000 options would dominate the page at a large agency).
            self.filters["client"].queryset = Client.objects.filter(
                Exists(
                    FollowUp.objects.filter(client=OuterRef("pk"), assigned_to=owner)
                )
            ).order_by("name")

    def filter_timing(self, queryset, name, value):
        """Done by the day it was first due (a snooze does not move that day), or
        after it: the manager dashboard's "done on time" and "done late"."""
        done = queryset.filter(status=FollowUp.Status.DONE)
        if value == "on_time":
            return done.filter(DONE_ON_TIME)
        if value == "late":
            return done.filter(DONE_LATE)
        return queryset


class HealthSortFilter(SortFilter):
    """The list's sort options plus health; among equally cold relationships the one
    untouched longest comes first."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value and value[0] == "-health":
            qs = qs.order_by(*COLDEST_FIRST)
        elif value and value[0] == "health":
            qs = qs.order_by(*WARMEST_FIRST)
        return qs


def _with_health_sort(fields):
    return HealthSortFilter(
        fields=(*fields, ("health_score", "health")),
        field_labels={"-health": "Coldest first", "health": "Warmest first"},
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
