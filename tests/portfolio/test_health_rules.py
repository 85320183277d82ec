"""Issue 27, health score: an NPS of fewer answers than NPS_MIN_ANSWERS does not count (the
satisfaction part says "not enough answers" and its weight goes to the other parts), and
points round half up like every other figure."""

from decimal import Decimal

from kam.numbers import round_half_up, round_points
from portfolio import health
from tests.portfolio.test_health import TODAY, WEIGHTS, facts


def by_part(result):
    return {part.part: part for part in result.parts}


def test_one_answer_gives_no_nps_and_its_weight_goes_to_the_others(settings):
    settings.NPS_MIN_ANSWERS = 5
    # One survey with NPS 0: a detractor alone would be NPS −100 -> 0 + 30 points.
    result = health.score(
        facts(f_answers=1, f_promoters=0, f_detractors=1), weights=WEIGHTS, today=TODAY
    )
    satisfaction = by_part(result)["satisfaction"]
    assert satisfaction.points is None
    assert not satisfaction.counted
    assert [f.key for f in satisfaction.facts] == ["too_few_answers"]
    assert satisfaction.facts[0].value == 1
    # The others weigh 30 + 25 + 15 + 10 = 80: (80×30 + 45×25 + 40×15 + 80×10) / 80 = 61.5
    assert result.score == 62
    assert result.as_json()["satisfaction"]["points"] is None
    assert result.as_json()["satisfaction"]["counted"] is False


def test_enough_answers_count(settings):
    settings.NPS_MIN_ANSWERS = 5
    result = health.score(
        facts(f_answers=8, f_promoters=4, f_detractors=2, f_answers_before=6,
              f_promoters_before=0, f_detractors_before=3),
        weights=WEIGHTS, today=TODAY,
    )  # fmt: skip
    assert by_part(result)["satisfaction"].points == 74  # NPS 25 -> 44, up from −50 -> 30


def test_points_round_half_up():
    # Revenue attainment 25 % gives 12.5 points: 13, as the business cases round.
    result = health.score(
        facts(f_revenue=Decimal(250_000), f_target=Decimal(1_000_000)),
        weights=WEIGHTS, today=TODAY,
    )  # fmt: skip
    attainment = next(f for f in by_part(result)["commercial"].facts if f.key == "attainment")
    assert attainment.points == 13
    assert round_points(Decimal("37.5")) == 38
    assert round_half_up(Decimal("0.25"), Decimal("0.1")) == Decimal("0.3")
