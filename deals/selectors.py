"""Reads on opportunities. Each starts from the access scope; sums are computed in SQL."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from accounts.access import scoped
from accounts.models import Account, ProductLine
from deals.models import Opportunity, OpportunityCompetitor, Stage
from users.models import User

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)
# value × probability / 100. Multiplying by 0.01 (not dividing by 100) keeps SQLite from
# integer division when a value happens to be stored as a whole number.
WEIGHTED = ExpressionWrapper(
    F("value") * F("probability") * Value(Decimal("0.01")), output_field=MONEY_FIELD
)
OPEN = Q(stage__is_won=False, stage__is_lost=False)
CARDS_PER_STAGE = 50


def opportunity_list(user) -> QuerySet[Opportunity]:
    """Visible opportunities with account, stage and owner joined, `weighted` annotated, and
    the competitors (with their register entry) and product lines prefetched: a page of
    any size takes the same number of queries."""
    return (
        scoped(user, Opportunity.objects.all())
        .select_related("account", "stage", "owner")
        .annotate(weighted=WEIGHTED)
        .prefetch_related(
            Prefetch(
                "competitor_links",
                queryset=OpportunityCompetitor.objects.select_related("competitor").order_by(
                    "competitor__name"
                ),
            ),
            Prefetch("product_lines", queryset=ProductLine.objects.order_by("name")),
        )
    )


@dataclass
class PipelineColumn:
    stage: Stage
    count: int
    total: Decimal
    weighted: Decimal
    cards: list[Opportunity]

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def pipeline(opportunities: QuerySet[Opportunity]) -> list[PipelineColumn]:
    """Every stage with the count, total and weighted total of the given (scoped, filtered)
    opportunities, summed in one SQL query, and at most CARDS_PER_STAGE cards per stage
    (open ones by close date, closed ones newest first) in one more query plus the
    prefetches of opportunity_list."""
    totals = {
        row["stage"]: row
        for row in opportunities.order_by()
        .values("stage")
        .annotate(
            count=Count("pk"),
            total=Coalesce(Sum("value"), ZERO),
            weighted_total=Coalesce(Sum(WEIGHTED), ZERO),
        )
    }
    ranked = opportunities.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[
                F("closed_on").desc(nulls_last=True),
                F("expected_close_date").asc(nulls_last=True),
                F("pk").asc(),
            ],
        )
    ).filter(rank__lte=CARDS_PER_STAGE)
    cards: dict[int, list[Opportunity]] = {}
    for opportunity in ranked.order_by(
        F("closed_on").desc(nulls_last=True), F("expected_close_date").asc(nulls_last=True), "pk"
    ):
        cards.setdefault(opportunity.stage_id, []).append(opportunity)
    columns = []
    for stage in Stage.objects.order_by("order", "pk"):
        row = totals.get(stage.pk, {})
        columns.append(
            PipelineColumn(
                stage=stage,
                count=row.get("count", 0),
                total=row.get("total", Decimal("0")),
                weighted=row.get("weighted_total", Decimal("0")),
                cards=cards.get(stage.pk, []),
            )
        )
    return columns


def pipeline_summary(columns: list[PipelineColumn]) -> dict:
    open_columns = [c for c in columns if not c.stage.is_closed]
    return {
        "open_count": sum(c.count for c in open_columns),
        "open_value": sum((c.total for c in open_columns), Decimal("0")),
        "weighted_value": sum((c.weighted for c in open_columns), Decimal("0")),
    }


def account_pipeline_totals(account_ids) -> dict:
    """The open pipeline of the given accounts together: {"open_count", "open_value",
    "weighted_value"}, one aggregate query. The caller scopes the ids."""
    return Opportunity.objects.filter(OPEN, account_id__in=account_ids).aggregate(
        open_count=Count("pk"),
        open_value=Coalesce(Sum("value"), ZERO),
        weighted_value=Coalesce(Sum(WEIGHTED), ZERO),
    )


def pipeline_by_account(account_ids) -> dict[int, dict]:
    """The same totals per account: {account_id: {"open_count", "open_value",
    "weighted_value"}}; accounts without open deals are left out. One query."""
    rows = (
        Opportunity.objects.filter(OPEN, account_id__in=account_ids)
        .order_by()
        .values("account_id")
        .annotate(
            open_count=Count("pk"),
            open_value=Coalesce(Sum("value"), ZERO),
            weighted_value=Coalesce(Sum(WEIGHTED), ZERO),
        )
    )
    return {row.pop("account_id"): row for row in rows}


def header_pipeline(*, account: Account, group_ids: QuerySet, user: User) -> dict:
    """The account header's open pipeline: the group's open and weighted value."""
    return account_pipeline_totals(group_ids)
