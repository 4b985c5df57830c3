"""Relationship health: how warm a client or candidate relationship is, rated in the
database (so lists sort by it) and explained in words. Every threshold and level is
defined here; lists, dashboards and emails call these helpers.

A score from 0 (warm) up to 5 (coldest), in points:

- recency: no touch for more than 30 days +2; for more than 90 days, or never, +3;
- overdue: one or two open overdue follow-ups +1, three or more +2;
- frequency: six or more touches in the last 180 days -1;
- repeat business: two or more live placements -1.

Warm is a score of 0 or less, cooling 1 or 2, cold 3 or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Activity
from placements.models import Placement

from .models import FollowUp

WARM, COOLING, COLD = "warm", "cooling", "cold"
LEVELS = (WARM, COOLING, COLD)
# The highest score of each level but the coldest.
WARM_UP_TO, COOLING_UP_TO = 0, 2
# How each level's badge is drawn (Bootstrap).
BADGE_CLASSES = {
    WARM: "text-bg-success",
    COOLING: "text-bg-warning",
    COLD: "text-bg-danger",
}

RECENT_DAYS = 30  # touched within: no recency points
QUIET_DAYS = 90  # untouched for longer (or never): the most recency points
RECENT_POINTS, QUIET_POINTS, NEVER_POINTS = 0, 2, 3
FREQUENCY_DAYS = 180
FREQUENT_TOUCHES = 6
MANY_OVERDUE = 3
SOME_OVERDUE_POINTS, MANY_OVERDUE_POINTS = 1, 2
REPEAT_PLACEMENTS = 2
FREQUENT_POINTS = REPEAT_POINTS = -1

# Coldest first; among equally cold, the one untouched longest first.
COLDEST_FIRST = ("-health_score", F("last_touch").asc(nulls_first=True), "pk")
WARMEST_FIRST = ("health_score", F("last_touch").desc(nulls_last=True), "pk")


@dataclass
class Health:
    level: str
    reason: str

    @property
    def label(self) -> str:
        return level_label(self.level)

    @property
    def badge_class(self) -> str:
        return BADGE_CLASSES[self.level]


def level_label(level: str) -> str:
    return level.capitalize()


def levels_in_words(conjunction: str = "or") -> str:
    """The levels in a sentence ("warm, cooling or cold")."""
    return f"{', '.join(LEVELS[:-1])} {conjunction} {LEVELS[-1]}"


def level_of(score: int) -> str:
    return WARM if score <= WARM_UP_TO else COOLING if score <= COOLING_UP_TO else COLD


# The same levels as conditions on an annotated `health_score`.
LEVEL_Q = {
    WARM: Q(health_score__lte=WARM_UP_TO),
    COOLING: Q(health_score__gt=WARM_UP_TO, health_score__lte=COOLING_UP_TO),
    COLD: Q(health_score__gt=COOLING_UP_TO),
}


def last_touch_expression(model):
    """The time of the last activity with each client or candidate (`model`)."""
    return Subquery(
        Activity.objects.filter(**{model._meta.model_name: OuterRef("pk")})
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def health_annotations(model, *, now: datetime | None = None) -> dict:
    """What the score is made of, as annotations on a client or candidate queryset:
    `last_touch`, `touches_180`, `overdue_count` and `placement_count`."""
    now = now or timezone.now()
    field = model._meta.model_name  # "client" or "candidate"
    mine = {field: OuterRef("pk")}
    since = now - timedelta(days=FREQUENCY_DAYS)
    return {
        "last_touch": last_touch_expression(model),
        "touches_180": correlated_count(
            Activity.objects.filter(**mine, occurred_at__gte=since), field
        ),
        # Due before the day of `now` in UTC, not each assignee's own today (as the
        # follow-up lists count overdue): that would need the assignees' zones.
        "overdue_count": correlated_count(
            FollowUp.objects.open().filter(**mine, due_date__lt=now.date()), field
        ),
        "placement_count": correlated_count(
            Placement.objects.live().filter(**mine), field
        ),
    }


def correlated_count(qs: QuerySet, field: str):
    """A correlated COUNT(*) as an annotation (0 when there are no rows)."""
    return Coalesce(
        Subquery(
            qs.order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _points(*whens: When, default: int = 0) -> Case:
    return Case(*whens, default=Value(default), output_field=IntegerField())


def health_score_expression(now: datetime | None = None):
    """The score from the annotations of `health_annotations`."""
    now = now or timezone.now()
    recency = _points(
        When(
            last_touch__gte=now - timedelta(days=RECENT_DAYS),
            then=Value(RECENT_POINTS),
        ),
        When(
            last_touch__gte=now - timedelta(days=QUIET_DAYS), then=Value(QUIET_POINTS)
        ),
        default=NEVER_POINTS,
    )
    overdue = _points(
        When(overdue_count__gte=MANY_OVERDUE, then=Value(MANY_OVERDUE_POINTS)),
        When(overdue_count__gte=1, then=Value(SOME_OVERDUE_POINTS)),
    )
    frequent = _points(
        When(touches_180__gte=FREQUENT_TOUCHES, then=Value(FREQUENT_POINTS))
    )
    repeat = _points(
        When(placement_count__gte=REPEAT_PLACEMENTS, then=Value(REPEAT_POINTS))
    )
    return recency + overdue + frequent + repeat


def with_health(qs: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Clients or candidates annotated with their `health_score` (and its parts)."""
    return qs.annotate(**health_annotations(qs.model, now=now)).annotate(
        health_score=health_score_expression(now)
    )


def count_by_level(qs: QuerySet) -> dict[str, int]:
    """How many of `qs` (from `with_health`) are at each level. Grouped by score in
    the database, so each row's score (a handful of correlated subqueries) is
    computed once, not once per level; the few score groups are then added up."""
    levels = dict.fromkeys(LEVELS, 0)
    for row in qs.order_by().values("health_score").annotate(n=Count("pk")):
        levels[level_of(row["health_score"])] += row["n"]
    return levels


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def describe_health(obj, *, now: datetime | None = None) -> Health:
    """Turn the annotations on a client or candidate into a level and a reason."""
    now = now or timezone.now()
    parts = []
    if obj.last_touch is None:
        parts.append("no touch on record")
    else:
        days = (now - obj.last_touch).days
        parts.append(
            "touched today"
            if days == 0
            else f"no touch for {_days(days)}"
            if days > RECENT_DAYS
            else f"last touch {_days(days)} ago"
        )
    if obj.overdue_count:
        parts.append(
            f"{obj.overdue_count} overdue follow-up{'s' if obj.overdue_count != 1 else ''}"
        )
    if obj.touches_180 >= FREQUENT_TOUCHES:
        parts.append(f"{obj.touches_180} touches in {FREQUENCY_DAYS} days")
    if obj.placement_count >= REPEAT_PLACEMENTS:
        parts.append(f"{obj.placement_count} placements")
    return Health(level=level_of(obj.health_score), reason=", ".join(parts))


def dormant_q(cutoff: datetime) -> Q:
    """Dormant: created before `cutoff` and untouched since (or never touched), on
    a queryset annotated with `last_touch`. The nightly job flags these; the
    dashboard counts them."""
    return Q(created_at__lt=cutoff) & (
        Q(last_touch__lt=cutoff) | Q(last_touch__isnull=True)
    )
