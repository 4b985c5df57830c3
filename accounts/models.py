from __future__ import annotations

import secrets
import zoneinfo
from datetime import date, datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import TimeStampedModel


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    """The named time zone; UTC for a name this machine does not know."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_today(time_zone: str, now: datetime) -> date:
    """The day it is at `now` in `time_zone`: a day in a user's life."""
    return now.astimezone(zone_or_utc(time_zone)).date()


def timezone_choices() -> list[tuple[str, str]]:
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
    ]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str):
        # Emails are unique whatever their case, and people type them as they like.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    class Role(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        MANAGER = "manager", "Manager"
        ADMIN = "admin", "Admin"

    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role, default=Role.RECRUITER)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, choices=timezone_choices, default="UTC")
    digest_enabled = models.BooleanField(
        "send me a daily digest",
        default=True,
        help_text="One email a day listing your follow-ups.",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "digest hour",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="Local hour (0-23) the digest is sent; empty uses the agency default.",
    )
    digest_days = models.CharField(
        "digest days",
        max_length=7,
        default="12345",
        blank=True,
        validators=[RegexValidator(r"^[1-7]*$", "Days are digits 1 (Monday) to 7.")],
        help_text="ISO weekdays the digest is sent on: 1 = Monday ... 7 = Sunday.",
    )
    digest_when_empty = models.BooleanField(
        "send the digest even when there is nothing to list", default=False
    )
    team_summary_enabled = models.BooleanField(
        "send me the weekly team summary",
        default=True,
        help_text="Managers: a summary of each team you manage, Mondays at your digest hour.",
    )
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(digest_hour__isnull=True)
                | models.Q(digest_hour__lte=23),
                name="user_digest_hour_0_23",
            ),
            models.CheckConstraint(
                condition=models.Q(digest_days__regex=r"^[1-7]*$"),
                name="user_digest_days_iso_weekdays",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zone_or_utc(self.time_zone)

    def local_now(self, now: datetime | None = None) -> datetime:
        return (now or timezone.now()).astimezone(self.tzinfo)

    def local_today(self, now: datetime | None = None) -> date:
        """The day it is in this user's life, in their own time zone."""
        return self.local_now(now).date()

    @property
    def digest_weekdays(self) -> set[int]:
        """ISO weekdays (1 = Monday) the daily digest goes out on."""
        return {int(day) for day in self.digest_days if day in "1234567"}

    def digest_hour_or(self, default: int) -> int:
        """The local hour of this user's digests (`default`: the agency's)."""
        return default if self.digest_hour is None else self.digest_hour


class Team(TimeStampedModel):
    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    managers = models.ManyToManyField(User, related_name="managed_teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencySettings(models.Model):
    """Agency-wide settings: one row, edited by admins in the admin site."""

    name = models.CharField(max_length=200, default="Demo Agency")
    digest_hour_default = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    dormancy_days = models.PositiveIntegerField(
        default=90,
        validators=[MinValueValidator(1)],
        help_text="Days without any activity after which a relationship is dormant.",
    )
    default_currency = models.CharField(max_length=3, default="GBP")
    require_two_factor = models.BooleanField(
        "require two-factor sign-in for everyone",
        default=False,
        help_text=(
            "Every user must sign in with a code from an authenticator app. Admins "
            "always must."
        ),
    )

    class Meta:
        verbose_name = "agency settings"
        verbose_name_plural = "agency settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour_default__lte=23),
                name="agency_digest_hour_0_23",
            ),
            models.CheckConstraint(
                condition=models.Q(dormancy_days__gte=1),
                name="agency_dormancy_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> AgencySettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
