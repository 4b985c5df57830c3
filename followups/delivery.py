"""Sending the daily digests and weekly team summaries: once, on time, and never
silently lost. The policy, also in the README ("Email digests"):

- Every 5 minutes the beat calls `deliveries_schedule(kind=...)`. It records one
  pending `EmailDelivery` under the unique key (user, kind, local date) for every user
  whose email is due (from their digest hour to their local midnight, so a beat or
  worker that was down catches up the same local day and never a later one), and
  returns the ids to hand to workers, one task each.
- A worker claims a delivery with a conditional UPDATE (pending -> sending). Only one
  claim can succeed, so a second beat, a redelivered or retried task, or two workers
  at once never send a second email.
- SMTP answers: a 4xx, a refused or timed-out connection: temporary. The delivery goes
  back to pending with a backoff (2, 5, 15, 30 minutes) and is retried by the first
  beat after it, up to DIGEST_MAX_ATTEMPTS attempts in all, and never after the
  local day has ended; then it is failed. A 5xx: failed at once.
- A connection lost in the middle of the transaction may or may not have delivered
  the email, and a delivery left in "sending" longer than DIGEST_STUCK_AFTER_MINUTES
  means a worker died mid-send. Both are marked stuck for a person to look at (the
  admin lists them) and are never resent automatically.
- An email the server accepted is recorded as sent with the server's reply (its
  queue id) even if the database connection drops at that moment: the write is
  retried on a fresh connection (delivery_outcomes.py).
- Due times (a backoff, the lease, the stuck limit) are compared with the beat's
  time with BEAT_SLACK to spare: the beat ticks on exact 5-minute marks but a worker
  starts a little after, and a wait measured from the worker's clock would
  otherwise end just after a beat and wait one more.
"""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import AgencySettings, User, local_today, zone_or_utc
from accounts.rules import can_get_team_summary
from core.emails import build_email
from core.mail import queue_id

from .delivery_outcomes import Temporary, Unknown, classify, record
from .digests import (
    digest_context,
    digest_due_date,
    team_summary_context,
    team_summary_due_date,
)
from .models import EmailDelivery

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (2, 5, 15, 30)
# A pending delivery handed to a worker is not handed out again for this long; if its
# task was lost, the next beat after that hands it out again (the claim makes any
# duplicate harmless).
LEASE = timedelta(minutes=10)
# A due time this little after a beat's time counts as due at that beat (see above).
# Far less than the 5 minutes between beats, far more than a worker's delay.
BEAT_SLACK = timedelta(seconds=30)
CHUNK = 1000

Kind = EmailDelivery.Kind
Status = EmailDelivery.Status

DUE: dict[str, Callable[..., date | None]] = {
    Kind.DAILY_DIGEST: digest_due_date,
    Kind.TEAM_SUMMARY: team_summary_due_date,
}


@dataclass(frozen=True)
class Recipient:
    """What the due check needs of a user, read in bulk (no model instances):
    the same attributes the due checks read on a `User`."""

    pk: int
    time_zone: str
    digest_hour: int | None
    digest_days: str

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    @property
    def digest_weekdays(self) -> set[int]:
        return {int(day) for day in self.digest_days if day in "1234567"}

    def digest_hour_or(self, default: int) -> int:
        return default if self.digest_hour is None else self.digest_hour


def eligible_users(kind: str):
    users = User.objects.filter(is_active=True).exclude(email="")
    if kind == Kind.DAILY_DIGEST:
        users = users.filter(digest_enabled=True).exclude(digest_days="")
    elif kind == Kind.TEAM_SUMMARY:
        # Listed as a team's manager, with the rights of one (as everywhere else).
        users = users.filter(
            Q(role__in=[User.Role.MANAGER, User.Role.ADMIN]) | Q(is_superuser=True),
            team_summary_enabled=True,
            pk__in=User.objects.filter(managed_teams__isnull=False),
        )
    else:
        raise ValueError(f"{kind} is not scheduled")
    return users.order_by("pk")


