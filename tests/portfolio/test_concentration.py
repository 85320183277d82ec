"""Shares, HHI, Pareto classes and warnings against the hand-computed portfolio of
conftest.py."""

from decimal import Decimal

import pytest

from accounts.access import visible_accounts
from portfolio import concentration
from portfolio.models import ClassificationRule, CompanyTotals
from tests.portfolio.conftest import YEAR, put

pytestmark = pytest.mark.django_db
D = Decimal


def summary_of(year=YEAR):
    return next(s for s in concentration.year_summaries() if s.year == year)


def test_shares_hhi_and_top_shares_over_the_accounts_kept_here(portfolio):
    summary = summary_of()
    assert summary.revenue == D(1_000_000)
    assert not summary.uses_company_totals
    assert summary.units == 4  # the group counts once
    assert summary.hhi == D("4350.0")
    assert summary.top5_share == D("100.0")
    assert summary.key_share == D("60.0")  # the Weber group is a key account
    assert summary.key_margin_share == D("60.0")
    assert summary.key_share_typical


def test_company_totals_become_the_denominator(portfolio, admin_user):
    CompanyTotals.objects.create(year=YEAR, revenue=D(2_000_000), contribution_margin=D(400_000))
    summary = summary_of()
    assert summary.uses_company_totals
    # 30² + 12.5² + 5² + 2.5² = 900 + 156.25 + 25 + 6.25
    assert summary.hhi == D("1087.5")
    assert summary.key_share == D("30.0")
    assert summary.key_margin_share == D("15.0")
    rows = concentration.ranked_units(year=YEAR, limits=concentration.thresholds())
    assert [(r.name, r.revenue_share, r.margin_share, r.warning) for r in rows[:2]] == [
        ("Weber Holding AG", D("30.0"), D("15.0"), "amber"),
        ("Bauer GmbH", D("12.5"), D("7.5"), ""),
    ]


def test_hhi_per_year_gives_the_trend(portfolio):
    put(portfolio["bauer"], 500_000, 50_000, year=YEAR - 1)
    put(portfolio["claus"], 500_000, 50_000, year=YEAR - 1)
    years = [(s.year, s.hhi) for s in concentration.year_summaries()]
    assert years == [(YEAR - 1, D("5000.0")), (YEAR, D("4350.0"))]


def test_ranked_units_with_shares_classes_and_warnings(portfolio):
    rows = concentration.ranked_units(year=YEAR, limits=concentration.thresholds())
    got = [
        (r.rank, r.name, r.revenue_share, r.margin_share, r.cumulative_share, r.abc, r.warning)
        for r in rows
    ]
    assert got == [
        (1, "Weber Holding AG", D("60.0"), D("60.0"), D("60.0"), "A", "red"),
        (2, "Bauer GmbH", D("25.0"), D("30.0"), D("85.0"), "A", "amber"),
        # 85 % before it: past the A line, below the B line
        (3, "Claus KG", D("10.0"), D("5.0"), D("95.0"), "B", ""),
        # exactly 95 % before it: the B line is reached, so C
        (4, "Dorn AG", D("5.0"), D("5.0"), D("100.0"), "C", ""),
    ]
    assert rows[0].subsidiaries == 2
    assert rows[0].is_group and not rows[1].is_group


def test_pareto_curve_and_class_sizes(portfolio):
    curve = concentration.pareto(year=YEAR)
    assert curve.units == 4
    assert curve.points == [(1, D("60.0")), (2, D("85.0")), (3, D("95.0")), (4, D("100.0"))]
    assert [(c.abc, c.units, c.revenue_share) for c in curve.classes] == [
        ("A", 2, D("85.0")),
        ("B", 1, D("10.0")),
        ("C", 1, D("5.0")),
    ]


def test_abc_lines_follow_the_settings(portfolio, settings):
    settings.PORTFOLIO_ABC_A = 60
    rows = concentration.ranked_units(year=YEAR)
    # Weber starts at 0 % (A); Bauer starts at exactly 60 %: B
    assert [r.abc for r in rows] == ["A", "B", "B", "C"]


def test_a_key_account_manager_sees_only_their_units_with_the_company_rank(portfolio, kam):
    visible = visible_accounts(kam).values("pk").query.sql_with_params()
    rows = concentration.ranked_units(year=YEAR, visible_ids_sql=visible)
    assert [(r.rank, r.name, r.revenue_share) for r in rows] == [
        (2, "Bauer GmbH", D("25.0")),
        (3, "Claus KG", D("10.0")),
    ]


def test_a_subsidiary_carries_the_share_of_its_group(portfolio):
    share = concentration.unit_share(portfolio["weber_us"], year=YEAR)
    assert share.unit_name == "Weber Holding AG"
    assert (share.revenue_share, share.margin_share, share.warning) == (D("60.0"), D("60.0"), "red")
    assert concentration.unit_share(portfolio["dorn"], year=YEAR - 1) is None


def test_margin_alone_can_raise_the_warning(portfolio):
    put(portfolio["dorn"], 50_000, 200_000)  # margin total 295,000: Dorn 67.8 %
    share = concentration.unit_share(portfolio["dorn"], year=YEAR)
    assert share.revenue_share == D("5.0")
    assert share.margin_share == D("67.8")
    assert share.warning == "red"


@pytest.mark.parametrize(
    ("revenue_share", "margin_share", "level"),
    [
        (D("50.0"), None, "amber"),  # 50 % is still inside the band
        (D("50.1"), None, "red"),
        (D("25.0"), None, "amber"),
        (D("24.9"), D("24.9"), ""),
        (D("10"), D("50.1"), "red"),
        (None, None, ""),
    ],
)
def test_warning_levels_at_the_boundaries(revenue_share, margin_share, level):
    assert concentration.Thresholds().level(revenue_share, margin_share) == level


def test_thresholds_come_from_the_rule_table():
    limits = concentration.thresholds()
    assert (limits.red_revenue, limits.amber_revenue) == (D("50.00"), D("25.00"))
    ClassificationRule.objects.filter(warning="red", metric="revenue_share").update(minimum=40)
    assert concentration.thresholds().red_revenue == D("40.00")
    ClassificationRule.objects.filter(warning="red").update(active=False)
    assert concentration.thresholds().red_revenue == D("50")
