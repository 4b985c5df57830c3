"""The periodic jobs of follow-ups: bring placements' follow-ups in line with their
plans (hourly, and for one placement when it is recorded or changed), and flag
dormant relationships (nightly). Celery tasks (tasks.py) and management commands
call them; they run as the system, not as a user, so they check no permission.

Both are safe to run twice, and twice at once (see each), and each reports only what
its own run changed: of two runs at once, the counts add up to what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from accounts.models import AgencySettings, User, local_today
from clients.models import Candidate, Client, Contact
from core.db import insert_new
from placements.models import Placement

from .health import dormant_q
from .models import ENTERED_LATE, FollowUp, FollowUpPlan, Kind, PlacementPlan, PlanRule

CHUNK = 2000


@dataclass
class SyncResult:
    created: int = 0
    skipped: int = 0
    moved: int = 0
    cancelled: int = 0
    placements: int = 0

    def __str__(self) -> str:
        return (
            f"{self.placements} placements checked: {self.created} follow-ups created, "
            f"{self.skipped} skipped as entered late, {self.moved} moved, "
            f"{self.cancelled} cancelled"
        )


def _today_by_user(user_ids: Iterable[int], now: datetime) -> dict[int, date]:
    zones = dict(
        User.objects.filter(id__in=set(user_ids)).values_list("id", "time_zone")
    )
    cache: dict[str, date] = {}
    result = {}
    for uid, tz in zones.items():
        if tz not in cache:
            cache[tz] = local_today(tz, now)
        result[uid] = cache[tz]
    return result


def _link_plans(placements: Iterable[Placement]) -> None:
    """Give every placement without a plan (or with a plan for the other type) the
    default plan for its type."""
    defaults = {
        p.placement_type: p.pk for p in FollowUpPlan.objects.filter(is_default=True)
    }
    placements = list(placements)
    links = dict(
        PlacementPlan.objects.filter(
            placement__in=[p.pk for p in placements]
        ).values_list("placement_id", "plan__placement_type")
    )
    missing = [
        PlacementPlan(placement_id=p.pk, plan_id=defaults[p.placement_type])
        for p in placements
        if p.pk not in links and p.placement_type in defaults
    ]
    PlacementPlan.objects.bulk_create(missing, ignore_conflicts=True)
    for p in placements:
        if (
            p.pk in links
            and links[p.pk] != p.placement_type
            and p.placement_type in defaults
        ):
            PlacementPlan.objects.filter(placement_id=p.pk).update(
                plan_id=defaults[p.placement_type]
            )


def materialize_followups(
    *, now: datetime | None = None, placement_ids: Iterable[int] | None = None
) -> SyncResult:
    """Bring placements' follow-ups in line with their plans.

    One code path serves a single placement (when it is recorded or changed) and the
    hourly job over every placement. It is set-based (bulk inserts and updates per
    chunk), safe to run twice (a second run finds nothing to do) and safe to run twice
    at once: the unique (placement, rule) constraint turns a racing insert into a no-op,
    and a move or cancel re-checks the row under lock, so the run that lost the race
    neither changes nor counts it.
    """
    now = now or timezone.now()
    result = SyncResult()
    placements = Placement.objects.order_by("pk")
    if placement_ids is not None:
        placements = placements.filter(pk__in=list(placement_ids))
    rules_by_plan: dict[int, list[PlanRule]] = defaultdict(list)
    for rule in PlanRule.objects.order_by("position", "pk"):
        rules_by_plan[rule.plan_id].append(rule)

    last_pk = 0
    while True:
        chunk = list(
            placements.filter(pk__gt=last_pk).only(
                "pk",
                "placement_type",
                "start_date",
                "end_date",
                "guarantee_days",
                "recruiter_id",
                "candidate_id",
                "contact_id",
                "client_id",
                "status",
                "cancel_reason",
            )[:CHUNK]
        )
        if not chunk:
            break
        last_pk = chunk[-1].pk
        with transaction.atomic():
            _sync_chunk(chunk, rules_by_plan, now, result)
    return result


def _sync_chunk(chunk, rules_by_plan, now, result: SyncResult) -> None:
    live = [p for p in chunk if not p.is_ended]
    _link_plans(live)
    plan_of = dict(
        PlacementPlan.objects.filter(placement__in=[p.pk for p in chunk]).values_list(
            "placement_id", "plan_id"
        )
    )
    today_of = _today_by_user({p.recruiter_id for p in chunk}, now)
    existing: dict[int, list[FollowUp]] = defaultdict(list)
    rows = (
        FollowUp.objects.filter(placement__in=chunk)
        .order_by("pk")
        .only(
            "pk",
            "placement_id",
            "rule_id",
            "status",
            "due_date",
            "original_due_date",
            "candidate_id",
            "contact_id",
            "client_id",
        )
    )
    for f in rows:
        f.seen = _as_read(f)  # to re-check under lock before writing
        existing[f.placement_id].append(f)

    to_create: list[FollowUp] = []
    to_move: list[FollowUp] = []
    to_cancel: dict[str, list[int]] = defaultdict(list)

    for placement in chunk:
        result.placements += 1
        mine = existing.get(placement.pk, [])
        if placement.is_ended:
            reason = f"placement {placement.get_status_display().lower()}: {placement.cancel_reason}"
            to_cancel[reason[:300]].extend(f.pk for f in mine if f.is_open)
            continue
        rules = rules_by_plan.get(plan_of.get(placement.pk), [])
        by_rule = {f.rule_id: f for f in mine if f.rule_id}
        for rule in rules:
            due = rule.due_date_for(placement)
            person = _person_for(rule, placement)
            current = by_rule.get(rule.pk)
            if due is None or person is None:
                if current and current.is_open:
                    to_cancel["no longer applies to this placement"].append(current.pk)
                continue
            if current is None:
                late = due < today_of.get(placement.recruiter_id, now.date())
                to_create.append(
                    FollowUp(
                        assigned_to_id=placement.recruiter_id,
                        kind=rule.kind,
                        title=rule.title,
                        talking_points=rule.talking_points,
                        placement_id=placement.pk,
                        rule_id=rule.pk,
                        client_id=placement.client_id,
                        due_date=due,
                        original_due_date=due,
                        status=FollowUp.Status.SKIPPED
                        if late
                        else FollowUp.Status.OPEN,
                        status_reason=ENTERED_LATE if late else "",
                        **person,
                    )
                )
            elif current.is_open and _bring_in_line(current, due, person, placement):
                to_move.append(current)
        # Open follow-ups from rules of another plan (the placement changed type).
        # Hand-made ones (no rule) are the recruiter's and stay.
        rule_ids = {rule.pk for rule in rules}
        to_cancel["no longer in the placement's plan"].extend(
            f.pk for f in mine if f.is_open and f.rule_id and f.rule_id not in rule_ids
        )

    # Only the rows this run inserted come back: a racing run's are not counted.
    for (status,) in insert_new(to_create, returning=["status"]):
        if status == FollowUp.Status.SKIPPED:
            result.skipped += 1
        else:
            result.created += 1
    if to_move:
        # Lock only what is to be written, and drop any row that changed since it
        # was read (a snooze, a done, or a racing run that moved it first): that
        # newer write wins.
        now_seen = {
            f.pk: _as_read(f)
            for f in FollowUp.objects.select_for_update()
            .filter(pk__in=[f.pk for f in to_move])
            .order_by("pk")
            .only(*_READ_AGAIN)
        }
        to_move = [f for f in to_move if now_seen.get(f.pk) == f.seen]
        FollowUp.objects.bulk_update(
            to_move,
            ["due_date", "original_due_date", "candidate", "contact", "client"],
            batch_size=1000,
        )
        result.moved += len(to_move)
    for reason, ids in to_cancel.items():
        if ids:
            result.cancelled += FollowUp.objects.filter(
                pk__in=ids, status=FollowUp.Status.OPEN
            ).update(
                status=FollowUp.Status.CANCELLED, status_reason=reason, updated_at=now
            )


_READ_AGAIN = (
    "status",
    "due_date",
    "original_due_date",
    "candidate_id",
    "contact_id",
    "client_id",
)


def _as_read(followup: FollowUp) -> tuple:
    """What a move re-checks before writing: everything it may change."""
    return tuple(getattr(followup, name) for name in _READ_AGAIN)


def _bring_in_line(
    followup: FollowUp, due: date, person: dict, placement: Placement
) -> bool:
    """Update an open follow-up to what its rule now gives: the date (a snooze is
    kept unless the date itself moved), the person and the client. True if changed."""
    changed = False
    if followup.original_due_date != due:
        followup.due_date = followup.original_due_date = due
        changed = True
    wanted = {
        "candidate_id": person.get("candidate_id"),
        "contact_id": person.get("contact_id"),
        "client_id": placement.client_id,
    }
    for name, value in wanted.items():
        if getattr(followup, name) != value:
            setattr(followup, name, value)
            changed = True
    return changed


def _person_for(rule: PlanRule, placement: Placement) -> dict | None:
    if rule.target == PlanRule.Target.CANDIDATE:
        return {"candidate_id": placement.candidate_id}
    if placement.contact_id:
        return {"contact_id": placement.contact_id}
    return None


# Nightly


def flag_dormant_relationships(*, now: datetime | None = None) -> int:
    """One open re-engagement follow-up for every client and placed candidate with no
    activity for the agency's dormancy threshold; never a second while one is open.
    Returns how many this run added."""
    now = now or timezone.now()
    days = AgencySettings.load().dormancy_days
    cutoff = now - timedelta(days=days)
    open_reengagement = FollowUp.objects.filter(
        kind=Kind.REENGAGEMENT, status=FollowUp.Status.OPEN
    )

    clients = (
        Client.objects.active()
        .annotate(last_touch=Max("activities__occurred_at"))
        .filter(dormant_q(cutoff))
        .exclude(
            Exists(
                open_reengagement.filter(client=OuterRef("pk"), candidate__isnull=True)
            )
        )
        .order_by("pk")  # two runs at once insert in one order: no deadlock
        .values_list("pk", "owner_id", "owner__time_zone", "last_touch")
    )
    client_rows = list(clients)
    # The person to call at a client: the contact touched last, else the newest.
    contact_for: dict[int, int] = {}
    for contact_id, client_id in (
        Contact.objects.active()
        .filter(client_id__in=[row[0] for row in client_rows])
        .annotate(last=Max("activities__occurred_at"))
        .order_by("client_id", "last", "created_at")
        .values_list("pk", "client_id")
    ):
        contact_for[client_id] = contact_id  # ordered ascending: the last one wins

    new: list[FollowUp] = []
    for client_id, owner_id, tz, last_touch in client_rows:
        if client_id not in contact_for:
            continue
        new.append(
            _reengagement(
                owner_id,
                local_today(tz, now),
                _quiet_for(last_touch, now, days),
                "Catch up: how is the team doing, any hiring plans?",
                contact_id=contact_for[client_id],
                client_id=client_id,
            )
        )

    placed = Placement.objects.live().filter(candidate=OuterRef("pk"))
    candidates = (
        Candidate.objects.active()
        .filter(Exists(placed))
        .annotate(last_touch=Max("activities__occurred_at"))
        .filter(dormant_q(cutoff))
        .exclude(Exists(open_reengagement.filter(candidate=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "owner_id", "owner__time_zone", "last_touch")
    )
    for candidate_id, owner_id, tz, last_touch in candidates:
        new.append(
            _reengagement(
                owner_id,
                local_today(tz, now),
                _quiet_for(last_touch, now, days),
                "How is the role going? Open to a move, or know someone who is?",
                candidate_id=candidate_id,
            )
        )
    # The partial unique constraints make a racing second run insert nothing, and
    # only what this run inserted is counted.
    return len(insert_new(new))


def _reengagement(
    owner_id: int, today: date, quiet_for: str, talking_points: str, **person: int
) -> FollowUp:
    """An open re-engagement follow-up for a record's owner, due today."""
    return FollowUp(
        assigned_to_id=owner_id,
        kind=Kind.REENGAGEMENT,
        title="Re-engage: " + quiet_for,
        talking_points=talking_points,
        due_date=today,
        original_due_date=today,
        **person,
    )


def _quiet_for(last_touch: datetime | None, now: datetime, days: int) -> str:
    if last_touch is None:
        return "no activity on record"
    return f"no touch for {(now - last_touch).days} days"