def deliveries_schedule(*, kind: str, now: datetime | None = None) -> list[int]:
    """Record the deliveries of `kind` due at `now` and return the ids of those to
    hand to workers now: new ones, retries whose backoff is over, and ones whose task
    seems lost. Safe to run twice and twice at once. Three queries when nothing is
    new, whatever the number of users."""
    now = now or timezone.now()
    default_hour = AgencySettings.load().digest_hour_default
    due_date = DUE[kind]
    latest = Subquery(
        EmailDelivery.objects.filter(user=OuterRef("pk"), kind=kind)
        .order_by("-local_date")
        .values("local_date")[:1]
    )
    due: dict[int, date] = {}
    rows = (
        eligible_users(kind)
        .annotate(latest=latest)
        .values_list("pk", "time_zone", "digest_hour", "digest_days", "latest")
    )
    for pk, time_zone, hour, days, last in rows.iterator(chunk_size=2000):
        user = Recipient(pk, time_zone, hour, days)
        day = due_date(user=user, now=now, default_hour=default_hour)
        if day is not None and (last is None or last < day):
            due[pk] = day
    user_ids = list(due)
    # ignore_conflicts: a racing second beat's rows meet the unique key.
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(user_id=pk, kind=kind, local_date=due[pk], not_before=now)
            for pk in user_ids
        ],
        ignore_conflicts=True,
        batch_size=CHUNK,
    )
    if not any(_sweep_plan(_unfinished(kind), now)):
        return []  # the usual beat: nothing new, nothing to retry, nothing stuck
    # Lease what is handed out in one transaction with the rows locked, so that a
    # second beat at the same moment skips them instead of handing them out again.
    with transaction.atomic():
        ready, stuck, passed = _sweep_plan(_unfinished(kind, lock=True), now)
        minutes = settings.DIGEST_STUCK_AFTER_MINUTES
        if stuck:
            EmailDelivery.objects.filter(pk__in=stuck, status=Status.SENDING).update(
                status=Status.STUCK,
                error=STUCK_ERROR.format(minutes=minutes),
                updated_at=now,
            )
        for row in passed:
            EmailDelivery.objects.filter(pk=row["pk"], status=Status.PENDING).update(
                status=Status.FAILED,
                error=_passed(row["local_date"], row["error"]),
                updated_at=now,
            )
        for start in range(0, len(ready), CHUNK):
            EmailDelivery.objects.filter(
                pk__in=ready[start : start + CHUNK], status=Status.PENDING
            ).update(enqueued_at=now, updated_at=now)
    return ready


STUCK_ERROR = (
    "Still sending after {minutes} minutes: the worker probably died mid-send. It "
    "may or may not have arrived; check with the recipient before sending it again."
)


def _unfinished(kind: str, *, lock: bool = False) -> list[dict]:
    """The unfinished deliveries: pending ones of `kind` and sending ones of any
    kind. Few: this beat's, retries, a backlog. Locked (skipping rows another beat
    holds) when `lock`."""
    rows = EmailDelivery.objects.filter(
        Q(kind=kind, status=Status.PENDING) | Q(status=Status.SENDING)
    )
    if lock:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    return list(
        rows.values(
            "pk",
            "status",
            "local_date",
            "not_before",
            "enqueued_at",
            "claimed_at",
            "user__time_zone",
            "error",
        )
    )


def _sweep_plan(
    rows: list[dict], now: datetime
) -> tuple[list[int], list[int], list[dict]]:
    """What to do with the unfinished deliveries: the ids of the pending ones to
    hand out now (not in backoff, not handed out in the last LEASE), the ids of the
    ones left sending longer than DIGEST_STUCK_AFTER_MINUTES (stuck), and the
    pending ones whose local day has ended (failed)."""
    stuck_after = timedelta(minutes=settings.DIGEST_STUCK_AFTER_MINUTES)
    due = now + BEAT_SLACK  # the latest due time that is due at this beat
    ready, stuck, passed = [], [], []
    for row in rows:
        if row["status"] == Status.SENDING:
            if row["claimed_at"] + stuck_after <= due:
                stuck.append(row["pk"])
        elif local_today(row["user__time_zone"], now) > row["local_date"]:
            passed.append(row)
        elif row["not_before"] <= due and (
            row["enqueued_at"] is None or row["enqueued_at"] + LEASE <= due
        ):
            ready.append(row["pk"])
    return sorted(ready), stuck, passed


