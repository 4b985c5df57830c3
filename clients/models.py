from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.models import TimeStampedModel, UniqueErrorOnFieldMixin


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Referral(models.Model):
    """Who introduced a record: a candidate or a contact (at most one)."""

    referred_by_candidate = models.ForeignKey(
        "clients.Candidate",
        verbose_name="referred by (candidate)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_by_contact = models.ForeignKey(
        "clients.Contact",
        verbose_name="referred by (contact)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def referrer(self):
        return self.referred_by_candidate or self.referred_by_contact


def one_referrer_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(referred_by_candidate__isnull=True)
        | Q(referred_by_contact__isnull=True),
        name=name,
    )


class Client(UniqueErrorOnFieldMixin, TimeStampedModel, Referral):
    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    website = models.URLField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_clients"
    )
    notes = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="client_name_ci_unique",
                violation_error_message="A client with this name already exists.",
            ),
            one_referrer_constraint("client_one_referrer"),
        ]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.name

    # get_absolute_url comes from settings.ABSOLUTE_URL_OVERRIDES: the client's page
    # is followups' (it shows relationship health and open follow-ups).

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Person(UniqueErrorOnFieldMixin, TimeStampedModel, Referral):
    """What contacts and candidates have in common."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    # get_absolute_url comes from settings.ABSOLUTE_URL_OVERRIDES: a contact's or
    # a candidate's page is followups' (it shows their open follow-ups).

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Contact(Person):
    class Role(models.TextChoices):
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        HR = "hr", "HR"
        FOUNDER = "founder", "Founder"
        OTHER = "other", "Other"

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="contacts"
    )
    job_title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role, default=Role.HIRING_MANAGER)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
    )

    class Meta(Person.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="contact_email_ci_unique",
                violation_error_message="A contact with this email already exists.",
            ),
            one_referrer_constraint("contact_one_referrer"),
        ]


class Candidate(Person):
    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        PLACED = "placed", "Placed"
        NOT_LOOKING = "not_looking", "Not looking"

    current_title = models.CharField(max_length=150, blank=True)
    city = models.CharField(max_length=100, blank=True)
    linkedin_url = models.URLField("LinkedIn URL", max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.AVAILABLE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_candidates",
    )

    class Meta(Person.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="candidate_email_ci_unique",
                violation_error_message="A candidate with this email already exists.",
            ),
            one_referrer_constraint("candidate_one_referrer"),
        ]
