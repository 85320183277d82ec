"""Yearly figures of the demo accounts (revenue, margin, targets, potential) for the last
three years, and the dominant customer whose share of all revenue grows every year."""

import random
from decimal import Decimal

from accounts.demo.companies import DOMINANT_ACCOUNT, AccountSpec, S, T
from accounts.demo.plans import AccountPlan, YearFigures

# Share of all revenue the dominant account has, from two years ago to this year.
DOMINANT_SHARES = (Decimal("0.42"), Decimal("0.47"), Decimal("0.53"))

# Base revenue (from, to) of this year by status and tier, in euros.
REVENUE_RANGE: dict[tuple[str, str], tuple[int, int]] = {
    (S.KEY_ACCOUNT, T.A): (2_500_000, 6_000_000),
    (S.KEY_ACCOUNT, T.B): (1_000_000, 2_500_000),
    (S.POTENTIAL, T.A): (400_000, 1_200_000),
    (S.POTENTIAL, T.B): (250_000, 800_000),
    (S.STANDARD, T.B): (250_000, 800_000),
    (S.STANDARD, T.C): (100_000, 350_000),
    (S.FORMER, T.B): (500_000, 900_000),
    (S.FORMER, T.C): (200_000, 500_000),
}


def _money(value: float) -> Decimal:
    """Round to hundreds of euros, as an ERP export would show plausible figures."""
    return Decimal(round(value / 100) * 100).quantize(Decimal("0.01"))


def plan_figures(rng: random.Random, spec: AccountSpec, year: int) -> dict[int, YearFigures]:
    if spec.status == S.PROSPECT:
        potential = rng.uniform(800_000, 6_000_000)
        return {
            year: {
                "revenue": Decimal("0.00"),
                "contribution_margin": Decimal("0.00"),
                "revenue_target": _money(potential * rng.uniform(0.03, 0.08)),
                "margin_target": None,
                "revenue_potential": _money(potential),
            }
        }
    low, high = REVENUE_RANGE.get((spec.status, spec.tier), (250_000, 800_000))
    base = rng.uniform(low, high)
    if spec.status == S.FORMER:
        revenues = [base, base * rng.uniform(0.3, 0.6), 0.0]
    elif spec.status == S.POTENTIAL:
        revenues = [base * rng.uniform(0.55, 0.75), base * rng.uniform(0.75, 0.95), base]
    else:
        revenues = [base * rng.uniform(0.8, 1.0), base * rng.uniform(0.9, 1.05), base]
    wallet_shares: dict[str, tuple[float, float]] = {
        S.KEY_ACCOUNT: (0.35, 0.7),
        S.POTENTIAL: (0.06, 0.18),
        S.STANDARD: (0.2, 0.5),
        S.FORMER: (0.15, 0.3),
    }
    share_of_wallet = wallet_shares[spec.status]
    potential = base / rng.uniform(*share_of_wallet)
    figures: dict[int, YearFigures] = {}
    for offset, revenue in zip((2, 1, 0), revenues, strict=True):
        margin_rate = rng.uniform(0.18, 0.34)
        target = revenue * rng.uniform(0.9, 1.15) if revenue else None
        figures[year - offset] = {
            "revenue": _money(revenue),
            "contribution_margin": _money(revenue * margin_rate),
            "revenue_target": _money(target) if target else None,
            "margin_target": _money(target * (margin_rate + 0.02)) if target else None,
            "revenue_potential": _money(potential * rng.uniform(0.95, 1.05)),
        }
    return figures


def make_dominant(plans: list[AccountPlan], year: int) -> None:
    """One customer with more than half of the revenue: the risk the dashboard must show.

    Its share grows every year while its margin shrinks (a big customer squeezes prices).
    """
    dominant = next(p for p in plans if p.spec.external_id == DOMINANT_ACCOUNT)
    years = (year - 2, year - 1, year)
    margin_rates = (Decimal("0.175"), Decimal("0.166"), Decimal("0.158"))
    target_factors = (Decimal("1.08"), Decimal("1.01"), Decimal("1.06"))
    shares_of_wallet = (Decimal("0.55"), Decimal("0.59"), Decimal("0.62"))
    for each_year, share, margin_rate, target_factor, wallet in zip(
        years, DOMINANT_SHARES, margin_rates, target_factors, shares_of_wallet, strict=True
    ):
        others = sum(
            (p.figures[each_year]["revenue"] for p in plans
             if p is not dominant and each_year in p.figures),
            Decimal(0),
        )  # fmt: skip
        revenue = _money(float(others * share / (1 - share)))
        target = _money(float(revenue * target_factor))
        dominant.figures[each_year] = {
            "revenue": revenue,
            "contribution_margin": _money(float(revenue * margin_rate)),
            "revenue_target": target,
            "margin_target": _money(float(target * Decimal("0.18"))),
            "revenue_potential": _money(float(revenue / wallet)),
        }
