from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kam import events
from kam.admin import EventsAdmin, TombstonesAdmin
from portfolio.models import (
    AccountPortfolio,
    ClassificationRule,
    CompanyTotals,
    HealthWeight,
    ReadinessAssessment,
)


@admin.register(CompanyTotals)
class CompanyTotalsAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "company_totals"
    list_display = ["year", "revenue", "contribution_margin", "updated_at", "updated_by"]
    readonly_fields = ["updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def saved_events(self, obj, before):
        years = dict.fromkeys([obj.year, before.year if before else obj.year])
        return [events.CompanyTotalsChanged(year=year) for year in years]

    def deleted_events(self, obj):
        return [events.CompanyTotalsChanged(year=obj.year)]


@admin.register(ClassificationRule)
class ClassificationRuleAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = [
        "position",
        "name",
        "metric",
        "minimum",
        "maximum",
        "suggests",
        "warning",
        "active",
    ]
    list_display_links = ["name"]
    list_editable = ["position", "minimum", "maximum", "active"]
    list_filter = ["active", "metric", "suggests"]

    def saved_events(self, obj, before):
        return [events.ClassificationChanged()]

    def deleted_events(self, obj):
        return [events.ClassificationChanged()]


@admin.register(HealthWeight)
class HealthWeightAdmin(admin.ModelAdmin):
    list_display = ["part", "weight"]
    list_editable = ["weight"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccountPortfolio)
class AccountPortfolioAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["account", "supplier_rank", "strategic_fit"]
    search_fields = ["account__name"]
    raw_id_fields = ["account"]

    def saved_events(self, obj, before):
        return [events.ClassificationChanged(account_id=obj.account_id)]


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(admin.ModelAdmin):
    list_display = ["assessed_at", "assessed_by"]
    readonly_fields = ["assessed_by", "assessed_at"]

    def has_add_permission(self, request) -> bool:
        return False
