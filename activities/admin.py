from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, FollowUp
from kam import events
from kam.admin import EventsAdmin, TombstonesAdmin


@admin.register(Activity)
class ActivityAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "activity"
    list_display = ["occurred_at", "kind", "subject", "account"]
    list_filter = ["kind"]
    search_fields = ["subject", "account__name"]
    list_select_related = ["account"]
    raw_id_fields = ["account", "contacts", "next_step_owner", "created_by"]
    date_hierarchy = "occurred_at"

    def saved_events(self, obj, before):
        return [events.ActivityLogged(activity_id=obj.pk, account_id=obj.account_id)]

    def deleted_events(self, obj):
        return [events.ActivityLogged(activity_id=obj.pk, account_id=obj.account_id)]


@admin.register(FollowUp)
class FollowUpAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "account", "owner", "due_on", "done_at"]
    list_select_related = ["account", "owner"]
    search_fields = ["title", "account__name"]
    raw_id_fields = ["account", "owner", "activity", "done_by", "created_by"]

    def saved_events(self, obj, before):
        return [events.FollowUpChanged(follow_up_id=obj.pk, account_id=obj.account_id)]
