from django.contrib import admin
from django.utils import timezone

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
    list_filter = ("status", "kind")
    search_fields = ("user__email", "user__last_name", "subject", "error")
    date_hierarchy = "local_date"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
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
        "item_count",
        "error",
        "created_at",
        "updated_at",
    )
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again today (after checking it did not arrive)")
    def send_again(self, request, queryset):
        # The one way a stuck or failed delivery is resent: a person decided to.
        # Only today's, in the recipient's zone; the next beat hands it out.
        now = timezone.now()
        count = 0
        for delivery in (
            queryset.filter(
                status__in=[EmailDelivery.Status.STUCK, EmailDelivery.Status.FAILED]
            )
            .exclude(kind=EmailDelivery.Kind.PREVIEW)
            .select_related("user")
        ):
            if delivery.user.local_today(now) != delivery.local_date:
                continue
            count += EmailDelivery.objects.filter(
                pk=delivery.pk, status=delivery.status
            ).update(
                status=EmailDelivery.Status.PENDING,
                attempts=0,
                not_before=now,
                enqueued_at=None,
                error=f"Resent by {request.user} after: {delivery.error}"[:2000],
                updated_at=now,
            )
        self.message_user(
            request,
            f"{count} deliveries will be sent again within 5 minutes "
            "(only today's stuck or failed ones can be).",
        )
