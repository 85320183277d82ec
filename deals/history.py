"""An opportunity's history: field changes of the deal and of its competitors."""

from django.utils.text import capfirst

from accounts.history import Change
from deals.models import Competitor, Opportunity, OpportunityCompetitor

HISTORY_LIMIT = 100


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:  # noqa: BLE001 - a removed field keeps its raw name
        return field_name


# Foreign keys whose history shows the record's name rather than its id (joined in).
NAMED = {"stage", "owner", "account"}


def _text(row, field: str, value) -> str:
    if value in (None, ""):
        return "–"
    if field in NAMED:
        return str(getattr(row, field))
    return str(value)


def opportunity_history(opportunity: Opportunity) -> list[Change]:
    """Newest first; two queries (deal rows, competitor rows) whatever the length."""
    sources = [
        (
            Opportunity,
            Opportunity.history.filter(id=opportunity.pk).select_related("history_user", *NAMED),
            lambda r: capfirst(Opportunity._meta.verbose_name),
        ),
        (
            OpportunityCompetitor,
            OpportunityCompetitor.history.filter(opportunity_id=opportunity.pk).select_related(
                "history_user", "competitor"
            ),
            lambda r: f"{capfirst(Competitor._meta.verbose_name)}: {r.competitor}",
        ),
    ]
    records = []
    for model, queryset, name in sources:
        rows = list(queryset.order_by("-history_date")[: HISTORY_LIMIT * 2])
        previous: dict[int, object] = {}
        for row in sorted(rows, key=lambda r: r.history_date):
            before = previous.get(row.id)
            changes = []
            if before is not None:
                changes = [
                    (
                        _label(model, change.field),
                        _text(before, change.field, change.old),
                        _text(row, change.field, change.new),
                    )
                    for change in row.diff_against(before).changes
                ]
            records.append(
                Change(
                    when=row.history_date,
                    who=str(row.history_user) if row.history_user else "–",
                    what=name(row),
                    kind=row.history_type,
                    changes=changes,
                )
            )
            previous[row.id] = row
    records.sort(key=lambda change: change.when, reverse=True)
    return records[:HISTORY_LIMIT]
