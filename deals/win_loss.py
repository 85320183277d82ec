"""Win/loss by competitor: for each competitor named on closed deals in a period, the
deals won and lost against them, their value, the win rate and the reasons given. One
read (win_loss) for the page and the API, within the user's scope."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber

from accounts.access import scoped
from deals.models import Competitor, OpportunityCompetitor
from deals.selectors import MONEY_FIELD

REASONS_PER_COMPETITOR = 10
WON = Q(opportunity__stage__is_won=True)
LOST = Q(opportunity__stage__is_lost=True)


@dataclass
class Reason:
    opportunity_id: int
    title: str
    won: bool
    closed_on: date
    text: str


@dataclass
class CompetitorResult:
    competitor: Competitor
    won_count: int
    won_value: Decimal
    lost_count: int
    lost_value: Decimal
    # Lost deals on which they were named as the winner.
    lost_to_them: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def win_rate(self) -> Decimal | None:
        closed = self.won_count + self.lost_count
        if not closed:
            return None
        return (Decimal(self.won_count) * 100 / closed).quantize(Decimal("0.1"))


def win_loss(
    user,
    *,
    start: date,
    end: date,
    competitor_id: int | None = None,
    region: str = "",
    industry: str = "",
    owner_id: int | None = None,
) -> list[CompetitorResult]:
    """Per competitor (most deals first), the scoped deals closed from `start` to `end`
    on which they were named, won and lost, with value, and the latest reasons given
    (REASONS_PER_COMPETITOR). Filters: one competitor, the account's region (sales
    team) and industry, the deal's owner. Three queries besides the scope's own."""
    links = scoped(
        user,
        OpportunityCompetitor.objects.filter(
            Q(opportunity__stage__is_won=True) | Q(opportunity__stage__is_lost=True),
            opportunity__closed_on__gte=start,
            opportunity__closed_on__lte=end,
        ),
        via="opportunity__account",
    )
    if competitor_id is not None:
        links = links.filter(competitor_id=competitor_id)
    if region:
        links = links.filter(opportunity__account__region=region)
    if industry:
        links = links.filter(opportunity__account__industry=industry)
    if owner_id is not None:
        links = links.filter(opportunity__owner_id=owner_id)
    zero = Decimal("0")
    rows = list(
        links.order_by()
        .values("competitor_id")
        .annotate(
            won_count=Count("pk", filter=WON),
            won_value=Coalesce(
                Sum("opportunity__value", filter=WON), zero, output_field=MONEY_FIELD
            ),
            lost_count=Count("pk", filter=LOST),
            lost_value=Coalesce(
                Sum("opportunity__value", filter=LOST), zero, output_field=MONEY_FIELD
            ),
            lost_to_them=Count("pk", filter=LOST & Q(opportunity__lost_to_id=F("competitor_id"))),
        )
    )
    competitors = Competitor.objects.in_bulk([row["competitor_id"] for row in rows])
    results = {
        row["competitor_id"]: CompetitorResult(
            competitor=competitors[row["competitor_id"]],
            won_count=row["won_count"],
            won_value=row["won_value"],
            lost_count=row["lost_count"],
            lost_value=row["lost_value"],
            lost_to_them=row["lost_to_them"],
        )
        for row in rows
    }
    if results:
        reasons = (
            links.exclude(opportunity__close_reason="")
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("competitor_id")],
                    order_by=[F("opportunity__closed_on").desc(), F("opportunity_id").desc()],
                )
            )
            .filter(rank__lte=REASONS_PER_COMPETITOR)
            .order_by("competitor_id", "-opportunity__closed_on", "-opportunity_id")
            .values_list(
                "competitor_id",
                "opportunity_id",
                "opportunity__title",
                "opportunity__stage__is_won",
                "opportunity__closed_on",
                "opportunity__close_reason",
            )
        )
        for competitor_id_, deal_id, title, won, closed_on, text in reasons:
            results[competitor_id_].reasons.append(Reason(deal_id, title, won, closed_on, text))
    return sorted(
        results.values(),
        key=lambda r: (-(r.won_count + r.lost_count), r.competitor.name.lower()),
    )
