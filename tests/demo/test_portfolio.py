"""The demo data makes every warning and chart of the portfolio meaningful; running it
again creates nothing."""

from django.utils import timezone

from accounts.models import Account
from portfolio import concentration, demo, selectors
from portfolio.models import (
    CompanyTotals,
    HealthSnapshot,
    MatrixScore,
    ReadinessAssessment,
    SuggestionDecision,
)


def test_demo_portfolio_warns_trends_and_keeps_history(demo_users):
    users = demo_users
    year = timezone.localdate().year

    units = concentration.ranked_units(year=year, limits=concentration.thresholds())
    assert units[0].name == "Brenner Automotive AG" and units[0].warning == "red"
    assert units[0].revenue_share > 50
    assert [u.name for u in units if u.warning == "amber"] == ["Aurelia Pharma Holding AG"]
    assert CompanyTotals.objects.filter(year=year).exists()
    assert [c.abc for c in concentration.pareto(year=year).classes] == ["A", "B", "C"]
    hhi = [s.hhi for s in concentration.year_summaries()]
    assert len(hhi) == 3 and hhi == sorted(hhi)  # concentration grows: a trend to see

    alpen = Account.objects.get(external_id="DEMO-013")
    assert selectors.account_health(alpen).dropped
    assert HealthSnapshot.objects.filter(account=alpen).count() == 12
    assert MatrixScore.objects.values("year").distinct().count() == 3
    assert ReadinessAssessment.objects.count() == 2
    assert SuggestionDecision.objects.get().decision == "rejected"

    assert demo.seed(users) == 0
    assert ReadinessAssessment.objects.count() == 2
