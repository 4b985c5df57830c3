from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from activities.models import Activity
from clients.models import Candidate, Client, Contact
from core.models import TimeStampedModel
from placements.models import Placement


class Kind(models.TextChoices):
    FIRST_DAY = "first_day", "First day"
    FIRST_WEEK = "first_week", "First week"
    SETTLING_IN = "settling_in", "Settling-in check"
    THIRTY_DAY = "thirty_day", "30-day check-in"
    GUARANTEE_ENDING = "guarantee_ending", "Guarantee ending"
    REORDER = "reorder", "Reorder / growth"
    ANNIVERSARY = "anniversary", "Anniversary"
    REFERRAL_ASK = "referral_ask", "Referral ask"
    CONTRACT_ENDING = "contract_ending", "Contract ending / redeploy"
    REENGAGEMENT = "reengagement", "Re-engagement"
    CUSTOM = "custom", "Custom"


class FollowUpPlan(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    placement_type = models.CharField(
        "designed for",
        max_length=20,
        choices=Placement.Type,
        default=Placement.Type.PERMANENT,
    )
    is_default = models.BooleanField(
        "default for its placement type",
        default=False,
        help_text="New placements of this type get this plan.",
    )

    class Meta:
        ordering = ["placement_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement_type"],
                condition=Q(is_default=True),
                name="one_default_plan_per_type",
                violation_error_message="Another plan is already the default for this type.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("followups:plan_detail", args=[self.pk])


class PlanRule(models.Model):
    class Target(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        CONTACT = "contact", "Hiring contact"

    class Anchor(models.TextChoices):
        START = "start", "Start date"
        END = "end", "End date"
        GUARANTEE_END = "guarantee_end", "Guarantee end"

    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.CASCADE, related_name="rules"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.CUSTOM)
    target = models.CharField("whom to contact", max_length=20, choices=Target)
    anchor = models.CharField(max_length=20, choices=Anchor, default=Anchor.START)
    offset_days = models.IntegerField(
        "offset (days)", help_text="Days after the anchor date; negative means before."
    )
    title = models.CharField(max_length=200)
    talking_points = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offset_days__gte=-3650) & Q(offset_days__lte=3650),
                name="rule_offset_within_ten_years",
            )
        ]

    def __str__(self) -> str:
        sign = "+" if self.offset_days >= 0 else ""
        return f"{self.title} ({self.get_anchor_display()} {sign}{self.offset_days}d)"

    def anchor_date(self, placement: Placement) -> date | None:
        if self.anchor == self.Anchor.START:
            return placement.start_date
        if self.anchor == self.Anchor.END:
            return placement.end_date
        return placement.guarantee_ends_on if placement.guarantee_days else None

    def due_date_for(self, placement: Placement) -> date | None:
        """The date this rule gives for `placement`, or None where its anchor is
        missing (no end date on a permanent placement, no guarantee period)."""
        try:
            anchor = self.anchor_date(placement)
            return anchor + timedelta(days=self.offset_days) if anchor else None
        except OverflowError:  # a date near year 9999: no follow-up to give
            return None


