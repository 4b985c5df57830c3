"""Who sees which dashboard: a manager their teams only, a recruiter nothing (404),
an admin the whole agency or any team. Exports and drill-downs follow the same rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards.team import TABLES

from ..factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("dashboards:team")


def urls():
    yield TEAM
    yield reverse("dashboards:drilldown", args=["overdue"])
    yield reverse("dashboards:drilldown_export", args=["overdue"])
    for key in TABLES:
        yield reverse("dashboards:export", args=[key])


def test_a_recruiter_gets_404_on_the_dashboard_its_lists_and_exports(
    book, alice, team_a, as_user
):
    client = as_user(alice)
    for url in urls():
        assert client.get(url).status_code == 404, url
        assert client.get(url, {"team": team_a.pk}).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(TEAM)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_mia_sees_team_a_and_nothing_of_team_b(book, mia, team_b, as_user):
    client = as_user(mia)
    page = client.get(TEAM)
    assert page.context["scope"].label == "Team A"
    html = page.content.decode()
    assert "Alice Archer" in html and "Bob Brennan" in html
    assert "Carol" not in html
    assert "Sam Test" not in html  # carol's candidate, referred by Xavier
    # Team B's follow-ups and placements count nowhere.
    discipline = page.context["tables"]["discipline"]
    assert [cell.value for cell in discipline.foot[0][1:3]] == [6, 4]
    for url in urls():
        assert client.get(url, {"team": team_b.pk}).status_code == 404, url
        assert client.get(url, {"team": "all"}).status_code == 404, url
        assert client.get(url, {"team": "nonsense"}).status_code == 404, url


def test_mias_exports_hold_team_a_only(book, mia, as_user):
    client = as_user(mia)
    for key in TABLES:
        body = client.get(reverse("dashboards:export", args=[key])).content.decode()
        assert "Carol" not in body and "Sam Test" not in body, key
    discipline = client.get(reverse("dashboards:export", args=["discipline"]))
    assert "Alice Archer" in discipline.content.decode()


def test_drilldowns_refuse_a_recruiter_of_another_team(book, mia, carol, as_user):
    client = as_user(mia)
    url = reverse("dashboards:drilldown", args=["open"])
    assert client.get(url, {"user": carol.pk}).status_code == 404
    assert client.get(url, {"user": "x"}).status_code == 404
    export = reverse("dashboards:drilldown_export", args=["open"])
    assert client.get(export, {"user": carol.pk}).status_code == 404
    assert client.get(reverse("dashboards:drilldown", args=["nope"])).status_code == 404
    # A team list holds team A's records only.
    rows = client.get(url).context["page_obj"]
    assert {f.assigned_to.first_name for f in rows} == {"Alice", "Bob"}


def test_an_admin_sees_the_agency_or_any_team(book, ada, team_b, as_user):
    client = as_user(ada)
    page = client.get(TEAM)
    assert page.context["scope"].label == "Whole agency"
    names = [row[0].text for row in page.context["tables"]["discipline"].rows]
    assert names == ["Alice Archer", "Bob Brennan", "Carol Cole"]
    assert [choice[1] for choice in page.context["scope"].choices] == [
        "Whole agency",
        "Team A",
        "Team B",
    ]
    team = client.get(TEAM, {"team": team_b.pk})
    assert team.context["scope"].label == "Team B"
    assert [row[0].text for row in team.context["tables"]["discipline"].rows] == [
        "Carol Cole"
    ]
    # Alice's placement at Delta (25 Oct) is a new client's for team A (see the
    # hand counts), but agency-wide it follows carol's contract there (1 Jul):
    # repeat business. 90 days, agency: new P3, P4; repeat P2, P5, P7, P8.
    agency = page.context["tables"]["new_vs_repeat"]
    assert [row[1].value for row in agency.rows] == [2, 4]
    b = team.context["tables"]["new_vs_repeat"]
    assert [row[1].value for row in b.rows] == [0, 1]
    assert client.get(TEAM, {"team": 999999}).status_code == 404


def test_a_manager_of_several_teams_picks_one(
    db, as_user, team_a, team_b, alice, carol
):
    boss = UserFactory(role="manager", first_name="Max")
    team_a.managers.add(boss)
    team_b.managers.add(boss)
    client = as_user(boss)
    page = client.get(TEAM)
    assert page.context["scope"].label == "Team A"  # the first, by name
    assert 'id="team-picker"' in page.content.decode()
    assert client.get(TEAM, {"team": team_b.pk}).context["scope"].label == "Team B"
    assert client.get(TEAM, {"team": "all"}).status_code == 404


def test_a_manager_without_a_team_gets_404(db, as_user):
    lonely = UserFactory(role="manager")
    TeamFactory()  # someone else's
    assert as_user(lonely).get(TEAM).status_code == 404


def test_the_navigation_links_managers_and_admins_only(book, alice, mia, ada, as_user):
    home = reverse("followups:dashboard")
    assert TEAM not in as_user(alice).get(home).content.decode()
    assert TEAM in as_user(mia).get(home).content.decode()
    assert TEAM in as_user(ada).get(home).content.decode()


def test_an_unknown_period_falls_back_to_90_days(book, mia, as_user):
    page = as_user(mia).get(TEAM, {"period": "7"})
    assert page.context["period"].days == 90
    assert 'aria-current="page">90 days' in page.content.decode()


def test_a_team_without_members_shows_zeros(db, as_user):
    boss = UserFactory(role="manager")
    TeamFactory(name="New team").managers.add(boss)
    client = as_user(boss)
    page = client.get(TEAM)
    assert page.status_code == 200
    tables = page.context["tables"]
    assert tables["discipline"].rows == []
    assert [cell.value for cell in tables["discipline"].foot[0][1:6]] == [0] * 5
    assert [row[-1].value for row in tables["health"].rows] == [0, 0]
    for key in TABLES:
        response = client.get(reverse("dashboards:export", args=[key]))
        assert response.status_code == 200, key
