from decimal import Decimal

from deals import services
from deals.models import Opportunity, Stage


def make_opportunity(*, account, actor=None, stage: str | None = None, **fields) -> Opportunity:
    make_opportunity.counter += 1
    fields.setdefault("title", f"Projekt {make_opportunity.counter}")
    fields.setdefault("value", Decimal("10000"))
    if stage is not None:
        fields["stage"] = Stage.objects.get(key=stage)
        if fields["stage"].is_closed:
            fields.setdefault("close_reason", "Preis und Lieferzeit")
    return services.opportunity_create(actor=actor or account.owner, account=account, **fields)


make_opportunity.counter = 0
