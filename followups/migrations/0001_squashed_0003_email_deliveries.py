# Follow-ups' first three migrations in one: the follow-up's activity now lives in
# the activities app (same table). A database made before has the three applied, so
# Django takes this one as applied too.
# The default follow-up plans of PRODUCT.md are data; managers edit them later.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PERMANENT = [
    # kind, target, anchor, offset, title, talking points
    (
        "first_day",
        "candidate",
        "start",
        1,
        "First day check-in",
        "How was day one? Anything missing: equipment, access, a buddy?",
    ),
    (
        "first_week",
        "candidate",
        "start",
        7,
        "First week check-in",
        "How is the first week going? Any surprises compared with the interview?",
    ),
    (
        "settling_in",
        "contact",
        "start",
        14,
        "How is the new hire settling?",
        "How is the new hire settling in? Anything we should address early?",
    ),
    (
        "thirty_day",
        "candidate",
        "start",
        30,
        "30-day check-in",
        "A month in: how do the role and the team feel? Any concerns?",
    ),
    (
        "settling_in",
        "contact",
        "start",
        45,
        "45-day check with the hiring manager",
        "How is the hire performing against expectations? Any other roles opening?",
    ),
    (
        "referral_ask",
        "candidate",
        "start",
        60,
        "Ask for a referral",
        "Do you know anyone great who is looking? Former colleagues, friends?",
    ),
    (
        "guarantee_ending",
        "candidate",
        "guarantee_end",
        -7,
        "Guarantee period ends soon",
        "Check all is well before the guarantee period ends.",
    ),
    (
        "guarantee_ending",
        "contact",
        "guarantee_end",
        -7,
        "Guarantee period ends soon",
        "Confirm the client is happy before the guarantee period ends.",
    ),
    (
        "reorder",
        "contact",
        "start",
        120,
        "Reorder / growth conversation",
        "How is the team growing? Any hiring planned for next quarter?",
    ),
    (
        "anniversary",
        "candidate",
        "start",
        365,
        "First anniversary",
        "Congratulations on a year! How is it going, and where next?",
    ),
    (
        "anniversary",
        "contact",
        "start",
        365,
        "First anniversary of the hire",
        "A year since the hire: review how it went and the hiring plan ahead.",
    ),
]
CONTRACT = [
    (
        "first_day",
        "candidate",
        "start",
        1,
        "First day check-in",
        "How was day one? Access, equipment and timesheets sorted?",
    ),
    (
        "settling_in",
        "contact",
        "start",
        7,
        "How is the contractor settling?",
        "Is the contractor up to speed? Anything to adjust?",
    ),
    (
        "thirty_day",
        "candidate",
        "start",
        30,
        "30-day check-in",
        "A month in: how is the assignment going?",
    ),
    (
        "contract_ending",
        "contact",
        "end",
        -30,
        "Contract ends in 30 days: extend?",
        "Extend the contract, or plan a replacement or a permanent hire?",
    ),
    (
        "contract_ending",
        "candidate",
        "end",
        -30,
        "Contract ends in 30 days: redeploy?",
        "Would you extend? If not, what next: start lining up the next role.",
    ),
    (
        "contract_ending",
        "candidate",
        "end",
        -7,
        "Contract ends in a week",
        "Confirm the next step: extension, next assignment or a break.",
    ),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("followups", "FollowUpPlan")
    Rule = apps.get_model("followups", "PlanRule")
    for name, kind, rows, description in [
        (
            "Permanent placement",
            "permanent",
            PERMANENT,
            "Check-ins through the first year, the guarantee period and a reorder call.",
        ),
        (
            "Contract placement",
            "contract",
            CONTRACT,
            "Check-ins at the start and an extend-or-redeploy conversation before the end.",
        ),
    ]:
        plan, created = Plan.objects.get_or_create(
            name=name,
            defaults={
                "placement_type": kind,
                "is_default": True,
                "description": description,
            },
        )
        if not created:
            continue
        Rule.objects.bulk_create(
            Rule(
                plan=plan,
                position=i,
                kind=k,
                target=t,
                anchor=a,
                offset_days=o,
                title=title,
                talking_points=points,
            )
            for i, (k, t, a, o, title, points) in enumerate(rows)
        )


def remove_plans(apps, schema_editor):
    apps.get_model("followups", "FollowUpPlan").objects.filter(
        name__in=["Permanent placement", "Contract placement"]
    ).delete()


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("followups", "0001_initial"),
        ("followups", "0002_default_plans"),
        ("followups", "0003_email_deliveries"),
    ]

    dependencies = [
        ("activities", "0002_table_and_content_type"),
        ("clients", "0001_squashed_0002_initial"),
        ("placements", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FollowUpPlan",
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
                ("name", models.CharField(max_length=120, unique=True)),
                ("description", models.TextField(blank=True)),
                (
                    "placement_type",
                    models.CharField(
                        choices=[("permanent", "Permanent"), ("contract", "Contract")],
                        default="permanent",
                        max_length=20,
                        verbose_name="designed for",
                    ),
                ),
                (
                    "is_default",
                    models.BooleanField(
                        default=False,
                        help_text="New placements of this type get this plan.",
                        verbose_name="default for its placement type",
                    ),
                ),
            ],
            options={
                "ordering": ["placement_type", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("placement_type",),
                        name="one_default_plan_per_type",
                        violation_error_message="Another plan is already the default for this type.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PlacementPlan",
            fields=[
                (
                    "placement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="plan_link",
                        serialize=False,
                        to="placements.placement",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="placements",
                        to="followups.followupplan",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PlanRule",
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
                ("position", models.PositiveIntegerField(default=0)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("first_day", "First day"),
                            ("first_week", "First week"),
                            ("settling_in", "Settling-in check"),
                            ("thirty_day", "30-day check-in"),
                            ("guarantee_ending", "Guarantee ending"),
                            ("reorder", "Reorder / growth"),
                            ("anniversary", "Anniversary"),
                            ("referral_ask", "Referral ask"),
                            ("contract_ending", "Contract ending / redeploy"),
                            ("reengagement", "Re-engagement"),
                            ("custom", "Custom"),
                        ],
                        default="custom",
                        max_length=30,
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        choices=[
                            ("candidate", "Candidate"),
                            ("contact", "Hiring contact"),
                        ],
                        max_length=20,
                        verbose_name="whom to contact",
                    ),
                ),
                (
                    "anchor",
                    models.CharField(
                        choices=[
                            ("start", "Start date"),
                            ("end", "End date"),
                            ("guarantee_end", "Guarantee end"),
                        ],
                        default="start",
                        max_length=20,
                    ),
                ),
                (
                    "offset_days",
                    models.IntegerField(
                        help_text="Days after the anchor date; negative means before.",
                        verbose_name="offset (days)",
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("talking_points", models.TextField(blank=True)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rules",
                        to="followups.followupplan",
                    ),
                ),
            ],
            options={
                "ordering": ["plan", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="FollowUp",
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
                            ("first_day", "First day"),
                            ("first_week", "First week"),
                            ("settling_in", "Settling-in check"),
                            ("thirty_day", "30-day check-in"),
                            ("guarantee_ending", "Guarantee ending"),
                            ("reorder", "Reorder / growth"),
                            ("anniversary", "Anniversary"),
                            ("referral_ask", "Referral ask"),
                            ("contract_ending", "Contract ending / redeploy"),
                            ("reengagement", "Re-engagement"),
                            ("custom", "Custom"),
                        ],
                        default="custom",
                        max_length=30,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("talking_points", models.TextField(blank=True)),
                ("due_date", models.DateField()),
                (
                    "original_due_date",
                    models.DateField(
                        help_text="The date the plan (or whoever added it) first gave; snoozing keeps it."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("done", "Done"),
                            ("skipped", "Skipped"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="open",
                        max_length=20,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("reached", "Reached"),
                            ("left_message", "Left a message"),
                            ("no_answer", "No answer"),
                            ("not_needed", "Not needed"),
                        ],
                        max_length=20,
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="outcome note")),
                ("status_reason", models.CharField(blank=True, max_length=300)),
                ("completed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "completed_on",
                    models.DateField(
                        blank=True,
                        help_text="The assignee's local date when it was done.",
                        null=True,
                    ),
                ),
                (
                    "activity",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="followup",
                        to="activities.activity",
                    ),
                ),
                (
                    "assigned_to",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="followups",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followups",
                        to="clients.candidate",
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followups",
                        to="clients.client",
                    ),
                ),
                (
                    "completed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followups",
                        to="clients.contact",
                    ),
                ),
                (
                    "placement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followups",
                        to="placements.placement",
                    ),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="followups",
                        to="followups.planrule",
                    ),
                ),
            ],
            options={
                "ordering": ["due_date", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="planrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("offset_days__gte", -3650), ("offset_days__lte", 3650)
                ),
                name="rule_offset_within_ten_years",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["assigned_to", "status", "due_date"],
                name="followups_f_assigne_7c8a0e_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["status", "due_date"], name="followups_f_status_eaa24d_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["candidate", "status"], name="followups_f_candida_c8c57e_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["client", "status"], name="followups_f_client__f73f0f_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("placement__isnull", False), ("rule__isnull", False)
                ),
                fields=("placement", "rule"),
                name="followup_once_per_placement_rule",
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("candidate__isnull", True),
                    ("kind", "reengagement"),
                    ("status", "open"),
                ),
                fields=("client",),
                name="followup_one_open_reengagement_per_client",
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("candidate__isnull", False),
                    ("kind", "reengagement"),
                    ("status", "open"),
                ),
                fields=("candidate",),
                name="followup_one_open_reengagement_per_candidate",
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("contact__isnull", False), ("candidate__isnull", True)),
                    models.Q(("contact__isnull", True), ("candidate__isnull", False)),
                    _connector="OR",
                ),
                name="followup_exactly_one_person",
                violation_error_message="A follow-up is with exactly one person.",
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "done"), _negated=True),
                    ("completed_at__isnull", False),
                    _connector="OR",
                ),
                name="followup_done_has_completed_at",
            ),
        ),
        migrations.RunPython(create_plans, remove_plans),
        migrations.CreateModel(
            name="EmailActionUse",
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
                ("nonce", models.CharField(max_length=64, unique=True)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("done", "Done, reached"),
                            ("snooze", "Snooze one week"),
                        ],
                        max_length=10,
                    ),
                ),
                ("used_at", models.DateTimeField()),
                ("previous_due_date", models.DateField()),
                ("new_due_date", models.DateField(blank=True, null=True)),
                ("undone_at", models.DateTimeField(blank=True, null=True)),
                (
                    "followup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="email_action_uses",
                        to="followups.followup",
                    ),
                ),
            ],
            options={
                "ordering": ["-used_at"],
            },
        ),
        migrations.CreateModel(
            name="EmailDelivery",
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
                            ("daily_digest", "Daily digest"),
                            ("team_summary", "Weekly team summary"),
                            ("preview", "Digest preview"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "local_date",
                    models.DateField(help_text="The recipient's local date it is for."),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("skipped", "Not sent (nothing to list)"),
                            ("failed", "Failed"),
                            ("stuck", "Stuck: needs attention"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                (
                    "not_before",
                    models.DateTimeField(
                        help_text="No attempt before this time (the backoff after a temporary error)."
                    ),
                ),
                ("enqueued_at", models.DateTimeField(blank=True, null=True)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("subject", models.CharField(blank=True, max_length=300)),
                ("message_id", models.CharField(blank=True, max_length=300)),
                ("item_count", models.PositiveIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="email_deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "email deliveries",
                "ordering": ["-local_date", "-created_at"],
                "indexes": [
                    models.Index(
                        fields=["status", "not_before"],
                        name="followups_e_status_60a48c_idx",
                    ),
                    models.Index(
                        fields=["kind", "local_date"],
                        name="followups_e_kind_c2eaa4_idx",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "preview"), _negated=True),
                        fields=("user", "kind", "local_date"),
                        name="email_delivery_once_per_user_kind_day",
                    )
                ],
            },
        ),
    ]
