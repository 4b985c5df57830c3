"""Each URL is served by one view, registered once, in the app that owns the page."""

from collections import Counter

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from .factories import ContactFactory, PlacementFactory


def _routes(patterns, prefix=""):
    """Every full route string of the URLconf, included ones expanded."""
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        else:
            assert isinstance(p, URLPattern)
            yield route


def test_no_path_is_registered_twice():
    routes = list(_routes(get_resolver().url_patterns))
    twice = [route for route, n in Counter(routes).items() if n > 1]
    assert twice == []
    # The walk did reach into the included apps.
    assert "clients/<int:pk>/" in routes and "accounts/profile/" in routes


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "followups:dashboard"),
        ("/clients/", "followups:client_list"),
        ("/clients/1/", "followups:client_detail"),
        ("/candidates/", "followups:candidate_list"),
        ("/candidates/1/", "followups:candidate_detail"),
        ("/contacts/1/", "followups:contact_detail"),
        ("/placements/1/", "followups:placement_detail"),
        ("/accounts/profile/", "followups:profile"),
    ],
)
def test_the_composed_pages_are_followups_views(path, name):
    match = resolve(path)
    assert match.func.__module__.startswith("followups.views")
    assert match.view_name == name
    assert reverse(name, args=match.args, kwargs=match.kwargs) == path


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("/clients/new/", "clients.views"),
        ("/clients/1/edit/", "clients.views"),
        ("/contacts/", "clients.views"),
        ("/contacts/1/log/", "activities.views"),
        ("/jobs/1/", "placements.views"),
        ("/placements/1/edit/", "placements.views"),
        ("/accounts/profile/calendar/reset/", "accounts.views"),
    ],
)
def test_the_lower_apps_keep_the_pages_they_own(path, module):
    assert resolve(path).func.__module__ == module


@pytest.mark.django_db
def test_records_link_to_their_followups_page():
    placement = PlacementFactory(contact=ContactFactory())
    for record, name in (
        (placement, "followups:placement_detail"),
        (placement.client, "followups:client_detail"),
        (placement.contact, "followups:contact_detail"),
        (placement.candidate, "followups:candidate_detail"),
    ):
        assert record.get_absolute_url() == reverse(name, args=[record.pk])


@pytest.mark.django_db
def test_the_admins_view_on_site_opens_the_records_page(as_user, ada):
    placement = PlacementFactory()
    client = as_user(ada)
    for record in (placement, placement.client, placement.candidate):
        meta = record._meta
        change = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk]
        )
        view_on_site = client.get(change).context["absolute_url"]
        assert view_on_site
        assert client.get(view_on_site)["Location"].endswith(record.get_absolute_url())
