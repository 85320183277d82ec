"""A small portfolio with hand-computed figures (README "Portfolio").

This year, revenue (margin):
- Weber group (DE) 100,000 (10,000) with subsidiaries in France 200,000 (20,000) and the
  USA 300,000 (30,000): 600,000 (60,000) = 60 % of revenue and margin, one unit;
- Bauer GmbH 250,000 (30,000) = 25 % / 30 %;
- Claus KG 100,000 (5,000) = 10 % / 5 %;
- Dorn AG 50,000 (5,000) = 5 % / 5 %.
Total 1,000,000 (100,000); HHI = 60² + 25² + 10² + 5² = 4,350.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Account
from tests.factories import make_account

YEAR = timezone.localdate().year  # the current year: the header and dashboard show it


def put(account, revenue, margin, year=YEAR, **extra):
    account_services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=Decimal(revenue),
        contribution_margin=Decimal(margin),
        **extra,
    )


@pytest.fixture
def portfolio(kam, other_kam):
    key = Account.Status.KEY_ACCOUNT
    weber = make_account(
        owner=other_kam, name="Weber Holding AG", country="Deutschland", status=key
    )
    weber_fr = make_account(
        owner=other_kam, name="Weber France SAS", country="Frankreich", parent=weber, status=key
    )
    weber_us = make_account(
        owner=other_kam, name="Weber USA Inc.", country="USA", parent=weber, status=key
    )
    bauer = make_account(owner=kam, name="Bauer GmbH", status=Account.Status.STANDARD)
    claus = make_account(owner=kam, name="Claus KG", status=Account.Status.STANDARD)
    dorn = make_account(owner=other_kam, name="Dorn AG", status=Account.Status.STANDARD)
    put(weber, 100_000, 10_000)
    put(weber_fr, 200_000, 20_000)
    put(weber_us, 300_000, 30_000)
    put(bauer, 250_000, 30_000)
    put(claus, 100_000, 5_000)
    put(dorn, 50_000, 5_000)
    return {
        "weber": weber, "weber_fr": weber_fr, "weber_us": weber_us,
        "bauer": bauer, "claus": claus, "dorn": dorn,
    }  # fmt: skip
