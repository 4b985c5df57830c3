from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "kind",
        "by",
        "contact",
        "candidate",
        "client",
        "subject",
    )
    list_filter = ("kind", "by")
    search_fields = ("subject", "note", "contact__last_name", "candidate__last_name")
    date_hierarchy = "occurred_at"
    list_select_related = ("by", "contact", "candidate", "client")
    autocomplete_fields = ("by", "contact", "candidate", "client", "placement")
