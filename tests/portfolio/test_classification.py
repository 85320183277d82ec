"""Suggested status from the rule table, as sentences; accept and reject."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import Account
from portfolio import classification, services
from portfolio.models import ClassificationRule, SuggestionDecision
from portfolio.sentences import suggestion_sentence
from tests.portfolio.conftest import YEAR, put

pytestmark = pytest.mark.django_db
KEY, POTENTIAL, STANDARD = "key_account", "potential", "standard"


def pending():
    found, total = classification.suggestions(year=YEAR)
    assert total == len(found)
    return {s.name: s for s in found}


def test_pending_suggestions_follow_the_default_rules(portfolio):
    found = pending()
    # The Weber group (60 %, its subsidiaries measured with it) is a key account already,
    # Claus (10 %) and Dorn (5 %) standard customers: no change.
    assert set(found) == {"Bauer GmbH"}
    bauer = found["Bauer GmbH"]
    assert (bauer.revenue_share, bauer.suggested_status) == (Decimal("25.0"), KEY)
    assert bauer.rule.warning == "amber"  # 25 % is inside the band (bounds inclusive)


def test_the_group_root_counts_with_its_subsidiaries(portfolio):
    weber = classification.suggestion_for(portfolio["weber"], year=YEAR)
    assert weber.is_group
    assert weber.revenue == Decimal(600_000)
    assert weber.rule.warning == "red"  # more than 50 %: the dependency rule
    assert not weber.differs


def test_potential_strategic_fit_and_need_for_advice_suggest_a_potential_key_account(portfolio):
    put(portfolio["claus"], 100_000, 5_000, revenue_potential=Decimal(3_000_000))
    services.portfolio_facts_update(
        actor=portfolio["dorn"].owner, account=portfolio["dorn"], supplier_rank=2, strategic_fit=5
    )
    found = pending()
    claus = found["Claus KG"]
    assert (claus.share_of_wallet, claus.open_wallet) == (Decimal("3.3"), Decimal(2_900_000))
    assert claus.suggested_status == POTENTIAL
    assert found["Dorn AG"].suggested_status == POTENTIAL
    assert found["Dorn AG"].rule.metric == "strategic_fit"


def test_the_suggestion_reads_as_a_sentence(portfolio):
    put(portfolio["bauer"], 250_000, 30_000, revenue_potential=Decimal(8_450_000))
    bauer = pending()["Bauer GmbH"]
    with translation.override("en"):
        assert suggestion_sentence(bauer) == (
            f"25.0 % of revenue in {YEAR}, share of wallet 3.0 %, open potential 8.2 M €: "
            "Key account (rule “Key-account band: 25 to 50 percent of revenue”)"
        )
    with translation.override("de"):
        assert suggestion_sentence(bauer).startswith(
            f"25,0 % des Umsatzes in {YEAR}, Share of Wallet 3,0 %, offenes Potenzial 8,2 Mio. €: "
            "Key Account"
        )


def test_rules_and_thresholds_live_in_the_table(portfolio):
    ClassificationRule.objects.filter(metric="revenue_share", warning="amber").update(minimum=30)
    # Bauer's margin share (30 %) still falls into the margin band.
    assert pending()["Bauer GmbH"].rule.metric == "margin_share"
    ClassificationRule.objects.filter(metric="margin_share", warning="amber").update(minimum=35)
    assert "Bauer GmbH" not in pending()  # standard, as it is
    ClassificationRule.objects.filter(metric="revenue").update(active=False)
    assert classification.suggestion_for(portfolio["bauer"], year=YEAR) is None


def test_accepting_changes_the_status_through_the_account_service(portfolio, head_of_sales):
    bauer = portfolio["bauer"]
    decision = services.suggestion_accept(actor=head_of_sales, account=bauer, year=YEAR)
    bauer.refresh_from_db()
    assert bauer.status == KEY
    assert decision.previous_status == STANDARD and decision.decision == "accepted"
    assert [h.status for h in bauer.history.all()[:2]] == [KEY, STANDARD]
    assert "Bauer GmbH" not in pending()


def test_rejecting_needs_a_reason_and_keeps_it(portfolio, kam):
    bauer = portfolio["bauer"]
    with pytest.raises(ValidationError) as error:
        services.suggestion_reject(actor=kam, account=bauer, year=YEAR, reason="  ")
    assert "reason" in error.value.message_dict
    assert not SuggestionDecision.objects.exists()
    services.suggestion_reject(
        actor=kam, account=bauer, year=YEAR, reason="One-off project, will not repeat."
    )
    bauer.refresh_from_db()
    assert bauer.status == STANDARD
    assert "Bauer GmbH" not in pending()
    decision = SuggestionDecision.objects.get()
    assert decision.reason == "One-off project, will not repeat."
    assert "25,0 %" in decision.sentence or "25.0 %" in decision.sentence


def test_nobody_outside_the_account_decides(portfolio, outsider):
    bauer = portfolio["bauer"]
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=outsider, account=bauer, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.suggestion_reject(actor=outsider, account=bauer, year=YEAR, reason="no")
    assert Account.objects.get(pk=bauer.pk).status == STANDARD
    assert not SuggestionDecision.objects.exists()


def test_accepting_a_suggestion_that_no_longer_applies_is_refused(portfolio, head_of_sales):
    with pytest.raises(ValidationError):
        services.suggestion_accept(actor=head_of_sales, account=portfolio["dorn"], year=YEAR)
