"""Deal events of one day are ordered as they happened."""

from datetime import timedelta

from django.utils import timezone

from deals import services
from deals.models import Stage
from deals.timeline import events
from tests.deals.helpers import make_opportunity


def test_won_sorts_above_created_on_the_same_day(account, kam, stages):
    deal = make_opportunity(account=account, title="Rahmenvertrag")
    services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis"
    )
    kinds = [e.kind for e in events([account.pk], before=timezone.now() + timedelta(seconds=5))]
    assert kinds == ["deal.won", "deal.created"]


def test_closing_time_is_kept(account, kam, stages):
    deal = make_opportunity(account=account)
    before = timezone.now()
    deal = services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="lost"), reason="Preis"
    )
    assert deal.closed_at >= before
    assert deal.closed_on == timezone.localdate()
    reopened = services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="proposal")
    )
    assert reopened.closed_at is None
