from django.contrib import admin

from .models import Job, Placement


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "client", "status", "hiring_contact", "owner", "opened_on")
    list_filter = ("status", "owner")
    search_fields = ("title", "client__name")
    list_select_related = ("client", "hiring_contact", "owner")
    autocomplete_fields = ("client", "hiring_contact", "owner")


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = (
        "candidate",
        "client",
        "placement_type",
        "start_date",
        "end_date",
        "fee",
        "currency",
        "recruiter",
        "status",
    )
    list_filter = ("status", "placement_type", "recruiter", "currency")
    search_fields = (
        "candidate__first_name",
        "candidate__last_name",
        "client__name",
        "job__title",
    )
    date_hierarchy = "start_date"
    list_select_related = ("candidate", "client", "recruiter")
    autocomplete_fields = ("candidate", "job", "client", "contact", "recruiter")
