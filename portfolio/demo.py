"""Demo data of the portfolio view: company totals, supplier ranks and strategic fit,
twelve weeks of health scores (one account with a drop), the portfolio matrix of three
years, a rejected suggestion and two readiness assessments. Idempotent.

The Brenner group keeps more than half of this year's revenue (the red warning), the
Aurelia group's margin falls into the key-account band (the amber one).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Account, YearlyFigures
from activities import services as activity_services
from customer_care import services as care_services
from customer_care.models import Survey
from kam.history import authored_by
from portfolio import classification, health, services
from portfolio.models import (
    AccountPortfolio,
    CompanyTotals,
    HealthSnapshot,
    ReadinessAssessment,
    SuggestionDecision,
)
from users.models import User

SEED = 2026
DROP_ACCOUNT = "DEMO-013"  # health fell by more than 15 points
AMBER_GROUP = "DEMO-007"  # margin share in the key-account band
FACTS = {  # supplier rank, strategic fit
    "DEMO-001": (1, 5), "DEMO-007": (2, 5), "DEMO-011": (3, 4), "DEMO-012": (2, 3),
    "DEMO-013": (4, 4), "DEMO-014": (1, 3), "DEMO-015": (5, 4), "DEMO-016": (3, 5),
}  # fmt: skip
# Customers not kept in the CRM: the company's totals are this much above the sum here.
OUTSIDE = Decimal("1.06")


def seed(users: dict[str, User]) -> int:
    if CompanyTotals.objects.exists():
        return 0
    leitung = users["leitung"]
    created = _company_totals(leitung)
    created += _amber_margin()
    created += _facts()
    created += _health()
    created += _matrix()
    created += _readiness(leitung)
    created += _rejected_suggestion(users)
    return created


def _company_totals(actor: User) -> int:
    rows = (
        YearlyFigures.objects.values("year")
        .annotate(revenue=Sum("revenue"), margin=Sum("contribution_margin"))
        .order_by("year")
    )
    for row in rows:
        services.company_totals_put(
            actor=actor,
            year=row["year"],
            revenue=(row["revenue"] * OUTSIDE).quantize(Decimal("1000")),
            contribution_margin=(row["margin"] * OUTSIDE).quantize(Decimal("1000")),
        )
    return len(rows)


def _amber_margin() -> int:
    """Aurelia earns an unusually high margin: its group reaches the key-account band on
    margin (amber) while its revenue share stays below it."""
    year = timezone.localdate().year
    group = Account.objects.filter(external_id=AMBER_GROUP).first()
    if group is None:
        return 0
    members = YearlyFigures.objects.filter(account__path__startswith=group.path, year=year)
    total_margin = YearlyFigures.objects.filter(year=year).aggregate(m=Sum("contribution_margin"))[
        "m"
    ]
    own = members.aggregate(m=Sum("contribution_margin"))["m"] or Decimal(0)
    others = (total_margin or Decimal(0)) - own
    # Aim at 30 % of the company's margin: own × k = 0.3 × (others + own × k) × OUTSIDE.
    wanted = Decimal("0.30") * OUTSIDE * others / (1 - Decimal("0.30") * OUTSIDE)
    factor = wanted / own if own else Decimal(1)
    for figures in members:
        YearlyFigures.objects.filter(pk=figures.pk).update(
            contribution_margin=(figures.contribution_margin * factor).quantize(Decimal("1"))
        )
    totals = CompanyTotals.objects.get(year=year)
    margin = YearlyFigures.objects.filter(year=year).aggregate(m=Sum("contribution_margin"))["m"]
    CompanyTotals.objects.filter(pk=totals.pk).update(
        contribution_margin=(margin * OUTSIDE).quantize(Decimal("1000"))
    )
    return 0


def _facts() -> int:
    created = 0
    for account in Account.objects.filter(external_id__in=FACTS):
        rank, fit = FACTS[account.external_id or ""]
        _, new = AccountPortfolio.objects.update_or_create(
            account=account, defaults={"supplier_rank": rank, "strategic_fit": fit}
        )
        created += new
    return created


def _critical_answers() -> int:
    """Alpen's satisfaction fell: enough NPS answers in the last 12 months for the NPS to
    count in the health score (settings.NPS_MIN_ANSWERS), the new ones critical."""
    account = Account.objects.filter(external_id=DROP_ACCOUNT).select_related("owner").first()
    if account is None:
        return 0
    today = timezone.localdate()
    answered = Survey.objects.filter(
        account=account, nps__isnull=False, surveyed_on__gt=today - timedelta(days=365)
    ).count()
    missing = max(0, settings.NPS_MIN_ANSWERS - answered)
    for n in range(missing):
        survey = care_services.survey_record(
            actor=account.owner,
            account=account,
            nps=(3, 5, 2, 6, 4)[n % 5],
            surveyed_on=today - timedelta(days=20 + 9 * n),
            comment="Lieferverzug bei Ersatzteilen",
        )
        # Weeks old: the owner has called back already (the one open detractor follow-up
        # of the demo stays the recent one of the customer-care step).
        if survey.follow_up is not None:
            activity_services.follow_up_complete(
                actor=account.owner,
                follow_up=survey.follow_up,
                done_at=timezone.now() - timedelta(days=18 + 9 * n),
            )
    return missing


def _health() -> int:
    """This week's real scores, and eleven earlier weeks drifting around them."""
    stored = _critical_answers() + services.health_store_week()
    this_week = health.week_of(timezone.localdate())
    current = dict(HealthSnapshot.objects.filter(week=this_week).values_list("account_id", "score"))
    drop_ids = set(Account.objects.filter(external_id=DROP_ACCOUNT).values_list("pk", flat=True))
    earlier = []
    for account_id, score in current.items():
        rng = random.Random(f"{SEED}-health-{account_id}")
        for weeks_back in range(1, 12):
            if account_id in drop_ids:
                value = min(100, score + 22 + rng.randint(-2, 2))  # clearly higher until now
            else:
                value = max(0, min(100, score + rng.randint(-6, 6) + weeks_back // 3))
            earlier.append(
                HealthSnapshot(
                    account_id=account_id,
                    week=this_week - timedelta(weeks=weeks_back),
                    score=value,
                    parts={},
                )
            )
    # Older than this week's, which health_store_week flagged as the latest: no mark.
    HealthSnapshot.objects.bulk_create(earlier, ignore_conflicts=True)
    return stored + len(earlier)


def _matrix() -> int:
    year = timezone.localdate().year
    return sum(services.matrix_store_year(year=y) for y in (year - 2, year - 1, year))


def _readiness(actor: User) -> int:
    if ReadinessAssessment.objects.exists():
        return 0
    first = services.readiness_assess(
        actor=actor, cross_selling=4, needs_advice=4, team_capacity=2, financial_resources=3,
        know_how=2, travel=4, management_backing=3, notes="Vor dem Aufbau des KAM-Teams",
    )  # fmt: skip
    ReadinessAssessment.objects.filter(pk=first.pk).update(
        assessed_at=first.assessed_at - timedelta(days=380)
    )
    services.readiness_assess(
        actor=actor, cross_selling=5, needs_advice=4, team_capacity=4, financial_resources=4,
        know_how=3, travel=2, management_backing=5, notes="Nach einem Jahr KAM",
    )  # fmt: skip
    return 2


def _rejected_suggestion(users: dict[str, User]) -> int:
    """The smallest pending suggestion is rejected with a reason; the others wait."""
    year = timezone.localdate().year
    if SuggestionDecision.objects.exists():
        return 0
    pending, total = classification.suggestions(year=year, limit=100)
    if not pending:
        return 0
    account = Account.objects.select_related("owner").get(pk=pending[-1].account_id)
    with authored_by(account.owner):
        services.suggestion_reject(
            actor=account.owner,
            account=account,
            year=year,
            reason="Großer Einmalauftrag in diesem Jahr, kein dauerhafter Bedarf.",
        )
    return 1
