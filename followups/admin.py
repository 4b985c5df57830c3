from datetime import timedelta

from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone

from .delivery import delivery_resend, why_not_resend
from .models import EmailDelivery, FollowUp, FollowUpPlan, PlacementPlan, PlanRule


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


class ChangedRecently(admin.SimpleListFilter):
    title = "last change"
    parameter_name = "changed"

    def lookups(self, request, model_admin):
        return [("24h", "In the last 24 hours")]

    def queryset(self, request, queryset):
        if self.value() == "24h":
            since = timezone.now() - timedelta(days=1)
            return queryset.filter(updated_at__gte=since)
        return queryset


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "kind",
        "local_date",
        "status",
        "attempts",
        "sent_at",
        "subject",
    )
    list_filter = ("status", "kind", ChangedRecently)
    search_fields = (
        "user__email",
        "user__last_name",
        "subject",
        "error",
        "message_id",
        "queue_id",
    )
    date_hierarchy = "local_date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    change_list_template = "admin/followups/emaildelivery/change_list.html"
    # Read-only: a delivery's status changes by sending, or by the action below.
    readonly_fields = (
        "user",
        "kind",
        "local_date",
        "status",
        "attempts",
        "not_before",
        "enqueued_at",
        "claimed_at",
        "sent_at",
        "subject",
        "message_id",
        "smtp_reply",
        "queue_id",
        "item_count",
        "error",
        "created_at",
        "updated_at",
    )
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        # What waits for a person, as /readyz reports it.
        trouble = EmailDelivery.objects.needing_attention(timezone.now())
        return super().changelist_view(
            request, {**(extra_context or {}), "trouble": trouble}
        )

    @admin.action(
        description="Send again today (after checking it did not arrive)",
        permissions=["change"],
    )
    def send_again(self, request, queryset):
        # The one way a stuck or failed delivery is resent: a person decided to,
        # having seen what is known of it (a stuck one may have arrived). Only
        # today's, in the recipient's zone; the next beat hands it out.
        now = timezone.now()
        deliveries = list(queryset.select_related("user").order_by("pk"))
        if request.POST.get("confirm") != "yes":
            rows = [(d, why_not_resend(d, now)) for d in deliveries]
            return TemplateResponse(
                request,
                "admin/followups/emaildelivery/send_again.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Send these deliveries again?",
                    "opts": self.model._meta,
                    "rows": rows,
                    "resendable": [d for d, why in rows if not why],
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = sum(
            delivery_resend(delivery=d, by=request.user, now=now) for d in deliveries
        )
        self.message_user(
            request,
            f"{count} deliveries will be sent again within 5 minutes "
            "(only today's stuck or failed ones can be).",
        )
