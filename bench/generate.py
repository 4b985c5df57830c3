"""Fill a PostgreSQL database with a synthetic agency for the benchmark.

    .venv/bin/python bench/generate.py --scale 1 \
        --database-url postgres://postgres@127.0.0.1:5432/crm_bench_s1

Scale 1 is 50 recruiters in 5 teams (5 managers), 5,000 clients, ~15,000 contacts,
20,000 candidates, 8,000 jobs, 20,000 placements, the ~200,000 follow-ups their plans
give and 100,000 activities; scale N multiplies everything by N, so each recruiter's
own book is the same size at every scale. Rows go in with bulk_create; the follow-ups
come from the real `materialize_followups()`. The same seed gives the same rows; dates
are relative to the day of the run. Migrates first; refuses a database with data in
it unless --reset.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from benchenv import DEFAULT_DATABASE_URL, ROOT, setup_django

BATCH = 5000

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Nikhil",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Xena",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Carlos",
    "Dana",
    "Emil",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kai",
    "Lena",
    "Marco",
    "Nora",
]
LAST_NAMES = [
    "Adams",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Khan",
    "Lopez",
    "Murphy",
    "Novak",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Singh",
    "Torres",
    "Ueda",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Zhang",
    "Ahmed",
    "Brown",
    "Costa",
    "Dubois",
    "Ek",
    "Fox",
    "Gupta",
    "Hill",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lee",
    "Moreau",
    "Nash",
]
COMPANY_WORDS = [
    "Acme",
    "Blue",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "North",
    "Orbit",
    "Pine",
    "Quartz",
    "River",
    "Summit",
    "Tidal",
    "Umber",
    "Vertex",
    "Willow",
    "Zenith",
]
COMPANY_KINDS = [
    "Labs",
    "Systems",
    "Health",
    "Logistics",
    "Foods",
    "Energy",
    "Partners",
    "Digital",
    "Works",
]
INDUSTRIES = (
    "Software",
    "Finance",
    "Healthcare",
    "Logistics",
    "Retail",
    "Energy",
    "Manufacturing",
    "Media",
)
CITIES = (
    ("London", "United Kingdom"),
    ("Manchester", "United Kingdom"),
    ("Berlin", "Germany"),
    ("New York", "United States"),
    ("Austin", "United States"),
    ("Sydney", "Australia"),
    ("Dublin", "Ireland"),
)
JOB_TITLES = (
    "Backend Engineer",
    "Data Analyst",
    "Product Manager",
    "Finance Controller",
    "Nurse Practitioner",
    "Warehouse Lead",
    "Account Executive",
    "Site Engineer",
    "UX Designer",
    "Payroll Specialist",
)
# One office per team; the teams cycle through these.
TEAM_ZONES = (
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Europe/Berlin",
)
CANCEL_REASONS = ("Candidate withdrew", "Offer rescinded", "Counter-offer accepted")

# What share of the follow-ups that materialize_followups() created as "skipped,
# entered late" a working agency would have done or left open instead. Buckets are
# 0-99 from a multiplicative hash of the id, so the choice is deterministic.
# (days ago from, days ago to, done below this bucket, open below this bucket)
HISTORY = (
    (1, 30, 70, 95),  # the last month: most done, a quarter still open (overdue)
    (31, 365, 85, 88),  # the last year: mostly done, a few forgotten
    # Older than a year: before the agency adopted the CRM; they stay skipped.
)


def chunked(items: Iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(model, rows: Iterable) -> list[int]:
    """bulk_create in batches, each in its own transaction; returns the new ids."""
    from django.db import transaction

    ids: list[int] = []
    for batch in chunked(rows):
        with transaction.atomic():
            ids.extend(obj.pk for obj in model.objects.bulk_create(batch))
    return ids


class Agency:
    """The synthetic agency, built table by table; keeps only ids between steps."""

    def __init__(self, *, scale: int, seed: int, now: datetime) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = now
        self.today = now.date()

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def phone(self) -> str:
        return f"+44 20 {self.rng.randint(1000, 9999)} {self.rng.randint(1000, 9999)}"

    def users(self) -> None:
        from accounts.models import Team, User

        n_teams = 5 * self.scale
        managers, recruiters = [], []
        for i in range(n_teams):
            first, last = self.person_name()
            managers.append(
                User(
                    email=f"manager{i + 1}@bench.example",
                    first_name=first,
                    last_name=last,
                    role=User.Role.MANAGER,
                    time_zone=TEAM_ZONES[i % len(TEAM_ZONES)],
                    password="!bench",  # unusable: the benchmark uses force_login
                )
            )
        for i in range(50 * self.scale):
            first, last = self.person_name()
            recruiters.append(
                User(
                    email=f"recruiter{i + 1}@bench.example",
                    first_name=first,
                    last_name=last,
                    role=User.Role.RECRUITER,
                    time_zone=TEAM_ZONES[(i // 10) % len(TEAM_ZONES)],
                    phone=self.phone(),
                    password="!bench",
                )
            )
        User.objects.bulk_create(managers + recruiters, batch_size=BATCH)
        teams = Team.objects.bulk_create(
            [Team(name=f"Team {i + 1}") for i in range(n_teams)]
        )
        members = Team.members.through
        leads = Team.managers.through
        members.objects.bulk_create(
            members(team_id=teams[i // 10].pk, user_id=user.pk)
            for i, user in enumerate(recruiters)
        )
        leads.objects.bulk_create(
            leads(team_id=team.pk, user_id=user.pk)
            for team, user in zip(teams, managers, strict=True)
        )
        self.recruiters = [user.pk for user in recruiters]
        self.team_of = {user.pk: i // 10 for i, user in enumerate(recruiters)}

    def clients(self) -> None:
        from clients.models import Client

        rng = self.rng
        n = 5000 * self.scale
        self.client_owner: list[int] = [rng.choice(self.recruiters) for _ in range(n)]

        def rows():
            for i in range(n):
                city, country = rng.choice(CITIES)
                yield Client(
                    name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {i + 1}",
                    industry=rng.choice(INDUSTRIES),
                    city=city,
                    country=country,
                    website=f"https://client{i + 1}.example",
                    phone=self.phone(),
                    status=rng.choices(
                        [Client.Status.ACTIVE, Client.Status.PROSPECT, "inactive"],
                        weights=[80, 12, 8],
                    )[0],
                    owner_id=self.client_owner[i],
                )

        self.client_ids = insert(Client, rows())

    def contacts(self) -> None:
        from clients.models import Contact

        rng = self.rng
        plan = [
            (ci, rng.choices([1, 2, 3, 4, 5], weights=[15, 25, 25, 20, 15])[0])
            for ci in range(len(self.client_ids))
        ]
        roles = [r for r, _ in Contact.Role.choices]

        def rows():
            n = 0
            for ci, k in plan:
                for _ in range(k):
                    n += 1
                    first, last = self.person_name()
                    yield Contact(
                        first_name=first,
                        last_name=last,
                        email=f"{first}.{last}.{n}@client{ci + 1}.example".lower(),
                        phone=self.phone(),
                        client_id=self.client_ids[ci],
                        job_title=rng.choice(JOB_TITLES) + " Manager",
                        role=rng.choices(roles, weights=[60, 20, 10, 10])[0],
                        owner_id=self.client_owner[ci],
                    )

        ids = iter(insert(Contact, rows()))
        self.contacts_of = [[next(ids) for _ in range(k)] for _, k in plan]

    def candidates(self) -> None:
        from clients.models import Candidate

        rng = self.rng

        def rows():
            for i in range(20000 * self.scale):
                first, last = self.person_name()
                city, _ = rng.choice(CITIES)
                yield Candidate(
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{i + 1}@mail.example".lower(),
                    phone=self.phone(),
                    current_title=rng.choice(JOB_TITLES),
                    city=city,
                    status=rng.choices(
                        [Candidate.Status.AVAILABLE, Candidate.Status.NOT_LOOKING],
                        weights=[70, 30],
                    )[0],
                    owner_id=rng.choice(self.recruiters),
                )

        self.candidate_ids = insert(Candidate, rows())

    def skewed(self, n: int) -> int:
        """An index in range(n) where low indexes (big accounts) come up more."""
        return min(n - 1, int(n * self.rng.random() ** 1.6))

    def jobs(self) -> None:
        from placements.models import Job

        rng = self.rng
        n_clients = len(self.client_ids)
        self.job_client: list[int] = []
        self.job_contact: list[int] = []
        self.job_owner: list[int] = []
        for _ in range(8000 * self.scale):
            ci = self.skewed(n_clients)
            self.job_client.append(ci)
            self.job_contact.append(rng.choice(self.contacts_of[ci]))
            self.job_owner.append(
                self.client_owner[ci]
                if rng.random() < 0.8
                else rng.choice(self.recruiters)
            )

        def rows():
            for j, ci in enumerate(self.job_client):
                yield Job(
                    client_id=self.client_ids[ci],
                    title=rng.choice(JOB_TITLES),
                    hiring_contact_id=self.job_contact[j],
                    status=rng.choices(
                        [Job.Status.FILLED, Job.Status.OPEN, Job.Status.CLOSED],
                        weights=[70, 20, 10],
                    )[0],
                    location=rng.choice(CITIES)[0],
                    owner_id=self.job_owner[j],
                    opened_on=self.today - timedelta(days=rng.randint(30, 1160)),
                )

        self.job_ids = insert(Job, rows())

    def placements(self) -> None:
        from placements.models import Placement

        rng = self.rng
        today = self.today
        # For the activities: (placement id, candidate id, client id, recruiter id).
        self.placement_rows: list[tuple[int, int, int, int]] = []
        specs = []
        for _ in range(20000 * self.scale):
            j = rng.randrange(len(self.job_ids))
            ci = self.job_client[j]
            permanent = rng.random() < 0.75
            start = today + timedelta(days=rng.randint(-1095, 60))
            end = (
                None
                if permanent
                else start + timedelta(days=rng.choice([91, 182, 273, 365]))
            )
            if rng.random() < 0.03:
                status = rng.choice(
                    [Placement.Status.CANCELLED, Placement.Status.FELL_OFF]
                )
            elif start > today:
                status = Placement.Status.PENDING
            elif end and end < today:
                status = Placement.Status.COMPLETED
            else:
                status = Placement.Status.ACTIVE
            ended = status in Placement.ENDED_STATUSES
            specs.append(
                Placement(
                    candidate_id=rng.choice(self.candidate_ids),
                    job_id=self.job_ids[j],
                    client_id=self.client_ids[ci],
                    contact_id=self.job_contact[j]
                    if rng.random() < 0.9
                    else rng.choice(self.contacts_of[ci]),
                    placement_type=Placement.Type.PERMANENT
                    if permanent
                    else Placement.Type.CONTRACT,
                    start_date=start,
                    end_date=end,
                    fee=Decimal(rng.randrange(5000, 30000, 250)),
                    pay=Decimal(
                        rng.randrange(30000, 120000, 1000)
                        if permanent
                        else rng.randrange(300, 900, 25)
                    ),
                    pay_basis=Placement.PayBasis.ANNUAL
                    if permanent
                    else Placement.PayBasis.DAILY,
                    guarantee_days=rng.choice([60, 90, 90, 90, 180])
                    if permanent
                    else 0,
                    recruiter_id=self.job_owner[j]
                    if rng.random() < 0.75
                    else rng.choice(self.recruiters),
                    status=status,
                    cancel_reason=rng.choice(CANCEL_REASONS) if ended else "",
                    cancelled_at=datetime.combine(start, datetime.min.time(), UTC)
                    - timedelta(days=rng.randint(1, 20))
                    if ended
                    else None,
                )
            )
        ids = insert(Placement, specs)
        self.placement_rows = [
            (pk, p.candidate_id, p.client_id, p.recruiter_id)
            for pk, p in zip(ids, specs, strict=True)
        ]

    def activities(self) -> None:
        from activities.models import Activity

        rng = self.rng
        kinds = [k for k, _ in Activity.Kind.choices]
        span = 1095 * 86400

        def rows():
            for _ in range(100000 * self.scale):
                # Skewed to the recent past: busy books are touched often.
                at = self.now - timedelta(seconds=int(span * rng.random() ** 1.7))
                kind = rng.choices(kinds, weights=[45, 35, 10, 10])[0]
                if rng.random() < 0.55:
                    ci = self.skewed(len(self.client_ids))
                    yield Activity(
                        kind=kind,
                        occurred_at=at,
                        by_id=self.client_owner[ci]
                        if rng.random() < 0.7
                        else rng.choice(self.recruiters),
                        contact_id=rng.choice(self.contacts_of[ci]),
                        client_id=self.client_ids[ci],
                        subject=f"{kind.capitalize()} about hiring plans",
                    )
                else:
                    pk, candidate, client, recruiter = rng.choice(self.placement_rows)
                    yield Activity(
                        kind=kind,
                        occurred_at=at,
                        by_id=recruiter,
                        candidate_id=candidate,
                        client_id=client,
                        placement_id=pk if rng.random() < 0.6 else None,
                        subject=f"{kind.capitalize()}: how is the role going",
                    )

        self.activity_count = len(insert(Activity, rows()))


def backdate_and_mark_placed(now: datetime) -> None:
    """bulk_create stamps created_at with now; records of a three-year-old agency
    were created over those years (it matters to dormancy)."""
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from clients.models import Candidate, Client, Contact
    from placements.models import Placement

    with connection.cursor() as cursor:
        for model in (Client, Contact, Candidate):
            cursor.execute(
                f"UPDATE {model._meta.db_table} SET created_at = %s"
                " - make_interval(days => ((id * 7919) %% 1100 + 30)::int),"
                " updated_at = %s",
                [now, now],
            )
        cursor.execute(
            f"UPDATE {Placement._meta.db_table} SET"
            " created_at = start_date - make_interval(days => (id % 20)::int),"
            " updated_at = start_date - make_interval(days => (id % 20)::int)"
        )
    Candidate.objects.filter(
        Exists(Placement.objects.live().filter(candidate=OuterRef("pk")))
    ).update(status=Candidate.Status.PLACED)


def work_the_history(today: date) -> dict[str, int]:
    """Turn a realistic share of past "skipped, entered late" follow-ups into done
    ones (with an outcome) and open ones (the overdue rows of the dashboards)."""
    from django.db import connection

    from followups.models import FollowUp

    table = FollowUp._meta.db_table
    bucket = "(((id * 2654435761) %% 4294967296) * 100 / 4294967296)"
    changed = {"done": 0, "open": 0}
    with connection.cursor() as cursor:
        for days_from, days_to, done_below, open_below in HISTORY:
            where = (
                "status = 'skipped' AND due_date BETWEEN %(today)s::date - %(to)s"
                " AND %(today)s::date - %(from)s"
            )
            params = {"today": today, "from": days_from, "to": days_to}
            # 10:00 UTC on the day it was done: the due day or up to two days later.
            done_on = "LEAST(due_date + ((id * 40503) %% 3)::int, %(today)s::date - 1)"
            cursor.execute(
                f"UPDATE {table} SET status = 'done', status_reason = '',"
                " outcome = (ARRAY['reached', 'reached', 'left_message', 'no_answer',"
                "   'not_needed'])[1 + (id * 7919) %% 5],"
                f" completed_on = {done_on},"
                f" completed_at = ({done_on} + time '10:00') AT TIME ZONE 'UTC',"
                f" updated_at = ({done_on} + time '10:00') AT TIME ZONE 'UTC',"
                " completed_by_id = assigned_to_id"
                f" WHERE {where} AND {bucket} < %(done)s",
                {**params, "done": done_below},
            )
            changed["done"] += cursor.rowcount
            cursor.execute(
                f"UPDATE {table} SET status = 'open', status_reason = ''"
                f" WHERE {where} AND {bucket} >= %(done)s AND {bucket} < %(open)s",
                {**params, "done": done_below, "open": open_below},
            )
            changed["open"] += cursor.rowcount
    return changed


def replay_data_migrations() -> None:
    """After a flush: run again the project's own data migrations (the default
    follow-up plans), which flush emptied along with everything else."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    venv = ROOT / ".venv"
    local = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and not Path(config.path).is_relative_to(venv)
    }
    loader = MigrationLoader(connection)
    seen: set[tuple[str, str]] = set()
    with connection.schema_editor() as editor:
        for leaf in sorted(loader.graph.leaf_nodes()):
            for key in loader.graph.forwards_plan(leaf):
                if key in seen or key[0] not in local:
                    continue
                seen.add(key)
                migration = loader.graph.nodes[key]
                code = [op for op in migration.operations if isinstance(op, RunPython)]
                if code:
                    state = loader.project_state(key, at_end=True)
                    for op in code:
                        op.code(state.apps, editor)


