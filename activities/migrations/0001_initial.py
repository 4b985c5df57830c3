# Activities lived in clients until the apps were layered (clients must not name
# placements). The model moved here and kept its table, clients_activity, so that
# no row moved. This migration records the model here; 0002 makes its table on a
# new database and moves its content type on an old one.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # A database made before the move has clients' 0002 applied, which added the
    # activity's links: it has the model already.
    replaces = [("clients", "0002_initial")]

    dependencies = [
        ("clients", "0001_squashed_0002_initial"),
        ("placements", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("call", "Call"),
                                    ("email", "Email"),
                                    ("meeting", "Meeting"),
                                    ("note", "Note"),
                                ],
                                default="call",
                                max_length=20,
                            ),
                        ),
                        (
                            "occurred_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        ("subject", models.CharField(blank=True, max_length=200)),
                        ("note", models.TextField(blank=True)),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="activities",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "activities",
                        "db_table": "clients_activity",
                        "ordering": ["-occurred_at", "-id"],
                    },
                ),
                migrations.AddField(
                    model_name="activity",
                    name="placement",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="activities",
                        to="placements.placement",
                    ),
                ),
                migrations.AddField(
                    model_name="activity",
                    name="candidate",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="clients.candidate",
                    ),
                ),
                migrations.AddField(
                    model_name="activity",
                    name="client",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="clients.client",
                    ),
                ),
                migrations.AddField(
                    model_name="activity",
                    name="contact",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="activities",
                        to="clients.contact",
                    ),
                ),
                migrations.AddIndex(
                    model_name="activity",
                    index=models.Index(
                        fields=["client", "-occurred_at"],
                        name="clients_act_client__d56069_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="activity",
                    index=models.Index(
                        fields=["candidate", "-occurred_at"],
                        name="clients_act_candida_603de5_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="activity",
                    index=models.Index(
                        fields=["contact", "-occurred_at"],
                        name="clients_act_contact_3892e2_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("contact__isnull", False), ("candidate__isnull", True)
                            ),
                            models.Q(
                                ("contact__isnull", True), ("candidate__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="activity_exactly_one_person",
                        violation_error_message="An activity is about exactly one person.",
                    ),
                ),
            ],
        ),
    ]
