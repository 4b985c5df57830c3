from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse

from clients.models import Candidate, Client, Contact
from core.models import TimeStampedModel


class Job(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CLOSED = "closed", "Closed"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField(max_length=200)
    hiring_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    location = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_jobs"
    )
    opened_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["client__name", "title"]
        indexes = [models.Index(fields=["client", "status"])]

    def __str__(self) -> str:
        return f"{self.title} at {self.client}"

    def get_absolute_url(self) -> str:
        return reverse("placements:job_detail", args=[self.pk])


class AddDays(Func):
    """date + integer days, in SQL."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date + integer is a date.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


class PlacementQuerySet(models.QuerySet):
    def live(self):
        """Placements whose relationship is still being worked: not cancelled."""
        return self.filter(status__in=Placement.LIVE_STATUSES)

    def running(self):
        """Placements not yet over: pending start or active."""
        return self.filter(status__in=Placement.RUNNING_STATUSES)


class Placement(TimeStampedModel):
    class Type(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        CONTRACT = "contract", "Contract"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending start"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        FELL_OFF = "fell_off", "Fell off"

    class PayBasis(models.TextChoices):
        ANNUAL = "annual", "Annual salary"
        DAILY = "daily", "Daily rate"
        HOURLY = "hourly", "Hourly rate"

    LIVE_STATUSES = (Status.PENDING, Status.ACTIVE, Status.COMPLETED)
    # Not yet over: the candidate is placed, the job filled.
    RUNNING_STATUSES = (Status.PENDING, Status.ACTIVE)
    ENDED_STATUSES = (Status.CANCELLED, Status.FELL_OFF)

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="placements"
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="placements")
    # Denormalised from the job so that client figures need no join through jobs.
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="placements"
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        help_text="The hiring manager to keep in touch with.",
    )
    placement_type = models.CharField(
        "type", max_length=20, choices=Type, default=Type.PERMANENT
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True, blank=True, help_text="Required for contracts."
    )
    fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="GBP")
    pay = models.DecimalField(
        "salary or rate", max_digits=12, decimal_places=2, null=True, blank=True
    )
    pay_basis = models.CharField(
        max_length=10, choices=PayBasis, default=PayBasis.ANNUAL
    )
    guarantee_days = models.PositiveIntegerField("guarantee period (days)", default=90)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    notes = models.TextField(blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(placement_type="contract") | Q(end_date__isnull=False),
                name="placement_contract_has_end_date",
                violation_error_message="A contract placement needs an end date.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="placement_end_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0),
                name="placement_fee_not_negative",
                violation_error_message="The fee cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(pay__isnull=True) | Q(pay__gte=0),
                name="placement_pay_not_negative",
                violation_error_message="The salary or rate cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_days__gte=0),
                name="placement_guarantee_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["recruiter", "status"]),
            models.Index(fields=["client", "start_date"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.client} ({self.start_date:%d %b %Y})"

    # get_absolute_url comes from settings.ABSOLUTE_URL_OVERRIDES: a placement's
    # page is followups' (it shows the placement's follow-ups and plan).

    def clean(self) -> None:
        # The form says this on the field; the model says it for every other caller.
        if self.contact_id and self.job_id:
            client_id = self.client_id or self.job.client_id
            if self.contact.client_id != client_id:
                raise ValidationError(
                    {"contact": "The contact must work at the job's client."}
                )

    @property
    def guarantee_ends_on(self) -> date:
        """The day the guarantee period ends; in SQL, `guarantee_end_expression`."""
        return self.start_date + timedelta(days=self.guarantee_days)

    @staticmethod
    def guarantee_end_expression() -> AddDays:
        """`guarantee_ends_on` in the database, to filter and order by."""
        return AddDays("start_date", "guarantee_days")

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATUSES

    @property
    def is_ended(self) -> bool:
        return self.status in self.ENDED_STATUSES
