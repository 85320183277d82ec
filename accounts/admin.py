from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Account, Contact, ProductLine, TeamMembership, YearlyFigures


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]


class TeamInline(admin.TabularInline):
    model = TeamMembership
    extra = 0


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "tier", "owner", "country"]
    list_filter = ["status", "tier", "customer_type"]
    search_fields = ["name", "legal_name", "external_id"]
    list_select_related = ["owner"]
    inlines = [TeamInline]
    readonly_fields = ["path"]
    # Accounts move in the hierarchy through the app, which keeps the group paths in step.
    exclude = ["parent"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "account", "buying_role", "is_active"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["account"]
    raw_id_fields = ["account", "reports_to"]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(SimpleHistoryAdmin):
    list_display = ["account", "year", "revenue", "contribution_margin"]
    list_select_related = ["account"]
