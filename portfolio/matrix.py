"""The portfolio matrix: customer attractiveness against our position, 0-100 each.

Attractiveness = 40 % potential + 30 % growth + 30 % margin, where
- potential: the percentile rank of the account's revenue potential among all accounts
  with a potential that year (PERCENT_RANK in SQL) × 100;
- growth: revenue growth against last year in %, clamped to -50..+50, plus 50;
- margin: contribution margin / revenue in %, clamped to 0..40, × 2.5.
Position = 40 % share of wallet + 30 % relationship + 30 % satisfaction, where
- share of wallet: revenue / potential in %, at most 100;
- relationship: (average strength of the active contacts − 1) × 25, 0 without contacts;
- satisfaction: (NPS of the year + 100) / 2, 50 without answers.
A part without data counts 50 (attractiveness) or as said above, and says so.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, PercentRank

from accounts.models import Account, Contact, YearlyFigures
from customer_care.models import Survey

MONEY = DecimalField(max_digits=18, decimal_places=2)
ATTRACTIVENESS = {"potential": 40, "growth": 30, "margin": 30}
POSITION = {"wallet": 40, "relationship": 30, "satisfaction": 30}


def _figure(year: int, name: str) -> Subquery:
    return Subquery(
        YearlyFigures.objects.filter(account=OuterRef("pk"), year=year).values(name)[:1],
        output_field=MONEY,
    )


def _survey_count(year: int, condition: Q) -> Coalesce:
    rows = (
        Survey.objects.filter(condition, account=OuterRef("pk"), surveyed_on__year=year)
        .order_by().values("account_id").annotate(n=Count("pk")).values("n")[:1]
    )  # fmt: skip
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def matrix_facts(accounts: QuerySet[Account], *, year: int) -> QuerySet[Account]:
    """Accounts with revenue in `year`, annotated with every input; one query."""
    strength = (
        Contact.objects.filter(account=OuterRef("pk"), is_active=True)
        .order_by().values("account_id").annotate(a=Avg("relationship_strength")).values("a")[:1]
    )  # fmt: skip
    return (
        accounts.annotate(
            m_revenue=_figure(year, "revenue"),
            m_margin=_figure(year, "contribution_margin"),
            m_potential=_figure(year, "revenue_potential"),
            m_revenue_before=_figure(year - 1, "revenue"),
            m_strength=Subquery(strength, output_field=FloatField()),
            m_answers=_survey_count(year, Q(nps__isnull=False)),
            m_promoters=_survey_count(year, Q(nps__gte=9)),
            m_detractors=_survey_count(year, Q(nps__lte=6)),
        )
        .filter(m_revenue__gt=0)
        .annotate(
            m_potential_rank=Window(PercentRank(), order_by=F("m_potential").asc(nulls_first=True))
        )
    )


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _weighted(parts: dict[str, float], weights: dict[str, int]) -> Decimal:
    total = sum(weights.values())
    value = sum(parts[key] * weight for key, weight in weights.items()) / total
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def scores(account) -> tuple[Decimal, Decimal, dict]:
    """(attractiveness, position, parts) of one account annotated by matrix_facts()."""
    revenue = float(account.m_revenue or 0)
    potential = float(account.m_potential) if account.m_potential else None
    before = float(account.m_revenue_before) if account.m_revenue_before else None
    parts = {
        "potential": round(float(account.m_potential_rank or 0) * 100, 1) if potential else 50.0,
        "growth": round(_clamp((revenue - before) * 100 / before, -50, 50) + 50, 1)
        if before
        else 50.0,
        "margin": round(_clamp(float(account.m_margin or 0) * 100 / revenue, 0, 40) * 2.5, 1)
        if revenue
        else 50.0,
        "wallet": round(min(revenue * 100 / potential, 100), 1) if potential else 0.0,
        "relationship": round((account.m_strength - 1) * 25, 1) if account.m_strength else 0.0,
        "satisfaction": round(
            ((account.m_promoters - account.m_detractors) * 100 / account.m_answers + 100) / 2, 1
        )
        if account.m_answers
        else 50.0,
    }
    return _weighted(parts, ATTRACTIVENESS), _weighted(parts, POSITION), parts
