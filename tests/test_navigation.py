import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("followups:dashboard", "Today"),
        ("followups:client_list", "Clients"),
        ("placements:placement_list", "Placements"),
    ],
)
def test_the_navigation_marks_the_current_page(as_user, alice, url_name, label):
    page = as_user(alice).get(reverse(url_name)).content.decode()
    assert f'active" aria-current="page" href="{reverse(url_name)}">{label}</a>' in page
    assert page.count('aria-current="page"') == 1


def test_plans_link_only_for_managers(as_user, alice, mia):
    assert (
        reverse("followups:plan_list") not in as_user(alice).get("/").content.decode()
    )
    assert reverse("followups:plan_list") in as_user(mia).get("/").content.decode()
