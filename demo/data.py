"""A realistic demo agency, made idempotently (`manage.py seed_demo`).

Every record goes through the same services a user's request does, so placements get
their follow-up plans exactly as they would in real use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from accounts.models import AgencySettings, Team, User
from activities.models import Activity
from activities.services import activity_log
from clients import services as client_services
from clients.models import Candidate, Client, Contact
from followups.jobs import flag_dormant_relationships
from followups.models import ENTERED_LATE, FollowUp
from followups.services import followup_complete
from placements import services as placement_services
from placements.models import Job, Placement

DEMO_PASSWORD = "demo-pass-2026"
ADMIN_EMAIL = "admin@demo.agency"

MANAGERS = [
    ("mia", "Mia", "Morgan", "Europe/London"),
    ("noah", "Noah", "Fischer", "Europe/Berlin"),
]
TEAMS = {
    "North team": (
        "mia",
        [
            ("alice", "Alice", "Archer"),
            ("bob", "Bob", "Brennan"),
            ("chloe", "Chloe", "Chen"),
        ],
    ),
    "South team": (
        "noah",
        [("dan", "Dan", "Doyle"), ("eve", "Eve", "Evans"), ("finn", "Finn", "Foster")],
    ),
}
INDUSTRIES = [
    "Software",
    "Fintech",
    "Healthcare",
    "Logistics",
    "Retail",
    "Manufacturing",
    "Energy",
    "Media",
    "Legal services",
    "Construction",
]
JOB_TITLES = [
    "Backend Engineer",
    "Frontend Developer",
    "Data Analyst",
    "Product Manager",
    "Finance Manager",
    "Operations Lead",
    "Account Executive",
    "HR Business Partner",
    "DevOps Engineer",
    "Marketing Manager",
    "Site Engineer",
    "Legal Counsel",
    "Customer Success Manager",
    "Warehouse Supervisor",
    "Nurse Practitioner",
]
ACTIVITY_NOTES = [
    "Caught up on how the role is going.",
    "Left a voicemail, will try again.",
    "Discussed upcoming hiring plans for Q3.",
    "Sent a check-in email.",
    "Coffee meeting; very happy with the placement.",
    "Asked about referrals.",
    "Talked through contract extension options.",
    "Quick note after LinkedIn message.",
]
# What each kind of touch says, so an "email" never reads like a voicemail.
NOTES_BY_KIND = {
    "call": [
        "Caught up on how the role is going.",
        "Left a voicemail, will try again.",
        "Talked through contract extension options.",
        "Discussed upcoming hiring plans for Q3.",
    ],
    "email": [
        "Sent a check-in email.",
        "Emailed a market update and salary guide.",
        "Replied about next quarter's hiring plans.",
    ],
    "meeting": [
        "Coffee meeting; very happy with the placement.",
        "Met the hiring team at their office.",
        "Lunch: asked about referrals.",
    ],
    "note": [
        "Quick note after LinkedIn message.",
        "Promoted to team lead, per LinkedIn.",
        "Prefers contact by email in the mornings.",
    ],
}


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str]]


def demo_logins() -> list[tuple[str, str]]:
    logins = [(ADMIN_EMAIL, "admin")]
    for team, (manager, recruiters) in TEAMS.items():
        logins.append((f"{manager}@demo.agency", f"manager of the {team}"))
        logins.extend((f"{r[0]}@demo.agency", f"recruiter, {team}") for r in recruiters)
    return logins


def seed_demo(*, today: date | None = None, seed: int = 2026) -> DemoResult:
    """Create the demo agency unless it exists; the whole of it or nothing."""
    if User.objects.filter(email=ADMIN_EMAIL).exists():
        return DemoResult(created=False, logins=demo_logins())
    with transaction.atomic():
        _seed(today or timezone.localdate(), seed)
    return DemoResult(created=True, logins=demo_logins())


def _seed(today: date, seed: int) -> None:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    AgencySettings.load()
    User.objects.create_superuser(
        ADMIN_EMAIL,
        DEMO_PASSWORD,
        first_name="Ada",
        last_name="Admin",
        time_zone="Europe/London",
    )
    managers = {
        key: User.objects.create_user(
            f"{key}@demo.agency",
            DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=User.Role.MANAGER,
            time_zone=tz,
        )
        for key, first, last, tz in MANAGERS
    }
    recruiters: list[User] = []
    for team_name, (manager_key, members) in TEAMS.items():
        team = Team.objects.create(name=team_name)
        team.managers.add(managers[manager_key])
        for key, first, last in members:
            user = User.objects.create_user(
                f"{key}@demo.agency",
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                role=User.Role.RECRUITER,
                time_zone=managers[manager_key].time_zone,
                phone=fake.phone_number(),
            )
            team.members.add(user)
            recruiters.append(user)

    clients: list[Client] = []
    used_names: set[str] = set()
    while len(clients) < 40:
        name = fake.company()
        if name.lower() in used_names:
            continue
        used_names.add(name.lower())
        clients.append(
            client_services.client_create(
                by=rng.choice(recruiters),
                name=name,
                industry=rng.choice(INDUSTRIES),
                city=fake.city(),
                country="United Kingdom",
                website=f"https://www.{slugify(name)[:40]}.example",
                phone=fake.phone_number(),
                status=rng.choices(list(Client.Status.values), weights=[2, 8, 1])[0],
            )
        )
    contacts: list[Contact] = []
    for i in range(120):
        client = clients[i % len(clients)]
        first, last = fake.first_name(), fake.last_name()
        contacts.append(
            client_services.contact_create(
                by=client.owner,
                client=client,
                first_name=first,
                last_name=last,
                job_title=rng.choice(
                    [
                        "Head of Engineering",
                        "HR Manager",
                        "Founder",
                        "Talent Lead",
                        "Operations Director",
                    ]
                ),
                role=rng.choice(list(Contact.Role.values)),
                email=f"{first}.{last}.{i}@{client.website.split('www.')[1]}".lower(),
                phone=fake.phone_number(),
            )
        )
    candidates: list[Candidate] = []
    for i in range(300):
        first, last = fake.first_name(), fake.last_name()
        referrer = {}
        if i > 20 and rng.random() < 0.12:
            referrer = {"referred_by_candidate": rng.choice(candidates)}
        elif rng.random() < 0.05:
            referrer = {"referred_by_contact": rng.choice(contacts)}
        candidates.append(
            client_services.candidate_create(
                by=rng.choice(recruiters),
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{i}@example.net".lower(),
                phone=fake.phone_number(),
                current_title=rng.choice(JOB_TITLES),
                city=fake.city(),
                **referrer,
            )
        )
    jobs: list[Job] = []
    for i in range(60):
        client = clients[rng.randrange(len(clients))] if i >= 30 else clients[i]
        hiring = [c for c in contacts if c.client_id == client.pk]
        jobs.append(
            placement_services.job_create(
                by=client.owner,
                client=client,
                title=rng.choice(JOB_TITLES),
                hiring_contact=rng.choice(hiring) if hiring else None,
                location=client.city,
                opened_on=today - timedelta(days=rng.randint(30, 560)),
            )
        )

    placed = rng.sample(candidates, 80)
    for i, candidate in enumerate(placed):
        # 45 of the 60 jobs are filled, a few of them more than once (repeat
        # hires); the other 15 are still open.
        job = jobs[i % 45]
        start = today - timedelta(days=rng.randint(-30, 540))
        contract = rng.random() < 0.35
        end = (
            start + timedelta(days=rng.choice([90, 180, 270, 365]))
            if contract
            else None
        )
        if start > today:
            status = Placement.Status.PENDING
        elif end and end < today:
            status = Placement.Status.COMPLETED
        else:
            status = Placement.Status.ACTIVE
        recruiter = rng.choice(recruiters)
        placement = placement_services.placement_create(
            by=recruiter,
            job=job,
            candidate=candidate,
            contact=job.hiring_contact,
            placement_type=Placement.Type.CONTRACT
            if contract
            else Placement.Type.PERMANENT,
            start_date=start,
            end_date=end,
            fee=Decimal(rng.randrange(40, 250) * 100)
            if not contract
            else Decimal(rng.randrange(10, 60) * 100),
            currency="GBP",
            pay=Decimal(rng.randrange(300, 1200) * 100)
            if not contract
            else Decimal(rng.randrange(300, 900)),
            pay_basis=Placement.PayBasis.ANNUAL
            if not contract
            else Placement.PayBasis.DAILY,
            guarantee_days=90 if not contract else 0,
            recruiter=recruiter,
            status=status,
        )
        if i % 19 == 7:
            placement_services.placement_cancel(
                placement=placement,
                by=recruiter,
                status=Placement.Status.FELL_OFF,
                reason="Candidate accepted a counter-offer.",
            )

    people: list[tuple[str, Contact | Candidate]] = [
        ("contact", c) for c in contacts
    ] + [("candidate", c) for c in placed]
    for _ in range(260):
        kind_of_person, person = rng.choice(people)
        placements = list(person.placements.all()[:1])
        # A touch about a placement happens around or after it, not a year before.
        longest_ago = 400
        if placements:
            since_offer = (today - placements[0].start_date).days + 30
            longest_ago = max(0, min(longest_ago, since_offer))
        when = datetime.combine(
            today - timedelta(days=rng.randint(0, longest_ago)),
            time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
        ).replace(tzinfo=timezone.get_current_timezone())
        kind = rng.choice(list(Activity.Kind.values))
        # The person's owner (or the placement's recruiter) keeps in touch.
        by = placements[0].recruiter if placements else person.owner
        if by not in recruiters:
            by = rng.choice(recruiters)
        activity_log(
            by=by,
            kind=kind,
            occurred_at=when,
            placement=placements[0] if placements else None,
            note=rng.choice(NOTES_BY_KIND[kind]),
            **{kind_of_person: person},
        )
    _work_the_plans(rng, today)
    # The book predates the demo: records were created long ago, so relationships
    # nobody touched for a while are dormant and get a re-engagement follow-up.
    long_ago = timezone.now() - timedelta(days=720)
    for model in (Client, Contact, Candidate):
        model.objects.update(created_at=long_ago)
    flag_dormant_relationships()


OUTCOMES = [
    (FollowUp.Outcome.REACHED, 6),
    (FollowUp.Outcome.LEFT_MESSAGE, 2),
    (FollowUp.Outcome.NO_ANSWER, 1),
    (FollowUp.Outcome.NOT_NEEDED, 1),
]


def _work_the_plans(rng: random.Random, today: date) -> None:
    """Placements were recorded today, so their past follow-ups were skipped as
    entered late. Pretend the recruiters worked them: most done (some late), the
    last fortnight's partly still open (overdue), a few left skipped."""
    past = FollowUp.objects.filter(
        status=FollowUp.Status.SKIPPED, status_reason=ENTERED_LATE
    ).select_related("assigned_to", "candidate", "contact", "placement")
    for followup in past.order_by("due_date", "pk"):
        age = (today - followup.due_date).days
        roll = rng.random()
        if roll > 0.85 and age > 14:
            continue
        followup.status, followup.status_reason = FollowUp.Status.OPEN, ""
        followup.save(update_fields=["status", "status_reason"])
        if age <= 14 and roll < 0.5:
            continue  # still open: overdue on the dashboard
        delay = rng.choice([0, 0, 0, 1, 2, 5])
        done_at = datetime.combine(
            followup.due_date + timedelta(days=min(delay, age)),
            time(rng.randint(9, 17), rng.choice([0, 20, 40])),
        ).replace(tzinfo=timezone.get_current_timezone())
        outcomes, weights = zip(*OUTCOMES, strict=True)
        followup_complete(
            followup=followup,
            outcome=rng.choices(outcomes, weights)[0],
            note=rng.choice(ACTIVITY_NOTES),
            by=followup.assigned_to,
            now=done_at,
        )
