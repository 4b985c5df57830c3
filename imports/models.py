from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import TimeStampedModel

from .storage import import_storage


class Kind(models.TextChoices):
    CLIENTS = "clients", "Clients"
    CONTACTS = "contacts", "Contacts"
    CANDIDATES = "candidates", "Candidates"
    PLACEMENTS = "placements", "Placements"


class DateFormat(models.TextChoices):
    DMY = "dmy", "day/month/year (31/12/2025)"
    MDY = "mdy", "month/day/year (12/31/2025)"
    ISO = "iso", "year-month-day (2025-12-31)"


class ImportJobQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=ImportJob.RUNNING_STATUSES)


class ImportJob(TimeStampedModel):
    """One uploaded file, from upload through the dry run to the import."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded: choose the columns"
        CHECK_QUEUED = "check_queued", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: waiting for confirmation"
        IMPORT_QUEUED = "import_queued", "Waiting to be imported"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed: nothing was written"

    RUNNING_STATUSES = (
        Status.CHECK_QUEUED,
        Status.CHECKING,
        Status.IMPORT_QUEUED,
        Status.IMPORTING,
    )

    kind = models.CharField(max_length=20, choices=Kind)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports"
    )
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="%Y/%m/", storage=import_storage, max_length=300)
    file_format = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.UPLOADED)
    date_format = models.CharField(
        max_length=3, choices=DateFormat, default=DateFormat.DMY
    )
    # {"column header": "field name"}; columns left out are ignored.
    mapping = models.JSONField(default=dict, blank=True)
    # The header row and a few rows, read once at upload for the mapping page.
    preview = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"row": 17, "message": "start date 31/02/2025 is not a date"}, ...], capped;
    # error_count is the whole number.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(
        blank=True, help_text="Why the whole file stopped, when it did."
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="importjob_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING_STATUSES

    @property
    def is_dry_run_result(self) -> bool:
        return self.status == self.Status.CHECKED

    @property
    def can_retry(self) -> bool:
        """A stopped import whose file is still kept can be checked again."""
        return self.status == self.Status.FAILED and bool(self.file)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.CHECKED and self.error_count == 0

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def row_count(self) -> int:
        return self.created_count + self.updated_count + self.skipped_count


class SavedMapping(TimeStampedModel):
    """A column mapping kept under a name, to use again for the next file."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "kind",
                name="savedmapping_name_per_kind_unique",
                violation_error_message="A mapping with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"
