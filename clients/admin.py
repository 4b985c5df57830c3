from django.contrib import admin

from .models import Candidate, Client, Contact


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "city", "status", "owner", "archived_at")
    list_filter = ("status", "industry", "owner")
    search_fields = ("name", "industry", "city")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "referred_by_candidate", "referred_by_contact")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "client",
        "role",
        "email",
        "phone",
        "owner",
    )
    list_filter = ("role", "owner")
    search_fields = ("first_name", "last_name", "email", "client__name")
    list_select_related = ("client", "owner")
    autocomplete_fields = (
        "client",
        "owner",
        "referred_by_candidate",
        "referred_by_contact",
    )


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = (
        "last_name",
        "first_name",
        "current_title",
        "city",
        "status",
        "owner",
    )
    list_filter = ("status", "owner")
    search_fields = ("first_name", "last_name", "email", "current_title", "city")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner", "referred_by_candidate", "referred_by_contact")
