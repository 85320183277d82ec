from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Contract, ContractDocument
from kam import events
from kam.admin import EventsAdmin


class DocumentInline(admin.TabularInline):
    # Read-only here: uploads go through the contract page or the API, which check the file.
    model = ContractDocument
    readonly_fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    fields = readonly_fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["number", "title", "account", "kind", "status", "start_on", "end_on"]
    list_filter = ["kind", "status", "auto_renewal"]
    search_fields = ["number", "title", "account__name"]
    autocomplete_fields = ["account"]
    raw_id_fields = ["owner"]
    inlines = [DocumentInline]

    def saved_events(self, obj, before):
        kind = events.ContractCreated if before is None else events.ContractChanged
        return [kind(contract_id=obj.pk, account_id=obj.account_id)]
