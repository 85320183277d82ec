"""A key account with figures, a contract near its notice deadline and a contact, and a
review of it; PDFs go to a temporary MEDIA_ROOT."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import YearlyFigures
from contracts.models import Contract
from reviews import services
from tests.factories import make_contact

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def figures(account):
    rows = []
    for offset, revenue in ((3, "1100000"), (2, "1250000"), (1, "1480000"), (0, "600000")):
        rows.append(
            YearlyFigures.objects.create(
                account=account,
                year=THIS_YEAR - offset,
                revenue=Decimal(revenue),
                contribution_margin=Decimal(revenue) * Decimal("0.23"),
                revenue_target=Decimal("1400000"),
                revenue_potential=Decimal("4000000"),
            )
        )
    return rows


@pytest.fixture
def contract(account):
    today = timezone.localdate()
    return Contract.objects.create(
        account=account,
        number="RV-7",
        title="Rahmenvertrag Ersatzteile",
        start_on=date(THIS_YEAR - 2, 1, 1),
        end_on=today + timedelta(days=200),
        notice_period_months=3,
        annual_value=Decimal("500000"),
        status=Contract.Status.ACTIVE,
        owner=account.owner,
    )


@pytest.fixture
def contact(account):
    return make_contact(account=account, first_name="Petra", last_name="Schulz")


@pytest.fixture
def review(kam, account, figures, contract, contact):
    return services.review_create(
        actor=kam,
        account=account,
        year=THIS_YEAR,
        meeting_on=timezone.localdate() + timedelta(days=10)
        if (timezone.localdate() + timedelta(days=10)).year == THIS_YEAR
        else timezone.localdate(),
        place="Stuttgart",
        customer_participants=[contact],
    )
