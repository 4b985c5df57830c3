from __future__ import annotations

import django_filters

from accounts.models import User
from clients.models import Client
from core.filters import SearchFilter, SortFilter

from .models import Job, Placement


class JobFilter(django_filters.FilterSet):
    q = SearchFilter(search_fields=("title", "client__name", "location"))
    status = django_filters.ChoiceFilter(
        choices=Job.Status.choices, empty_label="Any status"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), empty_label="Anyone"
    )
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("client__name", "client"),
            ("created_at", "created"),
        ),
    )

    class Meta:
        model = Job
        fields: list[str] = []


class PlacementFilter(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=(
            "candidate__first_name",
            "candidate__last_name",
            "client__name",
            "job__title",
        )
    )
    recruiter = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), empty_label="Any recruiter"
    )
    status = django_filters.ChoiceFilter(
        choices=Placement.Status.choices, empty_label="Any status"
    )
    placement_type = django_filters.ChoiceFilter(
        label="Type", choices=Placement.Type.choices, empty_label="Any type"
    )
    client = django_filters.ModelChoiceFilter(
        queryset=Client.objects.all(), widget=django_filters.widgets.forms.HiddenInput
    )
    start_after = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label="Starting on or after",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    start_before = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label="Starting on or before",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    sort = SortFilter(
        fields=(
            ("start_date", "start"),
            ("end_date", "end"),
            ("fee", "fee"),
            ("candidate__last_name", "candidate"),
            ("client__name", "client"),
        ),
    )

    class Meta:
        model = Placement
        fields: list[str] = []
