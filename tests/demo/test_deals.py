"""The demo deals: over three years, in every stage, against named competitors, repeatable."""

from deals import demo
from deals.models import Competitor, Opportunity, Stage


def test_demo_deals_cover_every_stage_and_running_again_creates_nothing(demo_users):
    users = demo_users

    created = Opportunity.objects.count()

    assert created > 60
    assert Competitor.objects.count() == len(demo.COMPETITORS)
    assert set(Opportunity.objects.values_list("stage__key", flat=True)) == set(
        Stage.objects.values_list("key", flat=True)
    )
    for opportunity in Opportunity.objects.prefetch_related("competitor_links"):
        assert 1 <= len(opportunity.competitor_links.all()) <= 3
        assert (opportunity.closed_on is not None) == opportunity.stage.is_closed
        if opportunity.stage.is_closed:
            assert opportunity.close_reason
    years = {d.year for d in Opportunity.objects.values_list("created_at", flat=True)}
    assert len(years) >= 3
    assert Opportunity.objects.exclude(account__external_id__startswith="DEMO-").count() == 0

    assert demo.seed(users) == 0
    assert Opportunity.objects.count() == created


def test_demo_has_weekly_snapshots_so_pipeline_changes_show_movement(demo_users):
    from deals import changes
    from deals.models import OpportunitySnapshot
    from users.models import User

    weeks = set(OpportunitySnapshot.objects.values_list("week", flat=True))
    head = User.objects.filter(role="head_of_sales", is_active=True).first()

    week = changes.pipeline_changes(head, period="week")
    quarter = changes.pipeline_changes(head, period="quarter")

    assert len(weeks) == demo.SNAPSHOT_WEEKS + 1
    assert week.base == "snapshot"
    assert sum(bar.count for bar in week.bars) > 0
    assert sum(bar.count for bar in quarter.bars) > 5
    assert quarter.opening + sum(b.amount for b in quarter.flows) == quarter.closing
