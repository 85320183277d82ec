"""Reads on opportunities. Each starts from the access scope; sums are computed in SQL."""

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connections
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
)
from django.db.models.functions import Coalesce

from accounts.access import scoped
from accounts.models import Account, ProductLine
from deals.models import Opportunity, OpportunityCompetitor, Stage
from kam import versioned_cache
from users.models import User

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)
# value × probability / 100. Multiplying by 0.01 (not dividing by 100) keeps SQLite from
# integer division when a value happens to be stored as a whole number.
WEIGHTED = ExpressionWrapper(
    F("value") * F("probability") * Value(Decimal("0.01")), output_field=MONEY_FIELD
)
OPEN = Q(stage__is_won=False, stage__is_lost=False)
CARDS_PER_STAGE = 20
# The version of the cache the board's stage totals rest on (deals.apps names its models).
PIPELINE = "pipeline"


def _competitor_links() -> QuerySet[OpportunityCompetitor]:
    return OpportunityCompetitor.objects.select_related("competitor").order_by("competitor__name")


def opportunity_list(user) -> QuerySet[Opportunity]:
    """Visible opportunities with account, stage and owner joined, `weighted` annotated, and
    the competitors (with their register entry) and product lines prefetched: a page of
    any size takes the same number of queries."""
    return (
        scoped(user, Opportunity.objects.all())
        .select_related("account", "stage", "owner")
        .annotate(weighted=WEIGHTED)
        .prefetch_related(
            Prefetch("competitor_links", queryset=_competitor_links()),
            Prefetch("product_lines", queryset=ProductLine.objects.order_by("name")),
        )
    )