def has_data() -> bool:
    from accounts.models import User
    from clients.models import Candidate, Client
    from placements.models import Placement

    return any(m.objects.exists() for m in (User, Client, Candidate, Placement))


def counts() -> dict[str, int]:
    from django.db.models import Count

    from accounts.models import Team, User
    from activities.models import Activity
    from clients.models import Candidate, Client, Contact
    from followups.models import FollowUp, PlacementPlan
    from placements.models import Job, Placement

    result = {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "clients": Client.objects.count(),
        "contacts": Contact.objects.count(),
        "candidates": Candidate.objects.count(),
        "jobs": Job.objects.count(),
        "placements": Placement.objects.count(),
        "placement_plans": PlacementPlan.objects.count(),
        "followups": FollowUp.objects.count(),
        "activities": Activity.objects.count(),
    }
    for row in FollowUp.objects.values("status").annotate(n=Count("pk")):
        result[f"followups_{row['status']}"] = row["n"]
    return result


def generate(*, scale: int, seed: int, reset: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from followups.jobs import materialize_followups

    timings: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str, fn, *args):
        t0 = time.perf_counter()
        value = fn(*args)
        timings[name] = round(time.perf_counter() - t0, 2)
        print(f"  {name:<22} {timings[name]:8.1f} s", flush=True)
        return value

    call_command("migrate", verbosity=0, interactive=False)
    if has_data():
        if not reset:
            raise SystemExit(
                "generate.py: the database already has data; "
                "pass --reset to flush it first."
            )
        step("flush", call_command, "flush", "--no-input", "--verbosity=0")
        replay_data_migrations()

    with connection.cursor() as cursor:  # no summary until this run completes
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"COMMENT ON DATABASE {name} IS NULL")
    now = datetime.now(UTC)
    agency = Agency(scale=scale, seed=seed, now=now)
    print(f"Generating scale {scale} (seed {seed}):", flush=True)
    step("users_and_teams", agency.users)
    step("clients", agency.clients)
    step("contacts", agency.contacts)
    step("candidates", agency.candidates)
    step("jobs", agency.jobs)
    step("placements", agency.placements)
    step("activities", agency.activities)
    step("backdate", backdate_and_mark_placed, now)
    sync = step("materialize_followups", materialize_followups)
    print(f"    {sync}")
    history = step("work_the_history", work_the_history, now.date())
    print(f"    {history['done']} made done, {history['open']} left open (overdue)")
    with connection.cursor() as cursor:
        step("vacuum_analyze", cursor.execute, "VACUUM ANALYZE")
    total = round(time.perf_counter() - started, 1)
    numbers = counts()
    print("Counts:")
    for name, value in numbers.items():
        print(f"  {name:<22} {value:>10,}")
    print(f"Done in {total:.1f} s")
    return {
        "scale": scale,
        "seed": seed,
        "generated_at": now.isoformat(timespec="seconds"),
        "seconds": total,
        "timings": timings,
        "materialize": str(sync),
        "counts": numbers,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = 20,000 placements")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL URL (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--reset", action="store_true", help="flush a database that has data"
    )
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    setup_django(args.database_url)

    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("generate.py: needs a PostgreSQL --database-url.")
    summary = generate(scale=args.scale, seed=args.seed, reset=args.reset)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    # The summary travels with the data: run.py --reuse reads it back from here.
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [json.dumps(summary)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
