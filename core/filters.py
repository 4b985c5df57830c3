from __future__ import annotations

import django_filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES


class SearchFilter(django_filters.CharFilter):
    """Every word must appear in one of `search_fields` (case-insensitive)."""

    def __init__(self, *, search_fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", "Search")
        super().__init__(**kwargs)
        self.search_fields = search_fields

    def filter(self, qs, value):
        if not value:
            return qs
        query = Q()
        for term in value.split()[:10]:
            term_q = Q()
            for field in self.search_fields:
                term_q |= Q(**{f"{field}__icontains": term})
            query &= term_q
        return qs.filter(query)


class SortFilter(django_filters.OrderingFilter):
    """Sorting that pages predictably: ties (many clients in one city) are broken by
    id, so a row never shows on two pages or on none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", "Default order")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value not in EMPTY_VALUES:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs
