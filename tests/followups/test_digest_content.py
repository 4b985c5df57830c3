"""What the daily digest and the weekly team summary say: the right follow-ups in the
right groups and nobody else's, the empty case, both parts, headers, absolute links.

The follow-up tests run on Friday 20 November 2026 at 10:00 UTC (see conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from followups import digests
from followups.delivery import deliveries_run
from followups.digests import (
    counts_summary,
    digest_context,
    last_week,
    nth_working_day_after,
    team_summary_context,
)
from followups.models import EmailDelivery, FollowUp
from followups.services import followup_complete
from placements.models import Placement

from ..factories import (
    ActivityFactory,
    ClientFactory,
    JobFactory,
    PlacementFactory,
)
from .digest_helpers import add_followup, html_links

pytestmark = pytest.mark.django_db
D = dt.date
FRIDAY = D(2026, 11, 20)
SITE = "https://crm.example.test"
DAILY = EmailDelivery.Kind.DAILY_DIGEST


@pytest.fixture(autouse=True)
def site_url(settings):
    # Load the URLconf first: accounts/urls.py reads SITE_URL when imported
    # (for password reset emails), and must keep the real one for other tests.
    reverse("password_reset")
    settings.SITE_URL = SITE


@pytest.fixture
def alices_week(alice, bob):
    """Alice's follow-ups around Friday 20 November, and some that must not show."""
    f = {
        "overdue_old": add_followup(alice, D(2026, 11, 2), title="Old overdue call"),
        "overdue": add_followup(alice, D(2026, 11, 19), title="Yesterday's call"),
        "today": add_followup(
            alice, FRIDAY, title="Settling-in check", with_contact=True
        ),
        "saturday": add_followup(alice, D(2026, 11, 21), title="Weekend note"),
        "tuesday": add_followup(alice, D(2026, 11, 24), title="Tuesday call"),
        "wednesday": add_followup(alice, D(2026, 11, 25), title="Too far ahead"),
        "done": add_followup(alice, D(2026, 11, 18), title="Already done"),
        "cancelled": add_followup(alice, FRIDAY, title="Cancelled one"),
        "bobs": add_followup(bob, FRIDAY, title="Bob's own call"),
    }
    followup_complete(followup=f["done"], outcome="reached", by=alice)
    FollowUp.objects.filter(pk=f["cancelled"].pk).update(
        status=FollowUp.Status.CANCELLED
    )
    return f


def mail_to(address):
    """The one email sent to `address`."""
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def _ids(context, key):
    group = next(g for g in context["groups"] if g.key == key)
    return [row.followup.pk for row in group.rows]


def test_the_next_two_working_days_skip_the_weekend():
    assert nth_working_day_after(FRIDAY, 2) == D(2026, 11, 24)
    assert nth_working_day_after(D(2026, 11, 18), 2) == D(2026, 11, 20)
    assert nth_working_day_after(D(2026, 11, 21), 2) == D(2026, 11, 24)


def test_it_groups_a_users_open_followups_and_nothing_of_anyone_elses(
    alice, alices_week
):
    f = alices_week
    context = digest_context(user=alice, day=FRIDAY)
    assert [g.key for g in context["groups"]] == ["overdue", "today", "upcoming"]
    assert _ids(context, "overdue") == [f["overdue_old"].pk, f["overdue"].pk]
    assert _ids(context, "today") == [f["today"].pk]
    assert _ids(context, "upcoming") == [f["saturday"].pk, f["tuesday"].pk]
    assert context["counts"] == {"overdue": 2, "today": 1, "upcoming": 2}
    assert context["total"] == 5
    assert context["summary"] == "2 overdue, 1 due today, 2 coming up"
    assert "to Tue 24 Nov" in context["groups"][2].title