def _as_cards(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """A board card shows the competitors (as the list `card_competitor_links`), not the
    product lines. Prefetched into a list, not into each card's related manager: building
    a manager's queryset per card took a fifth of a board of 120 cards."""
    return opportunities.prefetch_related(None).prefetch_related(
        Prefetch("competitor_links", queryset=_competitor_links(), to_attr="card_competitor_links")
    )


def as_card(opportunity: Opportunity) -> Opportunity:
    """One opportunity of opportunity_list() ready for the board's card template."""
    opportunity.card_competitor_links = list(opportunity.competitor_links.all())  # type: ignore[attr-defined]
    return opportunity


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


# Cards of a column: closed deals newest first, open ones by expected close date.
CARD_ORDER = (
    F("closed_on").desc(nulls_last=True),
    F("expected_close_date").asc(nulls_last=True),
    F("pk").asc(),
)


def stage_totals(opportunities: QuerySet[Opportunity]) -> dict[int, dict]:
    """Count, total and weighted total per stage id: one aggregate query."""
    return {
        row["stage"]: dict(row)
        for row in opportunities.order_by()
        .values("stage")
        .annotate(
            count=Count("pk"),
            total=Coalesce(Sum("value"), ZERO),
            weighted_total=Coalesce(Sum(WEIGHTED), ZERO),
        )
    }


def pipeline(
    opportunities: QuerySet[Opportunity],
    *,
    account_ids: list[int] | None = None,
    cache_key: tuple | None = None,
) -> list[PipelineColumn]:
    """Every stage with the count, total and weighted total of the given (scoped, filtered)
    opportunities, summed in one SQL query, and the first CARDS_PER_STAGE cards of each
    stage: one UNION ALL of a LIMIT per stage picks their ids (each part walks the
    stage's index and stops, instead of ranking every deal), one more query loads them
    with the prefetches of opportunity_list. `account_ids`: the user's visible accounts
    (accounts.access.visible_account_ids), so that a key account manager's columns read
    their accounts' deals instead of walking every deal of the stage. With `cache_key`
    (who sees the same deals, and the filters) the totals, a sum over every deal of the
    scope, come from the cache until a deal, an account, a team or a user changes."""
    if account_ids is not None:
        opportunities = opportunities.filter(account_id__in=account_ids)
    stages = list(Stage.objects.order_by("order", "pk"))
    if cache_key is None:
        totals = stage_totals(opportunities)
    else:
        totals = versioned_cache.cached(
            "pipeline_totals", cache_key, lambda: stage_totals(opportunities), rests_on=PIPELINE
        )
    ids_per_stage = [
        opportunities.filter(stage=stage)
        .order_by(*CARD_ORDER)
        .values_list("pk", flat=True)[:CARDS_PER_STAGE]
        for stage in stages
        if totals.get(stage.pk)
    ]
    cards: dict[int, list[Opportunity]] = {}
    if ids_per_stage:
        ids = _union_of_ids(ids_per_stage, using=opportunities.db)
        for opportunity in _as_cards(opportunities.filter(pk__in=ids).order_by(*CARD_ORDER)):
            cards.setdefault(opportunity.stage_id, []).append(opportunity)
    return [
        PipelineColumn(
            stage=stage,
            count=totals.get(stage.pk, {}).get("count", 0),
            total=totals.get(stage.pk, {}).get("total", Decimal("0")),
            weighted=totals.get(stage.pk, {}).get("weighted_total", Decimal("0")),
            cards=cards.get(stage.pk, []),
        )
        for stage in stages
    ]


def pipeline_totals(
    opportunities: QuerySet[Opportunity], *, stages: QuerySet[Stage]
) -> list[PipelineColumn]:
    """The given stages with count, total and weighted total and no cards: one aggregate
    query plus the stages."""
    totals = stage_totals(opportunities.filter(stage__in=stages))
    return [
        PipelineColumn(
            stage=stage,
            count=totals.get(stage.pk, {}).get("count", 0),
            total=totals.get(stage.pk, {}).get("total", Decimal("0")),
            weighted=totals.get(stage.pk, {}).get("weighted_total", Decimal("0")),
            cards=[],
        )
        for stage in stages.order_by("order", "pk")
    ]


def _union_of_ids(parts: list[QuerySet], *, using: str) -> list[int]:
    """The ids of several LIMITed querysets in one query: a UNION ALL where the database
    allows LIMIT in its parts (PostgreSQL), else the same parts as IN subqueries."""
    if len(parts) == 1:
        return list(parts[0])
    if connections[using].features.supports_slicing_ordering_in_compound:
        return list(parts[0].union(*parts[1:], all=True).order_by())
    where = reduce(or_, (Q(pk__in=part) for part in parts))
    return list(Opportunity.objects.filter(where).values_list("pk", flat=True))


def stage_cards(
    opportunities: QuerySet[Opportunity],
    *,
    stage: Stage,
    offset: int,
    account_ids: list[int] | None = None,
) -> tuple[list[Opportunity], bool]:
    """The next CARDS_PER_STAGE cards of one column after `offset`, and whether more
    follow ("show more" on the board). One query plus the prefetches (`account_ids` as in
    pipeline())."""
    if account_ids is not None:
        opportunities = opportunities.filter(account_id__in=account_ids)
    page = list(
        _as_cards(opportunities.filter(stage=stage).order_by(*CARD_ORDER))[
            offset : offset + CARDS_PER_STAGE + 1
        ]
    )
    return page[:CARDS_PER_STAGE], len(page) > CARDS_PER_STAGE


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
            # Not `weighted_value`, which the stubs take for a clash with Opportunity's property.
            weighted=Coalesce(Sum(WEIGHTED), ZERO),
        )
    )
    return {
        row["account_id"]: {
            "open_count": row["open_count"],
            "open_value": row["open_value"],
            "weighted_value": row["weighted"],
        }
        for row in rows
    }


def header_pipeline(*, account: Account, group_ids: list[int], user: User) -> dict:
    """The account header's open pipeline: the group's open and weighted value, and
    `group` (True when subsidiaries are in it) so that the label says whose it is."""
    return {**account_pipeline_totals(group_ids), "group": len(group_ids) > 1}


MY_WORK_LIMIT = 50


def open_follow_ups_owned_by(user) -> QuerySet[Opportunity]:
    """The user's open deals with a next follow-up date, on accounts they can see, earliest
    first; account preloaded ("My work")."""
    return (
        scoped(user, Opportunity.objects.filter(OPEN, owner=user, next_follow_up_on__isnull=False))
        .select_related("account")
        .order_by("next_follow_up_on", "pk")
    )


def my_work_deal_follow_ups(*, user) -> dict:
    """The next follow-ups of the user's open deals, for "My work" (at most MY_WORK_LIMIT)."""
    return {"deals": list(open_follow_ups_owned_by(user)[:MY_WORK_LIMIT])}
