from __future__ import annotations

import django_filters

from accounts.models import User
from core.filters import SearchFilter, SortFilter

from .models import Candidate, Client, Contact


class ArchivedFilterMixin(django_filters.FilterSet):
    archived = django_filters.BooleanFilter(
        label="Show archived",
        method="filter_archived",
        widget=django_filters.widgets.BooleanWidget(),
    )

    def __init__(self, data=None, *args, **kwargs):
        # A bare list URL (no query string) would leave the filterset unbound, and
        # an unbound filterset filters nothing: archived records would show.
        super().__init__({} if data is None else data, *args, **kwargs)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=False) if value else queryset


def owner_filter():
    return django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True),
        label="Owner",
        empty_label="Anyone",
    )


class ClientFilter(ArchivedFilterMixin):
    q = SearchFilter(search_fields=("name", "industry", "city"))
    owner = owner_filter()
    status = django_filters.ChoiceFilter(
        choices=Client.Status.choices, empty_label="Any status"
    )
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("industry", "industry"),
            ("city", "city"),
            ("created_at", "created"),
        ),
    )

    class Meta:
        model = Client
        fields: list[str] = []


class ContactFilter(ArchivedFilterMixin):
    q = SearchFilter(
        search_fields=("first_name", "last_name", "email", "job_title", "client__name")
    )
    owner = owner_filter()
    role = django_filters.ChoiceFilter(
        choices=Contact.Role.choices, empty_label="Any role"
    )
    client = django_filters.ModelChoiceFilter(
        queryset=Client.objects.all(), widget=django_filters.widgets.forms.HiddenInput
    )
    sort = SortFilter(
        fields=(
            ("last_name", "name"),
            ("client__name", "client"),
            ("created_at", "created"),
        ),
    )

    class Meta:
        model = Contact
        fields: list[str] = []


class CandidateFilter(ArchivedFilterMixin):
    q = SearchFilter(
        search_fields=("first_name", "last_name", "email", "current_title", "city")
    )
    owner = owner_filter()
    status = django_filters.ChoiceFilter(
        choices=Candidate.Status.choices, empty_label="Any status"
    )
    sort = SortFilter(
        fields=(("last_name", "name"), ("city", "city"), ("created_at", "created"))
    )

    class Meta:
        model = Candidate
        fields: list[str] = []
