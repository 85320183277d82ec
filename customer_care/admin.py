from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from customer_care.models import CustomerIssue, Department, Survey
from kam import events
from kam.admin import EventsAdmin


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """The configurable list of departments; deactivate rather than delete one in use."""

    list_display = ["name", "key", "active", "position"]
    list_editable = ["active", "position"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(CustomerIssue)
class CustomerIssueAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "account", "kind", "severity", "status", "department", "owner"]
    list_filter = ["status", "kind", "severity", "department", "escalated"]
    search_fields = ["title", "account__name"]
    list_select_related = ["account", "department", "owner"]
    raw_id_fields = ["account", "owner", "created_by"]

    def saved_events(self, obj, before):
        kind = events.IssueCreated if before is None else events.IssueChanged
        return [kind(issue_id=obj.pk, account_id=obj.account_id)]


@admin.register(Survey)
class SurveyAdmin(SimpleHistoryAdmin):
    list_display = ["account", "surveyed_on", "method", "nps", "csat"]
    list_filter = ["method"]
    search_fields = ["account__name"]
    list_select_related = ["account"]
    raw_id_fields = ["account", "contact", "recorded_by"]
