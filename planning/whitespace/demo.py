"""Demo whitespace matrices for `manage.py seed_demo`: business units and sites of a few
demo key accounts, and cells across our product lines, written through the services.

Planned with a fixed random seed. Idempotent: an account that already has business units
is left alone.
"""

import random
from decimal import Decimal

from accounts.models import Account, ProductLine
from deals.models import Competitor, Opportunity
from kam.history import authored_by
from planning.models import WhitespaceCell
from planning.whitespace import services
from planning.whitespace.fields import CellFields

SEED = 2026
State = WhitespaceCell.State

UNITS = {
    "DEMO-001": ["Werk Stuttgart", "Werk Leipzig", "Brenner France"],
    "DEMO-011": ["Hub Hamburg", "Lager Bremen", "Lager Hannover", "Hub Rostock"],
    "DEMO-015": ["Werk Ludwigshafen", "Werk Basel"],
}


def seed(users) -> int:
    """Demo records of this part of the planning app; returns how many were created."""
    rng = random.Random(SEED)
    lines = list(ProductLine.objects.filter(active=True).order_by("name"))
    competitors = list(Competitor.objects.order_by("name"))
    created = 0
    accounts = (
        Account.objects.filter(external_id__in=list(UNITS))
        .select_related("owner")
        .prefetch_related("product_lines")
        .order_by("external_id")
    )
    for account in accounts:
        # Draw for every account, also those skipped, so the plan never shifts.
        plan = _plan(rng, account, lines, competitors)
        if account.business_units.exists():
            continue
        opportunities = list(
            Opportunity.objects.filter(
                account=account, stage__is_won=False, stage__is_lost=False
            ).order_by("pk")
        )
        with authored_by(account.owner):
            for name, cells in plan:
                unit = services.unit_create(actor=account.owner, account=account, name=name)
                created += 1
                for line, fields in cells:
                    if fields["state"] == State.OPEN and opportunities:
                        fields["opportunity"] = opportunities.pop(0)
                    services.cell_set(
                        actor=account.owner,
                        account=account,
                        business_unit=unit,
                        product_line=line,
                        **fields,
                    )
                    created += 1
    return created


def _plan(
    rng: random.Random, account: Account, lines, competitors
) -> list[tuple[str, list[tuple[ProductLine, CellFields]]]]:
    bought = {line.pk for line in account.product_lines.all()}
    plan = []
    for name in UNITS[account.external_id or ""]:
        cells = []
        for line in lines:
            roll = rng.random()
            fields: CellFields
            if line.pk in bought and roll < 0.6:
                fields = {"state": State.SOLD, "revenue": _amount(rng, 80, 900)}
            elif roll < 0.2:
                continue  # nobody has looked yet: the cell stays empty (unknown)
            elif roll < 0.45:
                fields = {"state": State.OPEN, "potential": _amount(rng, 40, 400)}
            elif roll < 0.65 and competitors:
                fields = {
                    "state": State.COMPETITOR,
                    "potential": _amount(rng, 60, 600),
                    "competitor": rng.choice(competitors),
                }
            elif roll < 0.8:
                fields = {"state": State.NOT_RELEVANT}
            else:
                fields = {"state": State.UNKNOWN, "potential": _amount(rng, 20, 250)}
            cells.append((line, fields))
        plan.append((name, cells))
    return plan


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    """A round amount in thousands."""
    return Decimal(rng.randint(low, high) * 1000)
