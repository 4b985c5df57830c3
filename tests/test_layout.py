"""The house's layers hold in models and migrations, not only in Python imports
(`lint-imports` checks those): no model or migration of an app names an app above it,
and a database made before the apps were layered migrates without losing a row."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder

from activities.models import Activity

from .factories import ActivityFactory, CandidateFactory

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def layer_of() -> dict[str, int]:
    """App label -> its layer, 0 lowest, read from the import-linter contract in
    pyproject.toml so that there is one list of the layers."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    ranks: dict[str, int] = {}
    for rank, layer in enumerate(reversed(contract["layers"])):
        for name in layer.split("|"):
            ranks[name.strip()] = rank
    return ranks


LAYERS = layer_of()


def upward(own: str, other: str) -> bool:
    return other in LAYERS and own in LAYERS and LAYERS[other] > LAYERS[own]


def related_labels(operation) -> set[str]:
    """App labels of the models an operation's fields point at."""
    if isinstance(operation, SeparateDatabaseAndState):
        return set().union(*map(related_labels, operation.state_operations))
    fields = list(getattr(operation, "fields", []))
    if getattr(operation, "field", None) is not None:
        fields.append(("", operation.field))
    labels = set()
    for _, field in fields:
        remote = getattr(field, "remote_field", None)
        if remote is not None and isinstance(remote.model, str):
            labels.add(remote.model.split(".")[0].lower())
    return labels


def test_the_layer_list_names_every_app_of_ours():
    ours = {
        c.label
        for c in apps.get_app_configs()
        if Path(c.path).parent == PYPROJECT.parent
    }
    assert ours <= set(LAYERS), ours - set(LAYERS)


def test_no_migration_depends_on_or_names_a_higher_app():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    problems = []
    for (label, name), migration in loader.disk_migrations.items():
        if label not in LAYERS:
            continue
        for other, _ in migration.dependencies:
            if upward(label, other):
                problems.append(f"{label}.{name} depends on {other}")
        for operation in migration.operations:
            for other in related_labels(operation):
                if upward(label, other):
                    problems.append(f"{label}.{name} names a model of {other}")
    assert problems == []


def test_no_model_points_at_a_higher_app():
    problems = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and upward(model._meta.app_label, field.related_model._meta.app_label)
    ]
    assert problems == []


# What a database made before the apps were layered had recorded for the apps
# whose migrations changed: clients' and followups' first migrations (now squashed),
# and nothing of the activities app, whose model then lived in clients.
BEFORE_THE_LAYERS = [
    ("clients", "0001_initial"),
    ("clients", "0002_initial"),
    ("followups", "0001_initial"),
    ("followups", "0002_default_plans"),
    ("followups", "0003_email_deliveries"),
]
# What the layering put in their place.
LAYERED = [
    ("activities", "0001_initial"),
    ("activities", "0002_table_and_content_type"),
    ("clients", "0001_squashed_0002_initial"),
    ("followups", "0001_squashed_0003_email_deliveries"),
]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_layers_migrates_and_keeps_every_row(alice):
    candidate = CandidateFactory(owner=alice)
    ActivityFactory.create_batch(3, candidate=candidate, by=alice)
    recorder = MigrationRecorder(connection)
    # Forget what the layering recorded; later migrations stay recorded, as the
    # schema already has what they made.
    for app_label, name in LAYERED:
        recorder.migration_qs.filter(app=app_label, name=name).delete()
    for app_label, name in BEFORE_THE_LAYERS:
        recorder.record_applied(app_label, name)
    ContentType.objects.filter(app_label="activities", model="activity").update(
        app_label="clients"
    )
    ContentType.objects.clear_cache()

    call_command("migrate", verbosity=0)

    assert Activity.objects.filter(candidate=candidate).count() == 3
    assert ContentType.objects.filter(model="activity").get().app_label == "activities"
    applied = set(recorder.applied_migrations())
    assert set(LAYERED) <= applied
    # A second run has nothing left to do.
    loader = MigrationLoader(connection)
    plan = [
        key for key in loader.graph.leaf_nodes() if key not in loader.applied_migrations
    ]
    assert plan == []
