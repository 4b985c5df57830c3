"""Touches: a call, email, meeting or note with one person, optionally about a
placement. They warm relationships (followups reads them for health and dormancy).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.models import Candidate, Client, Contact
from core.models import TimeStampedModel
from placements.models import Placement


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"

    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CALL)
    occurred_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities"
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    candidate = models.ForeignKey(
        Candidate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    # The client the touch warms: the contact's company, or the placement's client.
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    placement = models.ForeignKey(
        Placement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    subject = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        # The table kept the name it had when activities lived in clients, so that
        # moving the model here moved no row (see migrations/0001_initial.py).
        db_table = "clients_activity"
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(candidate__isnull=True))
                | (Q(contact__isnull=True) & Q(candidate__isnull=False)),
                name="activity_exactly_one_person",
                violation_error_message="An activity is about exactly one person.",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-occurred_at"]),
            models.Index(fields=["candidate", "-occurred_at"]),
            models.Index(fields=["contact", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.person} on {self.occurred_at:%Y-%m-%d}"

    @property
    def person(self):
        return self.contact or self.candidate