def test_counts_leave_out_zeros_and_say_when_nothing_is_due():
    assert counts_summary({"overdue": 3, "today": 5, "upcoming": 0}) == (
        "3 overdue, 5 due today"
    )
    assert counts_summary({"overdue": 0, "today": 0, "upcoming": 1}) == "1 coming up"
    assert counts_summary({"overdue": 0, "today": 0, "upcoming": 0}) == "nothing due"


def test_a_long_group_lists_the_first_rows_and_counts_the_rest(alice, monkeypatch):
    monkeypatch.setattr(digests, "ROW_LIMIT", 2)
    for day in (1, 2, 3, 4, 5):
        add_followup(alice, D(2026, 11, day))
    context = digest_context(user=alice, day=FRIDAY)
    overdue = context["groups"][0]
    assert (overdue.count, len(overdue.rows), overdue.more) == (5, 2, 3)
    deliveries_run(kind=DAILY)
    message = mail_to("alice@example.com")
    assert "...and 3 more: https://crm.example.test/followups/" in message.body


def test_a_full_digest_stays_under_the_size_gmail_clips_at(alice):
    for due in (D(2026, 11, 10), FRIDAY, D(2026, 11, 23)):
        for n in range(digests.ROW_LIMIT + 3):
            add_followup(alice, due, title=f"A follow-up with a longish reason {n}")
    deliveries_run(kind=DAILY)
    message = mail_to("alice@example.com")
    html = message.alternatives[0][0]
    assert html.count("/email/act/") == 2 * 3 * digests.ROW_LIMIT
    assert "…and 3 more in the CRM" in html
    assert len(html.encode()) < 102 * 1024


def test_building_the_digest_changes_nothing_and_runs_a_fixed_number_of_queries(
    alice, alices_week, django_assert_max_num_queries
):
    before = list(FollowUp.objects.order_by("pk").values())
    with django_assert_max_num_queries(4):
        digest_context(user=alice, day=FRIDAY)
    assert list(FollowUp.objects.order_by("pk").values()) == before
    assert EmailDelivery.objects.count() == 0


def test_the_sent_digest_has_a_text_and_an_html_part_with_every_row(alice, alices_week):
    f = alices_week
    deliveries_run(kind=DAILY)
    message = mail_to("alice@example.com")
    assert message.subject == (
        "2 overdue, 1 due today, 2 coming up · your follow-ups for Fri 20 Nov"
    )
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    text = message.body
    today = f["today"]
    for part, shown in ((text, str), (html, escape)):
        for key in ("overdue_old", "overdue", "today", "saturday", "tuesday"):
            assert shown(f[key].title) in part
            assert f"{SITE}/followups/{f[key].pk}/" in part
        for key in ("wednesday", "done", "cancelled", "bobs"):
            assert shown(f[key].title) not in part
        assert shown(str(today.contact)) in part
        assert shown(str(today.contact.client)) in part
        assert today.contact.phone in part
        assert today.contact.email in part
        assert "Overdue" in part and "Due today" in part
    assert "== Overdue: 2 ==" in text
    assert "== Due today: 1 ==" in text
    # Plain text is not HTML-escaped; the HTML part is.
    assert "&#x27;" not in text and "Yesterday's call" in text
    assert "Yesterday&#x27;s call" in html


def test_the_html_part_is_self_contained_and_every_link_is_absolute(alice, alices_week):
    deliveries_run(kind=DAILY)
    message = mail_to("alice@example.com")
    html = message.alternatives[0][0]
    links = html_links(html)
    assert "script" not in links.tags
    assert "img" not in links.tags
    assert "link" not in links.tags
    assert links.srcs == []
    assert links.hrefs
    for href in links.hrefs:
        assert href.startswith((SITE + "/", "tel:", "mailto:")), href
    web = [h for h in links.hrefs if h.startswith(SITE)]
    assert sum("/email/act/" in h for h in web) == 2 * 5  # done + snooze per row
    assert any(h.startswith(SITE + "/email/unsubscribe/") for h in web)
    assert f"{SITE}/accounts/profile/" in web
    assert "testserver" not in html and "testserver" not in message.body
    for line in message.body.splitlines():
        if "http" in line:
            assert line.split("http", 1)[1].startswith("s://crm.example.test/"), line