class PlacementPlan(models.Model):
    """Which plan a placement follows (chosen when it is recorded)."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="plan_link", primary_key=True
    )
    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.PROTECT, related_name="placements"
    )

    def __str__(self) -> str:
        return f"{self.placement_id} follows {self.plan}"


# Why a follow-up whose date had passed when its placement was recorded is skipped.
ENTERED_LATE = "skipped, entered late"

# A follow-up done on time is done by the day it was first due: a snooze does not
# move that day. The dashboards, the digest's team summary and the list's filter all
# use these two conditions.
DONE_ON_TIME = Q(completed_on__lte=models.F("original_due_date"))
DONE_LATE = Q(completed_on__gt=models.F("original_due_date"))


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FollowUp.Status.OPEN)

    def for_person_select(self):
        return self.select_related(
            "candidate",
            "contact",
            "contact__client",
            "client",
            "placement",
            "assigned_to",
        )


class FollowUp(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached"
        LEFT_MESSAGE = "left_message", "Left a message"
        NO_ANSWER = "no_answer", "No answer"
        NOT_NEEDED = "not_needed", "Not needed"

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups"
    )
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.CUSTOM)
    title = models.CharField(max_length=200)
    talking_points = models.TextField(blank=True)
    candidate = models.ForeignKey(
        Candidate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    # The client whose relationship this warms (the contact's, or the placement's).
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    placement = models.ForeignKey(
        Placement,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    rule = models.ForeignKey(
        PlanRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    due_date = models.DateField()
    original_due_date = models.DateField(
        help_text="The date the plan (or whoever added it) first gave; snoozing keeps it."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    note = models.TextField("outcome note", blank=True)
    status_reason = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(
        null=True, blank=True, help_text="The assignee's local date when it was done."
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.OneToOneField(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followup",
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "rule"],
                condition=Q(placement__isnull=False, rule__isnull=False),
                name="followup_once_per_placement_rule",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(kind="reengagement", status="open", candidate__isnull=True),
                name="followup_one_open_reengagement_per_client",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(
                    kind="reengagement", status="open", candidate__isnull=False
                ),
                name="followup_one_open_reengagement_per_candidate",
            ),
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(candidate__isnull=True))
                | (Q(contact__isnull=True) & Q(candidate__isnull=False)),
                name="followup_exactly_one_person",
                violation_error_message="A follow-up is with exactly one person.",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="followup_done_has_completed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["candidate", "status"]),
            models.Index(fields=["client", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} with {self.person} on {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("followups:followup_detail", args=[self.pk])

    @property
    def person(self) -> Candidate | Contact:
        return self.candidate or self.contact

    @property
    def company(self) -> Client | None:
        if self.contact_id:
            return self.contact.client
        return self.client

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_snoozed(self) -> bool:
        return self.is_open and self.due_date != self.original_due_date


# Email: digests, team summaries and the links in them


class EmailDeliveryQuerySet(models.QuerySet):
    def history_for(self, user):
        return self.filter(user=user).order_by("-local_date", "-created_at")

    def needing_attention(self, now) -> dict[str, int]:
        """How many deliveries turned stuck and failed in the 24 hours before `now`
        (by their last change): what the admin list and /readyz report."""
        return self.filter(updated_at__gte=now - timedelta(days=1)).aggregate(
            stuck=models.Count("pk", filter=Q(status=EmailDelivery.Status.STUCK)),
            failed=models.Count("pk", filter=Q(status=EmailDelivery.Status.FAILED)),
        )


class EmailDelivery(TimeStampedModel):
    """One scheduled email to one user: a day's digest or a week's team summary.

    The unique (user, kind, local_date) key and the conditional claim
    (pending -> sending) make a second beat, a retried task or two workers at once
    send nothing twice. Previews are recorded too, but never under that key.
    """

    class Kind(models.TextChoices):
        DAILY_DIGEST = "daily_digest", "Daily digest"
        TEAM_SUMMARY = "team_summary", "Weekly team summary"
        PREVIEW = "preview", "Digest preview"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent (nothing to list)"
        FAILED = "failed", "Failed"
        STUCK = "stuck", "Stuck: needs attention"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    local_date = models.DateField(help_text="The recipient's local date it is for.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(
        help_text="No attempt before this time (the backoff after a temporary error)."
    )
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(
        "Message-ID",
        max_length=300,
        blank=True,
        help_text="The email's Message-ID header, recorded before it is sent.",
    )
    # db_default: workers still running the code of before these fields (during a
    # deploy) insert deliveries without them.
    smtp_reply = models.CharField(
        "SMTP reply",
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text="What the mail server answered when it accepted the email.",
    )
    queue_id = models.CharField(
        "queue id",
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="The mail server's id for the email, from its reply: search its "
        "log for it.",
    )
    item_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = EmailDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-local_date", "-created_at"]
        verbose_name_plural = "email deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"],
                condition=~Q(kind="preview"),
                name="email_delivery_once_per_user_kind_day",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["kind", "local_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.local_date}"


class EmailActionUse(models.Model):
    """A done or snooze link from an email that was used. A link works once: its
    nonce is unique here, so a second click (or two at once) finds it taken."""

    class Action(models.TextChoices):
        DONE = "done", "Done, reached"
        SNOOZE = "snooze", "Snooze one week"

    nonce = models.CharField(max_length=64, unique=True)
    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="email_action_uses"
    )
    action = models.CharField(max_length=10, choices=Action)
    used_at = models.DateTimeField()
    previous_due_date = models.DateField()
    new_due_date = models.DateField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-used_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.followup_id} at {self.used_at}"
