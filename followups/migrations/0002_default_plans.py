"""The default follow-up plans of PRODUCT.md, as data. Managers edit them later."""

from django.db import migrations

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
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(create_plans, remove_plans)]
