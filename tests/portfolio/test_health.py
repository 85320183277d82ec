"""The health score: each part against hand-computed facts, the facts query, the weekly
snapshot and the drop flag."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from contracts.models import Contract
from contracts.terms import bring_up_to
from customer_care import services as care_services
from customer_care.models import Department
from planning.account_plan import services as plan_services
from portfolio import health, selectors, services
from portfolio.models import HealthSnapshot, HealthWeight
from tests.factories import make_contact
from tests.portfolio.conftest import put

TODAY = date(2026, 11, 27)
WEIGHTS = {"relationship": 30, "satisfaction": 20, "commercial": 25, "service": 15, "plan": 10}


def facts(**changes):
    base = {
        "f_decision_maker": True, "f_champion": False, "f_sponsor": True, "f_supporter": True,
        "f_strong": True,
        "last_contacted_at": datetime(2026, 11, 17, 10, tzinfo=UTC),
        # NPS of the last 12 months: (4 - 2) / 8 = 25; before: (0 - 3) / 6 = -50
        "f_answers": 8, "f_promoters": 4, "f_detractors": 2,
        "f_answers_before": 6, "f_promoters_before": 0, "f_detractors_before": 3,
        "f_revenue": Decimal(900_000), "f_target": Decimal(1_000_000),
        "f_potential": Decimal(3_000_000), "f_revenue_before": Decimal(800_000),
        "f_potential_before": Decimal(2_000_000),
        "f_notice_contracts": 1, "f_critical_issues": 1, "f_overdue_issues": 1,
        "f_fresh_plan": True, "f_overdue_actions": 2,
    }  # fmt: skip
    return SimpleNamespace(**{**base, **changes})


def points(result):
    return {part.part: part.points for part in result.parts}


def test_every_part_against_a_hand_computed_account():
    result = health.score(facts(), weights=WEIGHTS, today=TODAY)
    assert points(result) == {
        "relationship": 80,  # 20 + 0 + 20 + 15 + 10 + 15 (contacted 10 days ago)
        "satisfaction": 74,  # (25 + 100) × 70 / 200 = 43.75 -> 44, + 30 (up from -50)
        "commercial": 45,  # 90 % attainment -> 45, wallet 30 % < 40 % -> 0, notice -> 0
        "service": 40,  # 100 - 40 (critical) - 20 (overdue)
        "plan": 80,  # fresh plan 50 + (50 - 2 × 10)
    }
    # (80×30 + 74×20 + 45×25 + 40×15 + 80×10) / 100 = 64.05
    assert result.score == 64


def test_missing_data_gives_neutral_points_and_floors_stay_at_zero():
    result = health.score(
        facts(
            f_answers=0, f_target=None, f_potential_before=None, f_critical_issues=3,
            f_overdue_actions=9, last_contacted_at=None, f_fresh_plan=False,
        ),
        weights=WEIGHTS,
        today=TODAY,
    )  # fmt: skip
    got = points(result)
    assert got["satisfaction"] is None  # no answers: the part does not count
    assert got["commercial"] == 25 + 25 + 0
    assert got["service"] == 0
    assert got["plan"] == 0
    assert got["relationship"] == 65


def test_contact_older_than_the_window_scores_nothing(settings):
    settings.PORTFOLIO_HEALTH_CONTACT_DAYS = 9
    result = health.score(facts(), weights=WEIGHTS, today=TODAY)
    assert points(result)["relationship"] == 65


def test_weights_are_normalised():
    result = health.score(facts(), weights={"service": 1, "plan": 1}, today=TODAY)
    assert result.score == 60  # (40 + 80) / 2


@pytest.mark.django_db
def test_facts_come_from_the_records_in_one_query(
    portfolio, django_assert_num_queries, kam, head_of_sales
):
    bauer = portfolio["bauer"]
    today = timezone.localdate()
    make_contact(account=bauer, buying_role="decision_maker", attitude="supporter")
    make_contact(account=bauer, buying_role="champion", relationship_strength=2)
    make_contact(account=bauer, buying_role="executive_sponsor", is_active=False)
    for nps in (10, 9, 3):
        care_services.survey_record(
            actor=kam, account=bauer, nps=nps, surveyed_on=today - timedelta(days=30)
        )
    department = Department.objects.first()
    care_services.issue_create(
        actor=kam, account=bauer, title="Line down", department=department, severity="critical"
    )
    plan_services.plan_create(actor=kam, account=bauer, year=today.year, status="active")
    put(bauer, 250_000, 30_000, year=today.year, revenue_target=Decimal(500_000))
    # The contracts' stored dates hold on today (as after the nightly task).
    bring_up_to(Contract, today=today)
    with django_assert_num_queries(1):
        account = health.health_facts(health.Account.objects.filter(pk=bauer.pk)).get()
    assert (account.f_decision_maker, account.f_champion, account.f_sponsor) == (
        True, True, False,
    )  # fmt: skip
    assert (account.f_supporter, account.f_strong) == (True, True)
    assert (account.f_answers, account.f_promoters, account.f_detractors) == (3, 2, 1)
    assert account.f_critical_issues == 1 and account.f_fresh_plan
    result = health.score(account, weights=health.weights())
    assert points(result)["satisfaction"] is None  # 3 answers: fewer than NPS_MIN_ANSWERS
    assert points(result)["commercial"] == 25 + 25 + 25  # 50 % attainment, no wallet, no notice


@pytest.mark.django_db
def test_the_weekly_snapshot_is_stored_once_per_week_and_a_drop_is_flagged(portfolio):
    bauer = portfolio["bauer"]
    today = timezone.localdate()
    this_week = health.week_of(today)
    HealthSnapshot.objects.create(account=bauer, week=this_week - timedelta(days=14), score=90)
    HealthSnapshot.objects.create(account=bauer, week=this_week - timedelta(days=7), score=70)
    assert services.health_store_week() == 6
    assert services.health_store_week() == 6  # the same week again: replaced, not added
    stored = HealthSnapshot.objects.get(account=bauer, week=this_week)
    assert set(stored.parts) == set(WEIGHTS)
    result = selectors.account_health(bauer)
    assert [s.score for s in result.history] == [90, 70]
    assert result.current.score == stored.score
    assert result.drop == 90 - stored.score
    assert result.dropped == (90 - stored.score >= 15)


@pytest.mark.django_db
def test_weights_are_an_admin_table():
    assert health.weights() == WEIGHTS
    HealthWeight.objects.filter(part="plan").update(weight=0)
    assert health.weights()["plan"] == 0


@pytest.mark.django_db
def test_the_health_tab_shows_parts_facts_and_the_trend(portfolio, kam_client, outsider_client):
    from django.urls import reverse

    bauer = portfolio["bauer"]
    this_week = health.week_of(timezone.localdate())
    HealthSnapshot.objects.create(account=bauer, week=this_week - timedelta(days=7), score=99)
    url = reverse("portfolio:account_health", args=[bauer.pk])
    response = kam_client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="health-score"' in html
    assert "Beziehungsabdeckung" in html and "Kein Entscheider bekannt" in html
    assert 'data-testid="health-drop"' in html  # 99 -> far lower
    assert "<svg" in html
    assert outsider_client.get(url, HTTP_HX_REQUEST="true").status_code == 404
