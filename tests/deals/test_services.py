"""Opportunity rules: stages and probabilities, won and lost, competitors, pipeline sums."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from accounts import services as account_services
from deals import selectors, services
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

P = OpportunityCompetitor.Position


def test_default_stages_are_created_with_their_probabilities(stages):
    assert [(s.key, s.default_probability) for s in Stage.objects.order_by("order")] == [
        ("identified", 10),
        ("qualified", 25),
        ("proposal", 50),
        ("negotiation", 75),
        ("won", 100),
        ("lost", 0),
    ]
    assert stages["won"].is_won and stages["lost"].is_lost


def test_default_stage_names_show_their_label_until_renamed(stages):
    with override("en"):
        assert stages["negotiation"].label == "Negotiation"
        renamed = stages["proposal"]
        renamed.name = "Angebot abgegeben"
        assert renamed.label == "Angebot abgegeben"


def test_a_new_opportunity_takes_the_probability_of_its_stage(account, stages):
    qualified = make_opportunity(account=account, stage="qualified")
    first = make_opportunity(account=account)

    assert qualified.probability == 25
    assert first.stage == stages["identified"] and first.probability == 10
    assert first.owner == account.owner and first.closed_on is None


def test_an_explicit_probability_overrides_the_stage_default(account):
    opportunity = make_opportunity(account=account, stage="proposal", probability=65)
    assert opportunity.probability == 65


@pytest.mark.parametrize("probability", [-1, 101, 250])
def test_probability_outside_0_to_100_is_refused_and_nothing_saved(account, probability):
    with pytest.raises(ValidationError) as error:
        make_opportunity(account=account, probability=probability)

    assert "probability" in error.value.message_dict
    assert not Opportunity.objects.exists()


def test_probability_outside_0_to_100_is_refused_on_update(account):
    opportunity = make_opportunity(account=account, stage="qualified")
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(actor=account.owner, opportunity=opportunity, probability=101)

    assert "probability" in error.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.probability == 25


def test_moving_sets_the_new_stage_default_unless_a_probability_is_given(account, stages):
    opportunity = make_opportunity(account=account, stage="qualified", probability=40)

    moved = services.opportunity_move(
        actor=account.owner, opportunity=opportunity, stage=stages["proposal"]
    )
    assert moved.probability == 50
    overridden = services.opportunity_move(
        actor=account.owner, opportunity=moved, stage=stages["negotiation"], probability=90
    )
    assert overridden.probability == 90


def test_moving_to_won_without_a_reason_is_refused(account, stages):
    opportunity = make_opportunity(account=account, stage="negotiation")

    with pytest.raises(ValidationError) as error:
        services.opportunity_move(
            actor=account.owner, opportunity=opportunity, stage=stages["won"], reason="  "
        )

    assert "close_reason" in error.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.stage == stages["negotiation"] and opportunity.closed_on is None


def test_winning_closes_the_deal_today_at_100_percent(account, stages):
    opportunity = make_opportunity(account=account, stage="negotiation", probability=60)

    won = services.opportunity_move(
        actor=account.owner,
        opportunity=opportunity,
        stage=stages["won"],
        reason="Bestes Gesamtpaket",
    )

    assert won.stage == stages["won"]
    assert won.probability == 100
    assert won.closed_on == timezone.localdate()
    assert won.close_reason == "Bestes Gesamtpaket"


def test_losing_needs_its_own_reason_and_sets_probability_0(account, stages):
    opportunity = make_opportunity(account=account, stage="won", close_reason="Preis")
    with pytest.raises(ValidationError):
        services.opportunity_move(
            actor=account.owner, opportunity=opportunity, stage=stages["lost"]
        )

    lost = services.opportunity_move(
        actor=account.owner, opportunity=opportunity, stage=stages["lost"], reason="Zu teuer"
    )
    assert lost.probability == 0 and lost.close_reason == "Zu teuer"


def test_reopening_a_deal_clears_the_closing_date(account, stages):
    opportunity = make_opportunity(account=account, stage="lost")
    assert opportunity.closed_on is not None

    reopened = services.opportunity_move(
        actor=account.owner, opportunity=opportunity, stage=stages["qualified"]
    )
    assert reopened.closed_on is None and reopened.probability == 25


def test_update_to_a_lost_stage_needs_a_reason(account, stages):
    opportunity = make_opportunity(account=account, stage="proposal")
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(
            actor=account.owner, opportunity=opportunity, stage=stages["lost"]
        )
    assert "close_reason" in error.value.message_dict


def test_follow_up_action_needs_a_date(account):
    with pytest.raises(ValidationError) as error:
        make_opportunity(account=account, next_follow_up_action="Angebot nachfassen")
    assert "next_follow_up_on" in error.value.message_dict


def test_negative_value_is_refused(account):
    with pytest.raises(ValidationError) as error:
        make_opportunity(account=account, value=Decimal("-5"))
    assert "value" in error.value.message_dict


def test_outsider_and_reader_may_not_change_deals(account, outsider, sales_rep, stages):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    opportunity = make_opportunity(account=account)
    for user in (outsider, sales_rep):
        with pytest.raises(PermissionDenied):
            make_opportunity(account=account, actor=user)
        with pytest.raises(PermissionDenied):
            services.opportunity_move(
                actor=user, opportunity=opportunity, stage=stages["qualified"]
            )
        with pytest.raises(PermissionDenied):
            services.opportunity_competitor_set(
                actor=user, opportunity=opportunity, competitor_name="Nordtec AG"
            )
    assert Opportunity.objects.count() == 1
    assert not Competitor.objects.exists()


def test_moving_a_deal_to_an_account_the_user_may_not_change_is_refused(account, other_kam):
    foreign = make_account(owner=other_kam)
    opportunity = make_opportunity(account=account)
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=account.owner, opportunity=opportunity, account=foreign)


def test_competitors_on_a_deal_one_row_each_and_new_names_registered(account):
    opportunity = make_opportunity(account=account)
    nordtec = services.competitor_create(actor=account.owner, name="Nordtec AG")

    link, created = services.opportunity_competitor_set(
        actor=account.owner, opportunity=opportunity, competitor=nordtec, position=P.INCUMBENT
    )
    assert created
    link, created = services.opportunity_competitor_set(
        actor=account.owner,
        opportunity=opportunity,
        competitor=nordtec,
        position=P.CHALLENGER,
        notes="Bietet 5 % Rabatt",
    )
    assert not created and link.position == P.CHALLENGER
    _vexa, created = services.opportunity_competitor_set(
        actor=account.owner, opportunity=opportunity, competitor_name="Vexa Industrial"
    )
    assert created
    # The same name in other case finds the registered competitor.
    again, created = services.opportunity_competitor_set(
        actor=account.owner, opportunity=opportunity, competitor_name="vexa industrial"
    )
    assert not created

    assert Competitor.objects.count() == 2
    assert [str(c) for c in opportunity.competitors.order_by("name")] == [
        "Nordtec AG",
        "Vexa Industrial",
    ]
    assert services.opportunity_competitor_remove(
        actor=account.owner, opportunity=opportunity, competitor=nordtec
    )
    assert list(opportunity.competitors.all()) == [again.competitor]


def test_a_competitor_without_id_or_name_is_refused(account):
    opportunity = make_opportunity(account=account)
    with pytest.raises(ValidationError) as error:
        services.opportunity_competitor_set(actor=account.owner, opportunity=opportunity)
    assert "competitor" in error.value.message_dict


def test_competitor_names_are_unique_whatever_the_case(kam):
    services.competitor_create(actor=kam, name="Kessler Antriebe GmbH")
    with pytest.raises(ValidationError):
        services.competitor_create(actor=kam, name="KESSLER antriebe gmbh")
    assert Competitor.objects.count() == 1


@pytest.fixture
def priced_deals(account, kam):
    """Hand-computed: open 1000×25 % + 999×33 % + 12345.67×75 % = 250 + 329.67 + 9259.2525."""
    other = make_account(owner=kam)
    make_opportunity(account=account, stage="qualified", value=Decimal("1000"))
    make_opportunity(account=account, stage="proposal", value=Decimal("999"), probability=33)
    make_opportunity(account=other, stage="negotiation", value=Decimal("12345.67"))
    make_opportunity(account=account, stage="won", value=Decimal("5000"))
    make_opportunity(account=other, stage="lost", value=Decimal("700"))
    return account, other


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def test_pipeline_sums_by_stage_in_sql_match_hand_computed_numbers(
    kam, priced_deals, django_assert_num_queries
):
    # scope, stages, totals, the card ids of every stage, cards, competitors (a card shows
    # no product lines)
    with django_assert_num_queries(6):
        columns = selectors.pipeline(selectors.opportunity_list(kam))
        by_key = {column.stage.key: column for column in columns}

    assert [c.stage.key for c in columns] == [
        "identified", "qualified", "proposal", "negotiation", "won", "lost",
    ]  # fmt: skip
    assert (by_key["qualified"].count, cents(by_key["qualified"].weighted)) == (1, Decimal("250"))
    assert cents(by_key["proposal"].weighted) == Decimal("329.67")
    assert cents(by_key["negotiation"].total) == Decimal("12345.67")
    assert cents(by_key["negotiation"].weighted) == Decimal("9259.25")
    assert (cents(by_key["won"].total), cents(by_key["won"].weighted)) == (
        Decimal("5000"),
        Decimal("5000"),
    )
    assert cents(by_key["lost"].weighted) == 0 and by_key["identified"].count == 0
    summary = selectors.pipeline_summary(columns)
    assert summary["open_count"] == 3
    assert cents(summary["open_value"]) == Decimal("14344.67")
    assert cents(summary["weighted_value"]) == Decimal("9838.92")


def test_account_pipeline_totals_is_one_aggregate_query(priced_deals, django_assert_num_queries):
    account, other = priced_deals
    with django_assert_num_queries(1):
        totals = selectors.account_pipeline_totals([account.pk])
    assert totals["open_count"] == 2
    assert cents(totals["open_value"]) == Decimal("1999")
    assert cents(totals["weighted_value"]) == Decimal("579.67")

    both = selectors.account_pipeline_totals([account.pk, other.pk])
    assert cents(both["weighted_value"]) == Decimal("9838.92")
    assert selectors.account_pipeline_totals([])["open_value"] == 0

    with django_assert_num_queries(1):
        per_account = selectors.pipeline_by_account([account.pk, other.pk])
    assert cents(per_account[other.pk]["weighted_value"]) == Decimal("9259.25")
    assert per_account[account.pk]["open_count"] == 2


def test_history_records_stage_moves(account, stages):
    opportunity = make_opportunity(account=account, stage="qualified")
    services.opportunity_move(
        actor=account.owner, opportunity=opportunity, stage=stages["proposal"]
    )

    rows = list(opportunity.history.order_by("history_date"))
    assert [row.stage_id for row in rows] == [stages["qualified"].pk, stages["proposal"].pk]


def test_timeline_lists_created_won_and_lost_newest_first(
    account, stages, django_assert_num_queries
):
    won = make_opportunity(account=account, stage="negotiation", title="Rahmenvertrag")
    services.opportunity_move(
        actor=account.owner,
        opportunity=won,
        stage=stages["won"],
        reason="Preis",
        closed_on=timezone.localdate() - timedelta(days=3),
    )
    Opportunity.objects.filter(pk=won.pk).update(created_at=timezone.now() - timedelta(days=30))
    fresh = make_opportunity(account=account, title="Sensorpaket")
    from deals.timeline import events

    with django_assert_num_queries(1):  # deals read once, by their latest event
        result = events([account.pk], before=None, limit=10)

    assert [(e.kind, e.title) for e in result] == [
        ("deal.created", "Sensorpaket"),
        ("deal.won", "Rahmenvertrag"),
        ("deal.created", "Rahmenvertrag"),
    ]
    assert result[0].url == f"/deals/{fresh.pk}/"
    older = events([account.pk], before=result[0].when, limit=1)
    assert [(e.kind, e.title) for e in older] == [("deal.won", "Rahmenvertrag")]
    assert events([account.pk + 999], before=None, limit=10) == []
