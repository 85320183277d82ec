from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kam import events
from kam.admin import EventsAdmin, TombstonesAdmin, TombstonesInline
from reviews.models import AgendaItem, AnnualReview, FolderVersion, Section, Topic


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["kind", "text", "refreshed_at"]
    readonly_fields = ["kind", "refreshed_at"]


class AgendaInline(TombstonesInline, admin.TabularInline):
    tombstone_kind = "agenda_item"
    model = AgendaItem
    extra = 0

    def tombstone_account_id(self, obj):
        return obj.review.account_id


class TopicInline(TombstonesInline, admin.TabularInline):
    tombstone_kind = "topic"
    model = Topic
    extra = 0
    raw_id_fields = ["owner", "contract"]

    def tombstone_account_id(self, obj):
        return obj.review.account_id


class VersionInline(admin.TabularInline):
    model = FolderVersion
    extra = 0
    readonly_fields = (
        "number", "internal", "language", "status", "error", "attempts", "pages", "size",
    )  # fmt: skip
    fields = readonly_fields
    can_delete = False


@admin.register(AnnualReview)
class AnnualReviewAdmin(TombstonesAdmin, EventsAdmin, SimpleHistoryAdmin):
    tombstone_kind = "review"  # its parts and folder versions go with it
    list_display = ["account", "year", "meeting_on", "status", "language"]
    list_filter = ["status", "year", "language"]
    search_fields = ["account__name"]
    raw_id_fields = ["account", "created_by", "customer_participants"]
    filter_horizontal = ["our_participants"]
    inlines = [SectionInline, AgendaInline, TopicInline, VersionInline]

    def saved_events(self, obj, before):
        return [events.ReviewChanged(review_id=obj.pk, account_id=obj.account_id)]
