from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deals import services
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from kam import events
from kam.admin import EventsAdmin, TombstonesInline


@admin.register(Stage)
class StageAdmin(EventsAdmin, admin.ModelAdmin):
    """The pipeline is configured here: rename a default stage (its translated label then
    gives way to the new name), change its order or default probability, or add stages."""

    list_display = ["name", "label", "key", "order", "default_probability", "is_won", "is_lost"]
    list_editable = ["order", "default_probability"]
    ordering = ["order", "pk"]

    def saved_events(self, obj, before):
        return [events.StagesChanged(stage_id=obj.pk)]

    def deleted_events(self, obj):
        return [events.StagesChanged(stage_id=obj.pk)]


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]


class CompetitorInline(TombstonesInline, admin.TabularInline):
    tombstone_kind = "opportunity_competitor"
    model = OpportunityCompetitor
    extra = 0
    autocomplete_fields = ["competitor"]

    def tombstone_account_id(self, obj):
        return obj.opportunity.account_id


@admin.register(Opportunity)
class OpportunityAdmin(EventsAdmin, SimpleHistoryAdmin):
    list_display = ["title", "account", "stage", "value", "probability", "owner", "closed_on"]
    list_filter = ["stage"]
    search_fields = ["title", "account__name"]
    list_select_related = ["account", "stage", "owner"]
    raw_id_fields = ["account", "owner"]
    readonly_fields = ["closed_on"]
    inlines = [CompetitorInline]

    def saved_events(self, obj, before):
        if before is None:
            years = services.dates_years(obj.expected_close_date, obj.closed_on)
            return [
                events.OpportunityCreated(
                    opportunity_id=obj.pk, account_id=obj.account_id, years=years
                )
            ]
        return services.changed_events(obj, before)

    def deleted_events(self, obj):
        years = services.dates_years(obj.expected_close_date, obj.closed_on)
        return [
            events.OpportunityChanged(opportunity_id=obj.pk, account_id=obj.account_id, years=years)
        ]