def _passed(local_date: date, error: str = "") -> str:
    return (
        f"Not sent: its day ({local_date:%a %d %b %Y}) ended first, and a digest is "
        "never sent late." + (f" Last error: {error}" if error else "")
    )


def _still_wanted(delivery: EmailDelivery) -> bool:
    user = delivery.user
    if not user.is_active or not user.email:
        return False
    if delivery.kind == Kind.DAILY_DIGEST:
        return (
            user.digest_enabled
            and delivery.local_date.isoweekday() in user.digest_weekdays
        )
    if delivery.kind == Kind.TEAM_SUMMARY:
        return user.team_summary_enabled and can_get_team_summary(user)
    return True


def build_delivery_email(delivery: EmailDelivery, *, now: datetime, connection=None):
    """The email for `delivery`, or None when there is nothing to say."""
    user = delivery.user
    if delivery.kind == Kind.TEAM_SUMMARY:
        context = team_summary_context(manager=user, day=delivery.local_date, now=now)
        name = "team-summary"
        if context["is_empty"]:
            return None, context
    else:
        context = digest_context(user=user, day=delivery.local_date)
        name = "digest"
        context["preview"] = delivery.kind == Kind.PREVIEW
        if (
            context["is_empty"]
            and not user.digest_when_empty
            and delivery.kind != Kind.PREVIEW
        ):
            return None, context
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-CRM-Delivery": f"{delivery.kind}/{delivery.local_date:%Y-%m-%d}/{delivery.pk}",
    }
    message = build_email(
        name, context, to=user.email, headers=headers, connection=connection
    )
    return message, context


def delivery_send(
    *, delivery_id: int, now: datetime | None = None, connection=None
) -> str:
    """Claim one pending delivery, build its email and send it; returns the status
    it ends in ("not claimed" when someone else has it or it is not due)."""
    now = now or timezone.now()
    # The slack the beat gave when it handed this out (its clock was a little
    # behind this worker's), so that what it handed out can be claimed.
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=Status.PENDING, not_before__lte=now + BEAT_SLACK
    ).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        updated_at=now,
    )
    if not claimed:
        return "not claimed"
    delivery = EmailDelivery.objects.select_related("user").get(pk=delivery_id)
    user = delivery.user
    if user.local_today(now) > delivery.local_date:
        return record(
            delivery,
            Status.FAILED,
            now,
            error=_passed(delivery.local_date, delivery.error),
        )
    if not _still_wanted(delivery):
        return record(
            delivery,
            Status.SKIPPED,
            now,
            error="Not sent: the user turned this email off before it was due.",
        )
    own_connection = connection is None
    try:
        if own_connection:
            connection = get_connection(fail_silently=False)
        message, context = build_delivery_email(
            delivery, now=now, connection=connection
        )
    except Exception as exc:  # a bug, not the network: never retried blindly
        logger.exception("Could not build email delivery %s", delivery.pk)
        return record(
            delivery, Status.FAILED, now, error=f"Could not build the email: {exc!r}"
        )
    if message is None:
        return record(
            delivery,
            Status.SKIPPED,
            now,
            error="Nothing to list, and the user asked for no empty digests.",
        )
    message_id = message.extra_headers.get("Message-ID", "")[:300]
    subject = message.subject[:300]
    # Named before a byte goes out: a delivery that turns stuck still says which
    # email to look for in the mail server's log.
    EmailDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        message_id=message_id, subject=subject
    )
    stage = "connecting"
    try:
        if own_connection:
            connection.open()
        stage = "sending"
        if not connection.send_messages([message]):
            raise smtplib.SMTPException("the mail backend sent nothing")
    except Exception as exc:
        outcome = classify(exc, sending=stage == "sending")
        logger.warning("Email delivery %s: %s", delivery.pk, outcome)
        if isinstance(outcome, Temporary):
            return _retry_later(delivery, now, str(outcome))
        if isinstance(outcome, Unknown):
            return record(
                delivery,
                Status.STUCK,
                now,
                error=f"{outcome} It may or may not have arrived; check before "
                "sending it again.",
            )
        return record(delivery, Status.FAILED, now, error=str(outcome))
    finally:
        if own_connection and connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide the outcome
                logger.debug("closing the mail connection failed", exc_info=True)
    # The server has the email: from here on it must never be recorded as
    # anything but sent (record() retries a dropped database connection).
    reply = getattr(message, "smtp_reply", "")  # core.mail.EmailBackend sets it
    return record(
        delivery,
        Status.SENT,
        now,
        sent_at=now,
        subject=subject,
        message_id=message_id,
        smtp_reply=reply,
        queue_id=queue_id(reply),
        item_count=context.get("total", 0),
        error="",
    )


