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


def test_a_page_holds_the_newest_events_of_old_and_new_deals(account, kam, stages):
    """Deals created long ago and closed lately, and deals created lately: each page of
    the timeline has the newest events older than its start, whichever deal they are of."""
    now = timezone.now()
    won = Stage.objects.get(key="won")
    # (created days ago, closed days ago or None)
    for n, (created, closed) in enumerate([(300, 1), (200, None), (5, 4), (250, 2), (3, None)]):
        deal = make_opportunity(account=account, title=f"Deal {n}")
        closed_at = now - timedelta(days=closed) if closed is not None else None
        type(deal).objects.filter(pk=deal.pk).update(
            created_at=now - timedelta(days=created),
            closed_at=closed_at,
            stage=won if closed is not None else deal.stage,
        )
    every = [(e.when, e.kind, e.title) for e in events([account.pk], before=now, limit=100)]
    assert len(every) == 8

    for before in (now, now - timedelta(days=3, hours=12), now - timedelta(days=100)):
        expected = [event for event in every if event[0] < before][:3]
        page = [(e.when, e.kind, e.title) for e in events([account.pk], before=before, limit=3)]
        assert page == expected
    assert [kind for _when, kind, _title in every[:3]] == ["deal.won", "deal.won", "deal.created"]
