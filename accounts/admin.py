from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AgencySettings, Team, User
from .services import two_factor_reset


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
        "two_factor",
    )
    list_filter = ("role", "is_active", "is_staff", "teams")
    actions = ["reset_two_factor"]
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

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_two_factor=Exists(
                    TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
                )
            )
        )

    @admin.display(description="two-factor", boolean=True, ordering="has_two_factor")
    def two_factor(self, user):
        return user.has_two_factor

    @admin.action(
        description="Reset two-factor sign-in (lost phone): password alone until "
        "they set it up again"
    )
    def reset_two_factor(self, request, queryset):
        done = 0
        for user in queryset:
            if two_factor_reset(user=user, by=request.user):
                # Recorded in the user's history (and the admin's recent actions).
                self.log_change(request, user, "Reset two-factor sign-in.")
                done += 1
        if done:
            self.message_user(
                request,
                f"Two-factor sign-in reset for {done} "
                f"{'user' if done == 1 else 'users'}: they sign in with their "
                "password and set it up again (at once where it is required).",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, "None of them had two-factor sign-in on.", messages.WARNING
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
    list_display = (
        "name",
        "digest_hour_default",
        "dormancy_days",
        "default_currency",
        "require_two_factor",
    )

    def has_add_permission(self, request):
        return not AgencySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
