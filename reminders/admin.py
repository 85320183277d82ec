from django.contrib import admin

from reminders.models import DepartmentLead, Digest, Reminder


@admin.register(DepartmentLead)
class DepartmentLeadAdmin(admin.ModelAdmin):
    list_display = ["department", "lead"]
    autocomplete_fields = ["lead"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["rule", "subject", "due_on", "recipient", "created_at", "read_at", "cleared_at"]
    list_filter = ["rule"]
    search_fields = ["subject"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "period", "created_at", "sent_at"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "period", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False
