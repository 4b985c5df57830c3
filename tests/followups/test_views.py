import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from activities.models import Activity
from followups.models import FollowUp, Kind
from followups.services import followup_complete

from ..factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def add(user, due, n=1, title="Call", **kw):
    contact = kw.pop("contact", None) or ContactFactory()
    return [
        FollowUp.objects.create(
            assigned_to=user,
            contact=contact,
            client=contact.client,
            title=f"{title} {i}",
            due_date=due,
            original_due_date=due,
            **kw,
        )
        for i in range(n)
    ]


def test_dashboard_shows_overdue_today_and_the_week(as_user, alice, bob):
    add(alice, D(2026, 11, 18), 2, title="Late")
    add(alice, D(2026, 11, 20), 1, title="Now")
    add(alice, D(2026, 11, 25), 3, title="Soon")
    add(alice, D(2026, 12, 10), 1, title="Later")
    add(bob, D(2026, 11, 20), 1, title="Bobs")
    page = as_user(alice).get(reverse("followups:dashboard")).content.decode()
    assert (
        'id="section-overdue">Overdue <span class="badge text-bg-danger">2</span>'
        in page
    )
    assert (
        'id="section-today">Due today <span class="badge text-bg-secondary">1</span>'
        in page
    )
    assert (
        'id="section-week">Next 7 days <span class="badge text-bg-secondary">3</span>'
        in page
    )
    assert "Later" not in page
    assert "Bobs" not in page
    assert "tel:" in page and "mailto:" in page


def test_an_empty_dashboard_says_so_and_links_to_recording_a_placement(as_user, alice):
    page = as_user(alice).get(reverse("followups:dashboard")).content.decode()
    assert "Nothing to follow up in the coming week" in page
    assert reverse("placements:placement_create") in page