def test_the_digest_carries_one_click_unsubscribe_headers(alice, alices_week):
    deliveries_run(kind=DAILY)
    message = mail_to("alice@example.com")
    headers = message.extra_headers
    unsubscribe = headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/email/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["Message-ID"].endswith("@crm.example.test>")
    delivery = EmailDelivery.objects.get(user=alice)
    assert delivery.message_id == headers["Message-ID"]
    assert headers["X-CRM-Delivery"] == f"daily_digest/2026-11-20/{delivery.pk}"


def test_nothing_to_list_sends_no_email_and_records_why(alice):
    add_followup(alice, D(2026, 11, 25))  # beyond the two working days
    assert digest_context(user=alice, day=FRIDAY)["is_empty"]
    assert deliveries_run(kind=DAILY) == {EmailDelivery.Status.SKIPPED: 1}
    assert mail.outbox == []
    delivery = EmailDelivery.objects.get()
    assert (delivery.user, delivery.local_date) == (alice, FRIDAY)
    assert "Nothing to list" in delivery.error
    # The day is settled: a second run sends nothing either.
    assert deliveries_run(kind=DAILY) == {}


def test_a_user_who_asks_for_it_gets_an_empty_digest_that_says_so(alice):
    alice.digest_when_empty = True
    alice.save()
    deliveries_run(kind=DAILY)
    (message,) = mail.outbox
    assert message.subject == "Nothing due · your follow-ups for Fri 20 Nov"
    assert "Nothing needs you" in message.body
    assert "Nothing needs you" in message.alternatives[0][0]
    assert "/email/act/" not in message.body


# The manager's weekly summary (Monday 23 November 2026)

MONDAY = D(2026, 11, 23)


@pytest.fixture
def team_week(alice, bob, carol, mia, make_placement):
    week_start, week_end = last_week(MONDAY)
    assert (week_start, week_end) == (D(2026, 11, 16), D(2026, 11, 22))
    overdue = add_followup(alice, D(2026, 11, 10), title="Alice overdue")
    add_followup(carol, D(2026, 11, 10), title="Carol overdue")
    on_time = add_followup(bob, D(2026, 11, 19))
    late = add_followup(bob, D(2026, 11, 17))
    snoozed_late = add_followup(bob, D(2026, 11, 16))
    FollowUp.objects.filter(pk=snoozed_late.pk).update(due_date=D(2026, 11, 20))
    for f, done_on in (
        (on_time, D(2026, 11, 19)),
        (late, D(2026, 11, 18)),
        (snoozed_late, D(2026, 11, 18)),  # on time for the snooze, late for the plan
    ):
        followup_complete(followup=f, outcome="reached", by=bob)
        FollowUp.objects.filter(pk=f.pk).update(completed_on=done_on)
    started = PlacementFactory(
        job=JobFactory(client=ClientFactory(owner=alice), owner=alice),
        recruiter=alice,
        start_date=D(2026, 11, 18),
    )
    ending = PlacementFactory(
        job=JobFactory(client=ClientFactory(owner=bob), owner=bob),
        recruiter=bob,
        placement_type=Placement.Type.CONTRACT,
        start_date=D(2026, 6, 1),
        end_date=D(2026, 12, 10),
        fee=Decimal("0"),
    )
    PlacementFactory(
        job=JobFactory(client=ClientFactory(owner=carol), owner=carol),
        recruiter=carol,
        start_date=D(2026, 11, 18),
    )
    cold = ClientFactory(owner=alice, name="Frosty Ltd")
    warm = ClientFactory(owner=alice, name="Toasty Ltd")
    contact = warm.contacts.create(first_name="W", last_name="Arm", owner=alice)
    for _ in range(6):
        ActivityFactory(
            by=alice, candidate=None, contact=contact, client=warm, kind="call"
        )
    ClientFactory(owner=carol, name="Carol Cold Ltd")
    return {
        "overdue": overdue,
        "started": started,
        "ending": ending,
        "cold": cold,
        "warm": warm,
    }


