from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.models import (
    Account,
    AccountPlacement,
    Contact,
    ProductLine,
    TeamMembership,
    YearlyFigures,
    path_ids,
)
from kam import events
from kam.admin import EventsAdmin, TombstonesAdmin, TombstonesInline


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]


class TeamInline(TombstonesInline, admin.TabularInline):
    tombstone_kind = "team_member"
    model = TeamMembership
    extra = 0


class PlacementInline(admin.TabularInline):
    """Where the account stood in the hierarchy, from when to when (written by the moves;
    read by the figures of past years, accounts.hierarchy)."""

    model = AccountPlacement
    fk_name = "account"
    fields = ("parent", "path", "valid_from", "valid_to")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-pk"]


@admin.register(Account)
class AccountAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "account"  # its contacts, figures and the rest go with it
    list_display = ["name", "status", "tier", "owner", "country"]
    list_filter = ["status", "tier", "customer_type"]
    search_fields = ["name", "legal_name", "external_id", "vat_id"]
    list_select_related = ["owner"]
    inlines = [TeamInline, PlacementInline]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        """A move goes through the service, which rewrites the paths of the whole subtree
        and records the placements (past years keep their groups); the other fields are
        saved here first, under the old parent."""
        new_parent = obj.parent
        if not change:
            super().save_model(request, obj, form, change)
            services.account_place_new(account=obj)
            return
        before = Account.objects.get(pk=obj.pk)
        obj.parent_id = before.parent_id
        super().save_model(request, obj, form, change)
        if "parent" in form.changed_data:
            moved = services.account_update(actor=request.user, account=obj, parent=new_parent)
            obj.parent, obj.path = moved.parent, moved.path

    def saved_events(self, obj, before):
        if before is None:
            return [events.AccountCreated(account_id=obj.pk)]
        # The team inline may have changed as well.
        return [events.AccountChanged(account_id=obj.pk), events.TeamChanged(account_id=obj.pk)]

    def deleted_events(self, obj):
        ancestors = tuple(pk for pk in path_ids(obj.path) if pk != obj.pk)
        return [events.AccountDeleted(account_id=obj.pk, ancestor_ids=ancestors)]


@admin.register(Contact)
class ContactAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "contact"
    list_display = ["__str__", "account", "buying_role", "is_active"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["account"]
    raw_id_fields = ["account", "reports_to"]

    def saved_events(self, obj, before):
        kind = events.ContactCreated if before is None else events.ContactChanged
        return [kind(contact_id=obj.pk, account_id=obj.account_id)]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "financials"
    list_display = ["account", "year", "revenue", "contribution_margin"]
    list_select_related = ["account"]

    def saved_events(self, obj, before):
        # A row moved to another account or year changes the figures there as well.
        rows = dict.fromkeys([(obj.account_id, obj.year)])
        if before is not None:
            rows[(before.account_id, before.year)] = None
        return [events.FiguresChanged(account_id=a, year=y) for a, y in rows]

    def deleted_events(self, obj):
        return [events.FiguresChanged(account_id=obj.account_id, year=obj.year)]
