from django.contrib import admin

from .models import FollowUp, FollowUpPlan, PlacementPlan, PlanRule


class PlanRuleInline(admin.TabularInline):
    model = PlanRule
    extra = 0
    fields = (
        "position",
        "kind",
        "target",
        "anchor",
        "offset_days",
        "title",
        "talking_points",
    )


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "placement_type", "is_default", "updated_at")
    list_filter = ("placement_type", "is_default")
    search_fields = ("name",)
    inlines = [PlanRuleInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "assigned_to",
        "candidate",
        "contact",
        "due_date",
        "status",
        "outcome",
    )
    list_filter = ("status", "kind", "outcome", "assigned_to")
    search_fields = (
        "title",
        "candidate__last_name",
        "contact__last_name",
        "client__name",
    )
    date_hierarchy = "due_date"
    list_select_related = ("assigned_to", "candidate", "contact")
    raw_id_fields = (
        "candidate",
        "contact",
        "client",
        "placement",
        "rule",
        "activity",
        "completed_by",
    )


@admin.register(PlacementPlan)
class PlacementPlanAdmin(admin.ModelAdmin):
    list_display = ("placement", "plan")
    list_filter = ("plan",)
    raw_id_fields = ("placement",)