def test_the_team_summary_counts_each_recruiters_followups(mia, team_week, alice, bob):
    context = team_summary_context(manager=mia, day=MONDAY)
    (team,) = context["teams"]
    assert team.team.name == "Team A"
    lines = {line.user: line for line in team.recruiters}
    assert set(lines) == {alice, bob}
    assert (lines[alice].overdue, lines[alice].done_last_week) == (1, 0)
    assert (lines[bob].overdue, lines[bob].done_last_week) == (0, 3)
    assert lines[bob].done_on_time == 1
    assert context["overdue"] == 1
    assert lines[alice].url == f"{SITE}/followups/?user={alice.pk}"


def test_the_team_summary_lists_placements_and_the_coldest_clients_of_the_team_only(
    mia, team_week
):
    context = team_summary_context(manager=mia, day=MONDAY)
    (team,) = context["teams"]
    assert [p.pk for p in team.started] == [team_week["started"].pk]
    assert [p.pk for p in team.ending_soon] == [team_week["ending"].pk]
    names = [c.name for c in team.coldest]
    assert "Frosty Ltd" in names
    assert "Carol Cold Ltd" not in names
    assert names.index("Frosty Ltd") < names.index("Toasty Ltd")
    frosty = next(c for c in team.coldest if c.name == "Frosty Ltd")
    assert frosty.health.level == "cold"
    assert frosty.owner.first_name == "Alice"
    assert team.dashboard_url.startswith(SITE + "/")


def test_the_team_summary_goes_out_on_monday_with_both_parts(
    mia, team_week, frozen, alice
):
    frozen.move_to(dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC), tick=False)
    assert deliveries_run(kind=EmailDelivery.Kind.TEAM_SUMMARY) == {
        EmailDelivery.Status.SENT: 1
    }
    (message,) = mail.outbox
    assert message.to == ["mia@example.com"]
    assert message.subject == "Team summary for the week of 23 Nov: 1 overdue follow-up"
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Team A" in part
        assert "Alice Archer" in part and "Bob Brennan" in part
        assert "Frosty Ltd" in part
        assert "Carol Cold Ltd" not in part
        assert "Carol Cole" not in part
        shown = str if part is message.body else escape
        assert shown(str(team_week["started"].candidate)) in part
        assert shown(str(team_week["ending"].candidate)) in part
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<{SITE}/email/unsubscribe/"
    )
    for href in html_links(html).hrefs:
        assert href.startswith(SITE + "/"), href


def test_no_team_summary_for_someone_who_manages_no_team(alice, frozen):
    frozen.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    assert deliveries_run(kind=EmailDelivery.Kind.TEAM_SUMMARY) == {}
    assert mail.outbox == []


def test_no_team_summary_for_a_teams_listed_manager_without_the_role(
    alice, team_a, frozen
):
    # Manager rights need the manager role, here as on the dashboards.
    team_a.managers.add(alice)
    frozen.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    assert deliveries_run(kind=EmailDelivery.Kind.TEAM_SUMMARY) == {}
    assert mail.outbox == []


def test_links_built_without_reverse_match_reverse(db):
    from django.urls import reverse as django_reverse

    from core.emails import absolute_reverse

    token = "eyJmIjoxfQ:1xULPU:QbR8p2d6N07xbQn6VV-oOsvdQ_HMK8c"
    for name, arg in (
        ("followups:followup_detail", 12),
        ("followups:candidate_detail", 987654321),
        ("followups:email_action", token),
        ("followups:email_unsubscribe", "a b?d&e=é"),
    ):
        expected = SITE + django_reverse(name, args=[arg])
        assert absolute_reverse(name, arg) == expected