def test_done_in_place_with_htmx_removes_the_row_and_logs_the_activity(as_user, alice):
    (f,) = add(alice, D(2026, 11, 20), title="Ring")
    response = as_user(alice).post(
        reverse("followups:followup_complete", args=[f.pk]),
        {"outcome": "left_message", "note": "Voicemail"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="sections">')
    assert f'id="followup-{f.pk}"' not in body
    assert "Done: Ring 0" in body
    activity = Activity.objects.get()
    assert (activity.contact, activity.note) == (f.contact, "Voicemail")


def test_done_without_javascript_redirects_back(as_user, alice):
    (f,) = add(alice, D(2026, 11, 20))
    response = as_user(alice).post(
        reverse("followups:followup_complete", args=[f.pk]),
        {"outcome": "reached", "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_snooze_and_reassign_in_place(as_user, alice, bob):
    f, g = add(alice, D(2026, 11, 20), 2)
    client = as_user(alice)
    client.post(
        reverse("followups:followup_snooze", args=[f.pk]),
        {"until": "2026-11-27"},
        HTTP_HX_REQUEST="true",
    )
    client.post(
        reverse("followups:followup_reassign", args=[g.pk]),
        {"to": bob.pk},
        HTTP_HX_REQUEST="true",
    )
    f.refresh_from_db()
    g.refresh_from_db()
    assert f.due_date == D(2026, 11, 27)
    assert g.assigned_to == bob


def test_a_bad_action_shows_a_message_and_changes_nothing(as_user, alice):
    (f,) = add(alice, D(2026, 11, 20))
    response = as_user(alice).post(
        reverse("followups:followup_snooze", args=[f.pk]),
        {"until": "31/02/2026"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Choose a valid date" in response.content.decode()
    f.refresh_from_db()
    assert f.due_date == D(2026, 11, 20)


def test_someone_elses_followup_is_404(as_user, alice, bob, carol, mia):
    (f,) = add(alice, D(2026, 11, 20))
    for user in (bob, carol):
        client = as_user(user)
        assert client.get(f.get_absolute_url()).status_code == 404
        assert (
            client.post(
                reverse("followups:followup_complete", args=[f.pk]),
                {"outcome": "reached"},
            ).status_code
            == 404
        )
    assert as_user(mia).get(f.get_absolute_url()).status_code == 200
    f.refresh_from_db()
    assert f.is_open


def test_actions_are_post_only(as_user, alice):
    (f,) = add(alice, D(2026, 11, 20))
    assert (
        as_user(alice)
        .get(reverse("followups:followup_complete", args=[f.pk]))
        .status_code
        == 405
    )


@pytest.mark.parametrize("rows", [10, 500])
def test_dashboard_runs_a_fixed_number_of_queries(
    as_user, alice, django_assert_max_num_queries, rows
):
    contact = ContactFactory()
    for i in range(rows):
        add(alice, D(2026, 11, 14) + dt.timedelta(days=i % 14), contact=contact)
    client = as_user(alice)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("followups:dashboard")).status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_followup_list_runs_a_fixed_number_of_queries(
    as_user, alice, django_assert_max_num_queries, rows
):
    contact = ContactFactory()
    for i in range(rows):
        add(alice, D(2026, 11, 1) + dt.timedelta(days=i % 60), contact=contact)
    client = as_user(alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("followups:followup_list")).status_code == 200


def test_followup_list_filters(as_user, alice):
    acme = ClientFactory(name="Acme")
    add(
        alice,
        D(2026, 11, 10),
        contact=ContactFactory(client=acme, first_name="Zed", last_name="Zane"),
        kind=Kind.REORDER,
    )
    add(alice, D(2026, 12, 10), title="Other")
    (done,) = add(alice, D(2026, 11, 1), title="Finished")
    followup_complete(followup=done, outcome="reached", by=alice)
    client = as_user(alice)
    page = client.get(reverse("followups:followup_list")).content.decode()
    assert "Call 0" in page and "Other 0" in page and "Finished" not in page
    assert (
        "Finished"
        in client.get(
            reverse("followups:followup_list") + "?status=done"
        ).content.decode()
    )
    by_kind = client.get(
        reverse("followups:followup_list") + "?kind=reorder"
    ).content.decode()
    assert "Call 0" in by_kind and "Other 0" not in by_kind
    by_person = client.get(
        reverse("followups:followup_list") + "?person=zane"
    ).content.decode()
    assert "Call 0" in by_person and "Other 0" not in by_person
    by_client = client.get(
        reverse("followups:followup_list") + f"?client={acme.pk}"
    ).content.decode()
    assert "Call 0" in by_client and "Other 0" not in by_client
    by_range = client.get(
        reverse("followups:followup_list") + "?due_from=2026-12-01&due_to=2026-12-31"
    ).content.decode()
    assert "Other 0" in by_range and "Call 0" not in by_range


def test_a_manager_switches_to_a_team_members_list_a_recruiter_cannot(
    as_user, alice, bob, mia, carol
):
    add(bob, D(2026, 11, 20), title="Bobs task")
    page = (
        as_user(mia)
        .get(reverse("followups:followup_list") + f"?user={bob.pk}")
        .content.decode()
    )
    assert "Bobs task" in page
    assert (
        as_user(alice)
        .get(reverse("followups:followup_list") + f"?user={bob.pk}")
        .status_code
        == 404
    )
    assert (
        as_user(mia)
        .get(reverse("followups:followup_list") + f"?user={carol.pk}")
        .status_code
        == 404
    )


def test_the_calendar_feed_holds_exactly_the_open_followups(client, alice, bob):
    open_ones = add(alice, D(2026, 11, 20), 2, title="Open")
    (done,) = add(alice, D(2026, 11, 19), title="Done")
    followup_complete(followup=done, outcome="reached", by=alice)
    add(bob, D(2026, 11, 20), title="Bobs")
    response = client.get(
        reverse("followups:calendar_feed", args=[alice.calendar_token])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(
        f"followup-{f.pk}@127.0.0.1:8000" for f in open_ones
    )
    assert {e.decoded("dtstart") for e in events} == {D(2026, 11, 20)}
    assert all("Open" in str(e["summary"]) for e in events)


def test_the_calendar_address_can_be_reset_and_the_old_one_stops(
    as_user, client, alice
):
    old = alice.calendar_token
    as_user(alice).post(reverse("calendar_reset"))
    alice.refresh_from_db()
    assert alice.calendar_token != old
    client.logout()
    assert client.get(reverse("followups:calendar_feed", args=[old])).status_code == 404
    assert (
        client.get(
            reverse("followups:calendar_feed", args=[alice.calendar_token])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("followups:calendar_feed", args=["x" * 32])).status_code
        == 404
    )


def test_add_a_followup_by_hand_from_a_contact_page(as_user, alice):
    contact = ContactFactory()
    client = as_user(alice)
    page = client.get(contact.get_absolute_url()).content.decode()
    url = reverse("followups:followup_create") + f"?contact={contact.pk}"
    assert url in page
    response = client.post(
        url,
        {
            "title": "Lunch",
            "kind": "custom",
            "due_date": "2026-12-03",
            "assigned_to": alice.pk,
        },
    )
    assert response.status_code == 302
    f = FollowUp.objects.get()
    assert (f.contact, f.due_date, f.assigned_to) == (contact, D(2026, 12, 3), alice)
    bad = client.post(
        url,
        {
            "title": "",
            "kind": "custom",
            "due_date": "not a date",
            "assigned_to": alice.pk,
        },
    )
    assert bad.status_code == 200
    assert FollowUp.objects.count() == 1


def test_client_list_shows_health_and_sorts_coldest_first(as_user, alice):
    from activities.models import Activity as A

    for name, days in (("Warmco", 2), ("Coldco", 200)):
        c = ClientFactory(name=name)
        contact = ContactFactory(client=c)
        A.objects.create(
            by=alice,
            kind="call",
            contact=contact,
            client=c,
            occurred_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
            - dt.timedelta(days=days),
        )
    page = (
        as_user(alice)
        .get(reverse("followups:client_list") + "?sort=-health")
        .content.decode()
    )
    assert page.index("Coldco") < page.index("Warmco")
    assert "no touch for 200 days" in page


# Plans


def test_only_managers_and_admins_edit_plans(as_user, alice, mia, ada, plans):
    plan = plans["permanent"]
    assert as_user(alice).get(reverse("followups:plan_list")).status_code == 404
    assert as_user(alice).get(plan.get_absolute_url()).status_code == 404
    assert as_user(mia).get(plan.get_absolute_url()).status_code == 200
    assert as_user(ada).get(plan.get_absolute_url()).status_code == 200


def test_a_manager_adds_reorders_and_removes_rules_and_previews_dates(
    as_user, mia, plans
):
    plan = plans["contract"]
    client = as_user(mia)
    response = client.post(
        plan.get_absolute_url(),
        {
            "rule-kind": "custom",
            "rule-target": "candidate",
            "rule-anchor": "start",
            "rule-offset_days": "3",
            "rule-title": "Day three",
            "rule-talking_points": "",
        },
    )
    assert response.status_code == 302
    rule = plan.rules.get(title="Day three")
    assert rule.position == 6
    client.post(reverse("followups:rule_move", args=[rule.pk]), {"direction": "up"})
    assert list(plan.rules.values_list("title", flat=True))[5] == "Day three"
    preview = client.get(
        plan.get_absolute_url()
        + "?start_date=2027-01-04&end_date=2027-03-31&guarantee_days=0"
    ).content.decode()
    assert "Thu 7 Jan 2027" in preview  # start + 3
    assert "Mon 1 Mar 2027" in preview  # end - 30
    client.post(reverse("followups:rule_delete", args=[rule.pk]))
    assert not plan.rules.filter(title="Day three").exists()


def test_a_bad_rule_gets_a_message(as_user, mia, plans):
    plan = plans["contract"]
    response = as_user(mia).post(
        plan.get_absolute_url(),
        {
            "rule-kind": "custom",
            "rule-target": "candidate",
            "rule-anchor": "start",
            "rule-offset_days": "abc",
            "rule-title": "",
            "rule-talking_points": "",
        },
    )
    assert response.status_code == 200
    assert "Enter a whole number" in response.content.decode()
    assert plan.rules.count() == 6


def test_only_an_admin_chooses_the_default_plan(as_user, mia, ada, plans):
    from followups.models import FollowUpPlan

    other = FollowUpPlan.objects.create(name="Light touch", placement_type="permanent")
    assert (
        as_user(mia)
        .post(reverse("followups:plan_make_default", args=[other.pk]))
        .status_code
        == 404
    )
    as_user(ada).post(reverse("followups:plan_make_default", args=[other.pk]))
    other.refresh_from_db()
    plans["permanent"].refresh_from_db()
    assert other.is_default and not plans["permanent"].is_default


def test_a_new_user_on_no_team_still_gets_a_working_dashboard(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("followups:dashboard")).status_code == 200


def test_among_equally_cold_clients_the_longest_untouched_comes_first(as_user, alice):
    from activities.models import Activity as A

    for name, days in (("Ninety-seven", 97), ("Two-hundred", 200)):
        c = ClientFactory(name=name)
        contact = ContactFactory(client=c)
        A.objects.create(
            by=alice,
            kind="call",
            contact=contact,
            client=c,
            occurred_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
            - dt.timedelta(days=days),
        )
    page = (
        as_user(alice)
        .get(reverse("followups:client_list") + "?sort=-health")
        .content.decode()
    )
    assert page.index("Two-hundred") < page.index("Ninety-seven")


def test_the_client_filter_offers_only_the_clients_of_the_lists_owner(
    as_user, alice, bob
):
    mine = ClientFactory(name="Mine Ltd")
    ClientFactory(name="Somebody Elses Ltd")
    add(alice, D(2026, 11, 20), contact=ContactFactory(client=mine))
    page = as_user(alice).get(reverse("followups:followup_list")).content.decode()
    assert "Mine Ltd" in page
    assert "Somebody Elses Ltd" not in page
