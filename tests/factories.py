from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from accounts.models import Team, User
from activities.models import Activity
from clients.models import Candidate, Client, Contact
from placements.models import Job, Placement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.RECRUITER
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n} Ltd")
    industry = "Software"
    city = "Leeds"
    owner = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    phone = "+44 20 7946 0000"
    owner = factory.SelfAttribute("client.owner")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.net")
    phone = "+44 7700 900000"
    owner = factory.SubFactory(UserFactory)


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    client = factory.SubFactory(ClientFactory)
    title = "Backend Engineer"
    owner = factory.SelfAttribute("client.owner")


class PlacementFactory(factory.django.DjangoModelFactory):
    """Rows straight into the database; tests of behaviour use the services."""

    class Meta:
        model = Placement

    job = factory.SubFactory(JobFactory)
    client = factory.SelfAttribute("job.client")
    candidate = factory.SubFactory(CandidateFactory)
    start_date = dt.date(2026, 1, 5)
    fee = Decimal("12000.00")
    recruiter = factory.SelfAttribute("job.owner")
    status = Placement.Status.ACTIVE


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.CALL
    by = factory.SubFactory(UserFactory)
    candidate = factory.SubFactory(CandidateFactory)
