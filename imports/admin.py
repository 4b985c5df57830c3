from django.contrib import admin

from .models import ImportJob, SavedMapping


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "kind",
        "file_name",
        "created_by",
        "created_at",
        "status",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
    )
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SavedMapping)
class SavedMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "created_by", "updated_at")
    list_filter = ("kind",)