def _retry_later(delivery: EmailDelivery, now: datetime, error: str) -> str:
    attempts = delivery.attempts
    if delivery.kind == Kind.PREVIEW:
        return record(delivery, Status.FAILED, now, error=error)
    if attempts >= settings.DIGEST_MAX_ATTEMPTS:
        return record(
            delivery,
            Status.FAILED,
            now,
            error=f"Gave up after {attempts} attempts. Last error: {error}",
        )
    wait = timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])
    if delivery.user.local_today(now + wait) > delivery.local_date:
        return record(
            delivery,
            Status.FAILED,
            now,
            error=f"Not retried: the next attempt would fall on the next day. Last "
            f"error: {error}",
        )
    return record(
        delivery,
        Status.PENDING,
        now,
        not_before=now + wait,
        enqueued_at=None,
        error=f"Attempt {attempts} failed, retrying after {now + wait:%H:%M} UTC: {error}",
    )


def digest_preview_send(*, user: User, now: datetime | None = None) -> EmailDelivery:
    """Send `user` their digest as it stands now, marked as a preview. It is recorded
    in their history, but not as the day's digest; at most one a minute."""
    now = now or timezone.now()
    if EmailDelivery.objects.filter(
        user=user, kind=Kind.PREVIEW, created_at__gte=now - timedelta(minutes=1)
    ).exists():
        raise ValidationError(
            "A preview went out less than a minute ago; look in your inbox first."
        )
    if not user.email:
        raise ValidationError("Your account has no email address.")
    delivery = EmailDelivery.objects.create(
        user=user, kind=Kind.PREVIEW, local_date=user.local_today(now), not_before=now
    )
    delivery_send(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    return delivery


def deliveries_run(*, kind: str, now: datetime | None = None) -> dict[str, int]:
    """Schedule and send, in this process: what `manage.py send_digests` does."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for pk in deliveries_schedule(kind=kind, now=now):
        status = delivery_send(delivery_id=pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts


# Resending, by a person who checked (the admin's "Send again today")


def why_not_resend(delivery: EmailDelivery, now: datetime) -> str:
    """Why "Send again today" cannot resend `delivery` ("" when it can)."""
    Status = EmailDelivery.Status
    if delivery.status not in (Status.STUCK, Status.FAILED):
        return f"It is {delivery.get_status_display().lower()}, not stuck or failed."
    if delivery.kind == EmailDelivery.Kind.PREVIEW:
        return "A preview is never resent: the user can ask for another."
    if delivery.user.local_today(now) != delivery.local_date:
        return "Its day has passed in the recipient's time zone."
    return ""


def _resent_note(by: User, delivery: EmailDelivery) -> str:
    """The error a resent delivery carries: who resent it after what, and the email
    it was (the next attempt has a Message-ID of its own)."""
    note = f"Resent by {by} after: {delivery.error}"
    if delivery.message_id:
        note += f" (the email then: Message-ID {delivery.message_id})"
    return note


def delivery_resend(*, delivery: EmailDelivery, by: User, now: datetime) -> bool:
    """Hand `delivery` out again at the next beat, if it may be resent
    (why_not_resend) and nobody changed it meanwhile; whether it was."""
    if why_not_resend(delivery, now):
        return False
    return bool(
        EmailDelivery.objects.filter(pk=delivery.pk, status=delivery.status).update(
            status=EmailDelivery.Status.PENDING,
            attempts=0,
            not_before=now,
            enqueued_at=None,
            error=_resent_note(by, delivery)[:2000],
            smtp_reply="",
            queue_id="",
            updated_at=now,
        )
    )
