"""Demo business cases for `manage.py seed_demo`: two cases on demo key accounts, each with
a few scenarios, written through planning.business_cases.services.

Idempotent: a case whose title the account already has is left alone.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal as D

from django.utils import timezone

from accounts.models import Account
from deals.models import Opportunity
from kam.history import authored_by
from planning.business_cases import services
from planning.models import BusinessCase


def _scenario(name: str, **fields) -> dict:
    return {"name": name, **fields}


# (account, title, horizon, days ago, opportunity title contains, scenarios)
CASES = [
    (
        "DEMO-002",
        "Umrüstung Linie 3 auf Servoantriebe",
        3,
        200,
        "Servo",
        [
            _scenario("Heute fortführen", yearly_volume=D("1200"), unit_price=D("850"),
                 process_cost=D("180000")),
            _scenario("Rahmenvertrag −4 %", yearly_volume=D("1200"), unit_price=D("850"),
                 process_cost=D("180000"), price_change_pct=D("-4"), volume_change_pct=D("15")),
            _scenario("Servo-Upgrade", yearly_volume=D("1200"), unit_price=D("850"),
                 process_cost=D("180000"), price_change_pct=D("6"), one_off_cost=D("95000"),
                 yearly_saving=D("72000"), margin_pct=D("32")),
        ],
    ),
    (
        "DEMO-011",
        "Vorausschauende Wartung Umschlaglager",
        5,
        610,
        "Wartung",
        [
            _scenario("Wartung nach Plan", yearly_volume=D("40"), unit_price=D("4200"),
                 process_cost=D("260000"), margin_pct=D("28")),
            _scenario("Zustandssensorik", yearly_volume=D("40"), unit_price=D("4200"),
                 process_cost=D("260000"), price_change_pct=D("12"), one_off_cost=D("68000"),
                 yearly_saving=D("54000"), margin_pct=D("28")),
        ],
    ),
]  # fmt: skip


def seed(users) -> int:
    """Demo records of this part of the planning app; returns how many were created."""
    created = 0
    accounts = {
        a.external_id: a
        for a in Account.objects.filter(external_id__in=[c[0] for c in CASES]).select_related(
            "owner"
        )
    }
    now = timezone.now()
    for external_id, title, horizon, days_ago, deal_hint, scenarios in CASES:
        account = accounts.get(external_id)
        if account is None or BusinessCase.objects.filter(account=account, title=title).exists():
            continue
        opportunity = (
            Opportunity.objects.filter(account=account, title__icontains=deal_hint)
            .order_by("-created_at")
            .first()
        )
        with authored_by(account.owner):
            case = services.business_case_create(
                actor=account.owner,
                account=account,
                title=title,
                horizon_years=horizon,
                opportunity=opportunity,
            )
            for fields in scenarios:
                services.scenario_create(actor=account.owner, case=case, **fields)
                created += 1
        when = datetime.combine(
            (now - timedelta(days=days_ago)).date(), time(10, 30), tzinfo=now.tzinfo
        )
        BusinessCase.objects.filter(pk=case.pk).update(created_at=when)
        created += 1
    return created
