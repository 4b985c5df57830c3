from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import AgencySettings, Team, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "time_zone",
        "is_active",
    )
    list_filter = ("role", "is_active", "is_staff", "teams")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "phone", "time_zone")}),
        (
            "Role",
            {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups")},
        ),
        (
            "Digest",
            {
                "fields": (
                    "digest_enabled",
                    "digest_hour",
                    "digest_days",
                    "digest_when_empty",
                    "team_summary_enabled",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "password1", "password2"),
            },
        ),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "member_count", "manager_names")
    search_fields = ("name", "members__email", "managers__email")
    filter_horizontal = ("members", "managers")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members", "managers")

    @admin.display(description="members")
    def member_count(self, team):
        return len(team.members.all())

    @admin.display(description="managers")
    def manager_names(self, team):
        return ", ".join(str(m) for m in team.managers.all())


@admin.register(AgencySettings)
class AgencySettingsAdmin(admin.ModelAdmin):
    list_display = ("name", "digest_hour_default", "dormancy_days", "default_currency")

    def has_add_permission(self, request):
        return not AgencySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
