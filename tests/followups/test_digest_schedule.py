"""When digests go out: at each user's local hour, on their days, once; across a
year of clock changes; and after downtime the same local day only."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from accounts.models import AgencySettings, User
from followups import delivery as delivery_module
from followups.delivery import deliveries_run, deliveries_schedule, delivery_send
from followups.digests import digest_due_date
from followups.models import EmailDelivery

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
BEAT = dt.timedelta(minutes=5)
DAILY = EmailDelivery.Kind.DAILY_DIGEST
SUMMARY = EmailDelivery.Kind.TEAM_SUMMARY
EVERY_DAY = "1234567"

# (time zone, digest hour or None for the agency default, ISO weekdays). Hour 2 is
# where Berlin, New York and Lord Howe change their clocks (Lord Howe by 30
# minutes); Lord Howe at 1 sits before its repeated 01:30-02:00 in April.
PEOPLE = {
    "berlin-2": ("Europe/Berlin", 2, EVERY_DAY),
    "berlin-default": ("Europe/Berlin", None, "12345"),
    "new-york-2": ("America/New_York", 2, EVERY_DAY),
    "kolkata": ("Asia/Kolkata", None, "12345"),
    "lord-howe-2": ("Australia/Lord_Howe", 2, EVERY_DAY),
    "lord-howe-1": ("Australia/Lord_Howe", 1, "67"),
}
YEAR = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]


def first_beat_after_the_hour(day: dt.date, hour: int, zone: str) -> dt.datetime:
    """The first 5-minute beat (UTC) at which the local clock in `zone` shows `day`
    and `hour`:00 or later: what "within the first beat interval after the hour"
    means, also on days the clocks skip or repeat that hour."""
    tz = zoneinfo.ZoneInfo(zone)
    t = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(UTC)
    t = t.replace(minute=t.minute - t.minute % 5, second=0, microsecond=0)
    while True:
        local = t.astimezone(tz)
        if local.date() > day:
            raise AssertionError(f"{zone} never reaches {hour}:00 on {day}")
        if local.date() == day and local.hour >= hour:
            return t
        t += BEAT


def test_the_first_beat_helper_knows_the_clock_changes():
    # Berlin skips 02:00-03:00 on 29 March: the hour is reached at 03:00 CEST.
    assert first_beat_after_the_hour(dt.date(2026, 3, 29), 2, "Europe/Berlin") == (
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    )
    # Lord Howe skips 02:00-02:30 on 4 October: reached at 02:30 local (+11).
    assert first_beat_after_the_hour(
        dt.date(2026, 10, 4), 2, "Australia/Lord_Howe"
    ) == dt.datetime(2026, 10, 3, 15, 30, tzinfo=UTC)
    # New York repeats 01:00-02:00 on 1 November; 02:00 EST comes once.
    assert first_beat_after_the_hour(dt.date(2026, 11, 1), 2, "America/New_York") == (
        dt.datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    )


def _user(name: str, **extra) -> User:
    zone, hour, days = PEOPLE[name]
    return User(
        email=f"{name}@example.com",
        time_zone=zone,
        digest_hour=hour,
        digest_days=days,
        **extra,
    )


def test_a_year_of_five_minute_beats_makes_each_digest_due_once_at_the_hour():
    """Every beat of 2026 (105,120 of them) for every person, without a database:
    the due check alone says each chosen day is due from the first beat after the
    hour, and a digest recorded once per day is never due again."""
    people = {name: _user(name) for name in PEOPLE}
    sent: dict[str, dict[dt.date, dt.datetime]] = defaultdict(dict)
    t = dt.datetime(2025, 12, 31, 0, 0, tzinfo=UTC)
    end = dt.datetime(2027, 1, 2, 0, 0, tzinfo=UTC)
    while t < end:
        for name, user in people.items():
            day = digest_due_date(user=user, now=t, default_hour=7)
            if day is not None and day not in sent[name]:
                sent[name][day] = t
        t += BEAT
    for name, (zone, hour, days) in PEOPLE.items():
        chosen = [d for d in YEAR if str(d.isoweekday()) in days]
        got = {d: at for d, at in sent[name].items() if d.year == 2026}
        assert sorted(got) == chosen, name
        for day in chosen:
            assert got[day] == first_beat_after_the_hour(day, hour or 7, zone), (
                name,
                day,
            )


def clocks_change(day: dt.date, zone: str) -> bool:
    tz = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.utcoffset() != end.utcoffset()


# The database simulation: one person per required zone, at the hour where the
# clocks change (Kolkata has no DST, so its default hour and weekdays instead).
SIMULATED = ("berlin-2", "new-york-2", "kolkata", "lord-howe-2")


class CountingBackend(BaseEmailBackend):
    """Counts what would go out, and when."""

    sent: list[tuple[str, dt.datetime]] = []

    def send_messages(self, messages):
        for message in messages:
            CountingBackend.sent.append((message.to[0], timezone.now()))
        return len(messages)


def plain_email(delivery, *, now, connection=None):
    """A stand-in for the digest's content (tested in test_digest_content): this
    test is about when, and how many."""
    message = EmailMessage(
        f"digest for {delivery.local_date}",
        "",
        to=[delivery.user.email],
        connection=connection,
    )
    return message, {"total": 0}


def test_a_year_day_by_day_sends_one_digest_per_chosen_local_day_on_time(
    frozen, settings, monkeypatch
):
    """The real beat service and send, with time-machine, for every day of 2026:
    one email per chosen local day, at the first beat after the hour, none on other
    days, none missed or doubled. Each day runs the beat at the hour; on the days the
    clocks change it runs every 5-minute beat for 90 minutes either side, through
    the skipped or repeated hour. (That no beat before the hour is due, on every
    day, is the test above, over every beat of the year: the service uses the same
    due check.)"""
    users = {}
    for name in SIMULATED:
        zone, hour, days = PEOPLE[name]
        users[name] = UserFactory(
            email=f"{name}@example.com",
            time_zone=zone,
            digest_hour=hour,
            digest_days=days,
            digest_when_empty=True,
        )
    expected: dict[str, dict[dt.date, dt.datetime]] = defaultdict(dict)
    beats = set()
    change_days = 0
    for name in SIMULATED:
        zone, hour, days = PEOPLE[name]
        for day in YEAR:
            at = first_beat_after_the_hour(day, hour or 7, zone)
            if clocks_change(day, zone):
                change_days += 1
                beats.update(at + n * BEAT for n in range(-18, 19))
            else:
                beats.add(at)
            if str(day.isoweekday()) in days:
                expected[name][day] = at
    assert change_days == 6  # Berlin, New York and Lord Howe, twice each
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.sent = []
    monkeypatch.setattr(delivery_module, "build_delivery_email", plain_email)
    for beat in sorted(beats):
        frozen.move_to(beat, tick=False)
        deliveries_run(kind=DAILY)
    by_email = {f"{name}@example.com": name for name in SIMULATED}
    got: dict[str, dict[dt.date, list[dt.datetime]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for address, at in CountingBackend.sent:
        name = by_email[address]
        got[name][at.astimezone(users[name].tzinfo).date()].append(at)
    for name in SIMULATED:
        sends = {day: at for day, at in got[name].items() if day.year == 2026}
        assert sorted(sends) == sorted(expected[name]), f"{name}: days differ"
        for day, at in expected[name].items():
            assert sends[day] == [at], (name, day, sends[day], at)
    assert len(expected["kolkata"]) == 261  # the weekdays of 2026
    assert EmailDelivery.objects.filter(status=EmailDelivery.Status.SENT).count() == (
        len(CountingBackend.sent)
    )


@pytest.fixture
def early_bird(db):
    return UserFactory(
        email="early@example.com",
        time_zone="Europe/Berlin",
        digest_hour=7,
        digest_when_empty=True,
    )


def test_nothing_before_the_hour_and_the_digest_at_the_first_beat_after_it(
    early_bird, frozen
):
    # Thursday 19 November, 07:00 in Berlin is 06:00 UTC.
    frozen.move_to(dt.datetime(2026, 11, 19, 5, 55, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {}
    frozen.move_to(dt.datetime(2026, 11, 19, 6, 0, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {"sent": 1}
    assert mail.outbox[0].subject.endswith("Thu 19 Nov")


def test_the_agency_default_hour_applies_when_the_user_has_none(early_bird, frozen):
    early_bird.digest_hour = None
    early_bird.save()
    settings_row = AgencySettings.load()
    settings_row.digest_hour_default = 9
    settings_row.save()
    frozen.move_to(dt.datetime(2026, 11, 19, 7, 55, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {}
    frozen.move_to(dt.datetime(2026, 11, 19, 8, 0, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {"sent": 1}


def test_no_digest_on_a_day_the_user_did_not_choose_or_when_it_is_off(
    early_bird, frozen
):
    # Saturday 21 November: not in the default Monday-Friday.
    frozen.move_to(dt.datetime(2026, 11, 21, 12, 0, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {}
    early_bird.digest_days = "67"
    early_bird.save()
    assert deliveries_run(kind=DAILY) == {"sent": 1}
    frozen.move_to(dt.datetime(2026, 11, 22, 12, 0, tzinfo=UTC), tick=False)
    early_bird.digest_enabled = False
    early_bird.save()
    assert deliveries_run(kind=DAILY) == {}
    assert len(mail.outbox) == 1


def test_after_downtime_the_digest_goes_out_once_later_the_same_local_day(
    early_bird, frozen
):
    # Beat and worker down from 05:00 to 15:40 UTC (16:40 in Berlin).
    frozen.move_to(dt.datetime(2026, 11, 19, 15, 40, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {"sent": 1}
    for minutes in range(5, 60 * 7, 5):  # every beat to Berlin's midnight
        frozen.move_to(
            dt.datetime(2026, 11, 19, 15, 40, tzinfo=UTC)
            + dt.timedelta(minutes=minutes),
            tick=False,
        )
        assert deliveries_run(kind=DAILY) == {}
    assert len(mail.outbox) == 1


def test_a_day_that_has_passed_is_not_sent_late(early_bird, frozen):
    # Down all of Thursday (Berlin); back at 00:05 on Friday, Berlin time.
    frozen.move_to(dt.datetime(2026, 11, 19, 23, 5, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {}
    assert EmailDelivery.objects.count() == 0
    # Friday's goes out at Friday's hour, and it is Friday's.
    frozen.move_to(dt.datetime(2026, 11, 20, 6, 0, tzinfo=UTC), tick=False)
    assert deliveries_run(kind=DAILY) == {"sent": 1}
    assert EmailDelivery.objects.get().local_date == dt.date(2026, 11, 20)


def test_a_delivery_whose_worker_came_back_the_next_day_is_failed_not_sent(
    early_bird, frozen
):
    frozen.move_to(dt.datetime(2026, 11, 19, 6, 0, tzinfo=UTC), tick=False)
    (pk,) = deliveries_schedule(kind=DAILY)  # handed out; the worker is down
    frozen.move_to(dt.datetime(2026, 11, 19, 23, 30, tzinfo=UTC), tick=False)
    assert delivery_send(delivery_id=pk) == "failed"
    delivery = EmailDelivery.objects.get(pk=pk)
    assert "never sent late" in delivery.error
    assert mail.outbox == []


def test_the_beat_fails_a_pending_delivery_once_its_day_is_over(early_bird, frozen):
    frozen.move_to(dt.datetime(2026, 11, 19, 6, 0, tzinfo=UTC), tick=False)
    (pk,) = deliveries_schedule(kind=DAILY)
    frozen.move_to(dt.datetime(2026, 11, 19, 23, 5, tzinfo=UTC), tick=False)
    assert deliveries_schedule(kind=DAILY) == []
    delivery = EmailDelivery.objects.get(pk=pk)
    assert delivery.status == EmailDelivery.Status.FAILED
    assert "ended first" in delivery.error


def test_the_team_summary_goes_out_on_mondays_only_at_the_managers_hour(
    mia, alice, frozen
):
    mia.time_zone = "America/New_York"
    mia.digest_hour = 8
    mia.save()
    sent = []
    start = dt.datetime(2026, 11, 16, 0, 0, tzinfo=UTC)  # a Monday, UTC
    # Two weeks: a beat every two hours, and every 5 minutes from 12:30 to 13:30 UTC
    # (08:00 in New York) each day.
    beats = {start + dt.timedelta(hours=h) for h in range(0, 14 * 24, 2)}
    for day in range(14):
        before = start + dt.timedelta(days=day, hours=12, minutes=30)
        beats.update(before + n * BEAT for n in range(13))
    for now in sorted(beats):
        frozen.move_to(now, tick=False)
        if deliveries_run(kind=SUMMARY):
            sent.append(now)
    assert sent == [
        dt.datetime(2026, 11, 16, 13, 0, tzinfo=UTC),  # Mon 08:00 EST
        dt.datetime(2026, 11, 23, 13, 0, tzinfo=UTC),
    ]
    assert [m.to for m in mail.outbox] == [["mia@example.com"]] * 2
