from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kam import events
from kam.admin import EventsAdmin, TombstonesAdmin, TombstonesInline
from planning.models import (
    AccountPlan,
    Action,
    BriefingConfirmation,
    BusinessCase,
    BusinessUnit,
    CoachingMaterial,
    CoachingPlan,
    CoachingSession,
    Objective,
    ObjectiveAdjustment,
    Scenario,
    WhitespaceCell,
)


@admin.register(AccountPlan)
class AccountPlanAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["account", "year", "status", "last_reviewed_at", "last_reviewed_by"]
    list_filter = ["status", "year"]
    search_fields = ["account__name"]
    list_select_related = ["account", "last_reviewed_by"]
    raw_id_fields = ["account", "last_reviewed_by", "created_by"]

    def saved_events(self, obj, before):
        return [events.AccountPlanChanged(plan_id=obj.pk, account_id=obj.account_id)]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Objective)
class ObjectiveAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "account", "year", "kind", "target_value", "owner", "due_on", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "account__name"]
    list_select_related = ["account", "owner"]
    raw_id_fields = ["account", "owner"]
    inlines = [ActionInline]

    def saved_events(self, obj, before):
        account_id = obj.account_id
        # The actions inline may have changed as well.
        return [
            events.ObjectiveChanged(objective_id=obj.pk, account_id=account_id),
            *(
                events.ActionChanged(action_id=pk, account_id=account_id)
                for pk in obj.actions.values_list("pk", flat=True)
            ),
        ]


@admin.register(Action)
class ActionAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "objective", "owner", "due_on", "status", "done_on"]
    list_filter = ["status"]
    search_fields = ["title", "objective__title"]
    list_select_related = ["objective", "owner"]
    raw_id_fields = ["objective", "owner"]

    def saved_events(self, obj, before):
        return [events.ActionChanged(action_id=obj.pk, account_id=obj.objective.account_id)]


@admin.register(ObjectiveAdjustment)
class ObjectiveAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["objective", "field", "old_value", "new_value", "changed_by", "changed_at"]
    search_fields = ["objective__title", "reason"]
    list_select_related = ["objective", "changed_by"]
    raw_id_fields = ["objective", "changed_by"]


@admin.register(CoachingPlan)
class CoachingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "account", "created_by", "updated_at"]
    search_fields = ["title", "account__name"]
    list_select_related = ["account", "created_by"]
    raw_id_fields = ["account", "created_by"]
    filter_horizontal = ["reps"]


@admin.register(CoachingMaterial)
class CoachingMaterialAdmin(TombstonesAdmin, admin.ModelAdmin):
    tombstone_kind = "coaching_material"
    list_display = ["title", "plan", "url", "original_name", "size", "uploaded_at"]
    search_fields = ["title", "plan__title"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "uploaded_by"]

    def tombstone_account_id(self, obj):
        return obj.plan.account_id


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_at"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["participants"]


@admin.register(BriefingConfirmation)
class BriefingConfirmationAdmin(admin.ModelAdmin):
    list_display = ["plan", "rep", "confirmed_at"]
    list_select_related = ["plan", "rep"]
    raw_id_fields = ["plan", "rep"]


class ScenarioInline(TombstonesInline, admin.StackedInline):
    tombstone_kind = "scenario"
    model = Scenario
    extra = 0

    def tombstone_account_id(self, obj):
        return obj.case.account_id


@admin.register(BusinessCase)
class BusinessCaseAdmin(TombstonesAdmin, SimpleHistoryAdmin):
    tombstone_kind = "business_case"
    list_display = ["title", "account", "opportunity", "horizon_years", "created_at"]
    search_fields = ["title", "account__name"]
    list_select_related = ["account", "opportunity"]
    raw_id_fields = ["account", "opportunity", "created_by"]
    inlines = [ScenarioInline]


@admin.register(Scenario)
class ScenarioAdmin(TombstonesAdmin, admin.ModelAdmin):
    tombstone_kind = "scenario"
    list_display = ["name", "case", "yearly_volume", "unit_price", "position"]
    list_select_related = ["case"]
    raw_id_fields = ["case"]

    def tombstone_account_id(self, obj):
        return obj.case.account_id


@admin.register(BusinessUnit)
class BusinessUnitAdmin(TombstonesAdmin, admin.ModelAdmin):
    tombstone_kind = "business_unit"
    list_display = ["name", "account", "position"]
    search_fields = ["name", "account__name"]
    list_select_related = ["account"]
    raw_id_fields = ["account"]


@admin.register(WhitespaceCell)
class WhitespaceCellAdmin(SimpleHistoryAdmin):
    list_display = ["business_unit", "product_line", "state", "revenue", "potential"]
    list_filter = ["state", "product_line"]
    search_fields = ["business_unit__name", "business_unit__account__name"]
    list_select_related = ["business_unit", "product_line"]
    raw_id_fields = ["business_unit", "opportunity", "competitor"]
