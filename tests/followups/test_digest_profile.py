"""The user's side: digest settings on the profile page, the digest history and the
"send me a preview now" button; the tasks and the beat schedule behind them."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery.schedules import crontab
from django.core import mail
from django.urls import reverse

from accounts.forms import ProfileForm
from followups import tasks
from followups.delivery import deliveries_run
from followups.models import EmailDelivery

from .digest_helpers import add_followup

pytestmark = pytest.mark.django_db
DAILY = EmailDelivery.Kind.DAILY_DIGEST


def profile_post(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": "",
        "time_zone": user.time_zone,
        "digest_enabled": "on",
        "digest_hour": "",
        "digest_days": ["1", "2", "3", "4", "5"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_profile_saves_digest_days_hour_and_empty_digests(as_user, alice):
    response = as_user(alice).post(
        reverse("followups:profile"),
        profile_post(
            alice, digest_days=["7", "1", "3"], digest_hour="6", digest_when_empty="on"
        ),
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.digest_days == "137"
    assert alice.digest_weekdays == {1, 3, 7}
    assert alice.digest_hour == 6
    assert alice.digest_when_empty


def test_a_digest_with_no_days_is_refused(as_user, alice):
    response = as_user(alice).post(
        reverse("followups:profile"), profile_post(alice, digest_days=[])
    )
    assert response.status_code == 200
    assert "Choose at least one day" in response.content.decode()
    alice.refresh_from_db()
    assert alice.digest_days == "12345"


def test_turning_the_digest_off_on_the_profile_needs_no_days(as_user, alice):
    response = as_user(alice).post(
        reverse("followups:profile"),
        profile_post(alice, digest_enabled=None, digest_days=[]),
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.digest_enabled


def test_only_managers_see_the_team_summary_setting(alice, mia):
    assert "team_summary_enabled" not in ProfileForm(instance=alice).fields
    assert "team_summary_enabled" in ProfileForm(instance=mia).fields
    assert ProfileForm(instance=alice).initial["digest_days"] == list("12345")


def test_the_profile_shows_the_digest_history(as_user, alice):
    add_followup(alice, dt.date(2026, 11, 20), title="Call")
    deliveries_run(kind=DAILY)
    response = as_user(alice).get(reverse("followups:profile"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your digest emails" in page
    assert "Fri 20 Nov 2026" in page
    assert "1 due today · your follow-ups for Fri 20 Nov" in page
    assert ">Sent<" in page
    assert "Send me a preview now" in page
    assert "goes out at 07:00 (Europe/London)" in page
    # The form and the calendar section are still there.
    assert 'name="digest_days"' in page
    assert "calendar" in page.lower()


def test_the_profile_says_a_midnight_digest_hour_as_it_is(as_user, alice):
    alice.digest_hour = 0
    alice.save()
    page = as_user(alice).get(reverse("followups:profile")).content.decode()
    assert "goes out at 00:00 (Europe/London)" in page


def test_the_history_is_the_users_own(as_user, alice, bob):
    add_followup(bob, dt.date(2026, 11, 20), title="Bob's call")
    deliveries_run(kind=DAILY)
    assert EmailDelivery.objects.filter(user=bob).exists()
    page = as_user(alice).get(reverse("followups:profile")).content.decode()
    assert "1 due today" not in page  # Bob's digest's subject
    # Alice's own day: nothing to list, so no email, and it says so.
    assert "Not sent (nothing to list)" in page
    EmailDelivery.objects.filter(user=alice).delete()
    page = as_user(alice).get(reverse("followups:profile")).content.decode()
    assert "No digest emails yet." in page


def test_the_preview_button_sends_a_preview_that_is_not_the_days_digest(as_user, alice):
    add_followup(alice, dt.date(2026, 11, 20), title="Call")
    client = as_user(alice)
    response = client.post(reverse("followups:digest_preview"), follow=True)
    assert "is on its way to alice@example.com" in response.content.decode()
    (message,) = mail.outbox
    assert message.subject.startswith("[Preview]")
    assert EmailDelivery.objects.get().kind == EmailDelivery.Kind.PREVIEW
    assert "Digest preview" in response.content.decode()
    # The day's digest is still due.
    assert deliveries_run(kind=DAILY) == {EmailDelivery.Status.SENT: 1}
    response = client.post(reverse("followups:digest_preview"), follow=True)
    assert "less than a minute ago" in response.content.decode()
    assert len(mail.outbox) == 2


def test_the_preview_is_post_only(as_user, alice):
    assert as_user(alice).get(reverse("followups:digest_preview")).status_code == 405
    assert mail.outbox == []


# Tasks, commands and the beat schedule


@pytest.mark.parametrize(
    ("task", "kind"),
    [
        (tasks.send_due_digests, EmailDelivery.Kind.DAILY_DIGEST),
        (tasks.send_due_team_summaries, EmailDelivery.Kind.TEAM_SUMMARY),
    ],
)
def test_each_beat_task_schedules_and_hands_out_one_task_per_delivery(task, kind):
    with (
        mock.patch(
            "followups.delivery.deliveries_schedule", return_value=[4, 7]
        ) as schedule,
        mock.patch.object(tasks.send_delivery, "delay") as delay,
    ):
        assert task.apply().get() == 2
    schedule.assert_called_once_with(kind=kind)
    assert [c.args for c in delay.call_args_list] == [(4,), (7,)]


def test_the_send_task_calls_its_service():
    with mock.patch("followups.delivery.delivery_send", return_value="sent") as service:
        assert tasks.send_delivery.apply(args=[12]).get() == "sent"
    service.assert_called_once_with(delivery_id=12)


def test_the_commands_send_what_is_due(mia, alice, frozen):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_team_summaries", stdout=out)
    assert out.getvalue().strip() == "No team summaries due now."  # a Friday
    frozen.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    call_command("send_team_summaries", stdout=out)
    assert "1 team summaries handled: 1 sent" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["mia@example.com"]]


def test_the_beat_runs_the_email_tasks_every_five_minutes():
    from crm.celery import app

    app.loader.import_default_modules()  # what a worker does when it starts
    by_task = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    assert by_task["followups.send_due_digests"] == crontab(minute="*/5")
    assert by_task["followups.send_due_team_summaries"] == crontab(
        minute="*/5", day_of_week="sun,mon,tue"
    )
    assert set(by_task) <= set(app.tasks)
