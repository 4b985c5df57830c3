"""Links in emails that act without signing in: "done, reached", "snooze one week",
their undo, and unsubscribe.

Each link carries a payload signed with the SECRET_KEY (django.core.signing), so it
cannot be forged or altered. Done and snooze links expire after
EMAIL_ACTION_MAX_AGE_DAYS and work once: their random nonce is recorded under a
unique constraint (`EmailActionUse`) in the same transaction as the change, so a
second click, or two at once, changes nothing. Unsubscribe links do not expire and
may be used again (unsubscribing twice is unsubscribing).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.emails import absolute_reverse, absolute_url

from . import services
from .models import EmailActionUse, EmailDelivery, FollowUp

ACTION_SALT = "followups.email-action"
UNDO_SALT = "followups.email-action-undo"
UNSUBSCRIBE_SALT = "followups.unsubscribe"
SNOOZE_DAYS = 7
DONE_NOTE = "Marked done from the email digest."


def _max_age() -> timedelta:
    return timedelta(days=settings.EMAIL_ACTION_MAX_AGE_DAYS)


def action_url(*, followup: FollowUp, action: str) -> str:
    """An absolute, signed, one-time link that marks `followup` done (reached) or
    snoozes it a week, as its assignee."""
    if action not in EmailActionUse.Action.values:
        raise ValueError(f"Unknown email action {action!r}")
    token = signing.TimestampSigner(salt=ACTION_SALT).sign_object(
        {
            "f": followup.pk,
            "a": action,
            "u": followup.assigned_to_id,
            "n": secrets.token_urlsafe(12),
        }
    )
    return absolute_reverse("followups:email_action", token)


def undo_url(use: EmailActionUse) -> str:
    token = signing.TimestampSigner(salt=UNDO_SALT).sign_object({"x": use.pk})
    return absolute_url(reverse("followups:email_action_undo", args=[token]))


def unsubscribe_url(*, user: User, kind: str) -> str:
    """A signed link that turns off one kind of email for `user` (digest or team
    summary). It does not expire: mail clients may use it much later."""
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk, "k": kind})
    return absolute_url(reverse("followups:email_unsubscribe", args=[token]))


@dataclass
class ActionResult:
    """What the page after an email link says. `status` is the HTTP status."""

    ok: bool
    title: str
    message: str
    status: int = 200
    followup: FollowUp | None = None
    undo_url: str = ""
    user: User | None = None
    # On a confirmation page (GET): the label of the button that does it (POST).
    confirm: str = ""


INVALID = ActionResult(
    ok=False,
    title="This link is not valid",
    message="The link is damaged or incomplete, so nothing was changed. Open the "
    "follow-up in the CRM instead.",
    status=400,
)
EXPIRED = ActionResult(
    ok=False,
    title="This link has expired",
    message="Links in digests work for a limited time, and this one is too old, so "
    "nothing was changed. Open the follow-up in the CRM, or use today's digest.",
    status=410,
)


def _payload(token: str, salt: str, keys: dict[str, type]) -> dict | ActionResult:
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(
            token, max_age=_max_age()
        )
    except signing.SignatureExpired:
        return EXPIRED
    except (signing.BadSignature, ValueError, TypeError):
        return INVALID
    if not isinstance(payload, dict) or any(
        not isinstance(payload.get(key), kind) for key, kind in keys.items()
    ):
        return INVALID
    return payload


def email_action_preview(*, token: str) -> ActionResult:
    """What a done or snooze link would do, without doing it. Mail security scanners
    open every link in an email, so opening one (GET) only asks; the button on the
    page (POST) acts."""
    payload = _payload(token, ACTION_SALT, {"f": int, "a": str, "u": int, "n": str})
    if isinstance(payload, ActionResult):
        return payload
    if payload["a"] not in EmailActionUse.Action.values:
        return INVALID
    followup = FollowUp.objects.for_person_select().filter(pk=payload["f"]).first()
    if followup is None:
        return INVALID
    done = payload["a"] == EmailActionUse.Action.DONE
    return ActionResult(
        ok=True,
        title="Mark this follow-up done?" if done else "Snooze this follow-up?",
        message=(
            f"“{followup.title}” with {followup.person}: "
            + ("done, reached." if done else f"snooze {SNOOZE_DAYS} days.")
        ),
        followup=followup,
        user=followup.assigned_to,
        confirm="Mark done (reached)" if done else f"Snooze {SNOOZE_DAYS} days",
    )


def email_undo_preview(*, token: str) -> ActionResult:
    """An undo link, opened: asks before undoing (see email_action_preview)."""
    payload = _payload(token, UNDO_SALT, {"x": int})
    if isinstance(payload, ActionResult):
        return payload
    use = (
        EmailActionUse.objects.filter(pk=payload["x"])
        .select_related("followup")
        .first()
    )
    if use is None:
        return INVALID
    return ActionResult(
        ok=True,
        title="Undo?",
        message=f"Put “{use.followup.title}” back as it was before the email link.",
        followup=use.followup,
        user=use.followup.assigned_to,
        confirm="Undo",
    )


def email_action_apply(*, token: str, now: datetime | None = None) -> ActionResult:
    """Do what a done or snooze link says, once."""
    now = now or timezone.now()
    payload = _payload(token, ACTION_SALT, {"f": int, "a": str, "u": int, "n": str})
    if isinstance(payload, ActionResult):
        return payload
    if payload["a"] not in EmailActionUse.Action.values:
        return INVALID
    followup = FollowUp.objects.for_person_select().filter(pk=payload["f"]).first()
    if followup is None:
        return ActionResult(
            ok=False,
            title="This follow-up no longer exists",
            message="It was deleted, so there was nothing to change.",
            status=410,
        )
    user = followup.assigned_to
    if followup.assigned_to_id != payload["u"]:
        return ActionResult(
            ok=False,
            title="This follow-up is now someone else's",
            message=f"It was handed to {user} after the email was sent, so nothing "
            "was changed.",
            status=409,
            followup=followup,
        )
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    use = EmailActionUse.objects.create(
                        nonce=payload["n"],
                        followup=followup,
                        action=payload["a"],
                        used_at=now,
                        previous_due_date=followup.due_date,
                    )
            except IntegrityError:
                used = EmailActionUse.objects.get(nonce=payload["n"])
                local = timezone.localtime(used.used_at, user.tzinfo)
                return ActionResult(
                    ok=False,
                    title="This link was already used",
                    message=f"It was used on {local:%a %d %b %Y at %H:%M}; a link from "
                    "an email works once, so nothing was changed this time.",
                    status=409,
                    followup=followup,
                    user=user,
                )
            if payload["a"] == EmailActionUse.Action.DONE:
                services.followup_complete(
                    followup=followup,
                    outcome=FollowUp.Outcome.REACHED,
                    note=DONE_NOTE,
                    by=user,
                    now=now,
                )
                message = (
                    f"“{followup.title}” with {followup.person} is done (reached)."
                )
            else:
                until = user.local_today(now) + timedelta(days=SNOOZE_DAYS)
                services.followup_snooze(
                    followup=followup, until=until, by=user, now=now
                )
                use.new_due_date = until
                use.save(update_fields=["new_due_date"])
                message = (
                    f"“{followup.title}” with {followup.person} is snoozed until "
                    f"{until:%A %d %B}."
                )
    except ValidationError as exc:
        # Already done, skipped or cancelled in the CRM: the nonce insert is rolled
        # back with it, and nothing changed.
        followup.refresh_from_db()
        return ActionResult(
            ok=False,
            title="Nothing to do",
            message=" ".join(exc.messages) + " Nothing was changed.",
            status=409,
            followup=followup,
            user=user,
        )
    followup.refresh_from_db()
    return ActionResult(
        ok=True,
        title="Done" if payload["a"] == EmailActionUse.Action.DONE else "Snoozed",
        message=message,
        followup=followup,
        undo_url=undo_url(use),
        user=user,
    )


def email_action_undo(*, token: str, now: datetime | None = None) -> ActionResult:
    """Put a follow-up back as it was before an email link acted on it, once, and
    only while nobody has changed it since."""
    now = now or timezone.now()
    payload = _payload(token, UNDO_SALT, {"x": int})
    if isinstance(payload, ActionResult):
        return payload
    with transaction.atomic():
        use = EmailActionUse.objects.select_for_update().filter(pk=payload["x"]).first()
        if use is None:
            return INVALID
        followup = FollowUp.objects.for_person_select().get(pk=use.followup_id)
        user = followup.assigned_to
        if use.undone_at:
            return ActionResult(
                ok=False,
                title="Already undone",
                message="This change was undone already; nothing was changed.",
                status=409,
                followup=followup,
                user=user,
            )
        try:
            if use.action == EmailActionUse.Action.DONE:
                if followup.status != FollowUp.Status.DONE or (
                    followup.completed_at != use.used_at
                ):
                    raise ValidationError("The follow-up has changed since.")
                services.followup_reopen(followup=followup, by=user)
                message = f"“{followup.title}” is open again."
            else:
                if not followup.is_open or followup.due_date != use.new_due_date:
                    raise ValidationError("The follow-up has changed since.")
                services.followup_move_due_date(
                    followup=followup, due_date=use.previous_due_date, by=user
                )
                message = (
                    f"“{followup.title}” is due {use.previous_due_date:%A %d %B} again."
                )
        except ValidationError as exc:
            return ActionResult(
                ok=False,
                title="Cannot undo",
                message=" ".join(exc.messages) + " Nothing was changed.",
                status=409,
                followup=followup,
                user=user,
            )
        use.undone_at = now
        use.save(update_fields=["undone_at"])
    followup.refresh_from_db()
    return ActionResult(
        ok=True, title="Undone", message=message, followup=followup, user=user
    )


@dataclass
class UnsubscribeTarget:
    user: User
    kind: str

    @property
    def description(self) -> str:
        if self.kind == EmailDelivery.Kind.TEAM_SUMMARY:
            return "the weekly team summary"
        return "the daily digest"


def unsubscribe_target(token: str) -> UnsubscribeTarget | None:
    try:
        payload = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or payload.get("k") not in (
        EmailDelivery.Kind.values
    ):
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    return UnsubscribeTarget(user=user, kind=payload["k"]) if user else None


def email_unsubscribe(*, target: UnsubscribeTarget) -> None:
    """Turn off the kind of email the link came in. Saying it twice is harmless."""
    field = (
        "team_summary_enabled"
        if target.kind == EmailDelivery.Kind.TEAM_SUMMARY
        else "digest_enabled"
    )
    User.objects.filter(pk=target.user.pk).update(**{field: False})
    setattr(target.user, field, False)
