"""Relationship map checks: each account on its own, and contradictions in the buying
center."""

from datetime import timedelta

from django.utils import timezone

from accounts.relationship_map import relationship_map
from activities import services as activity_services
from tests.factories import make_account, make_contact


def codes(result) -> list[str]:
    return [code for code, _message in result.gaps]


def messages(result) -> str:
    return " | ".join(message for _code, message in result.gaps)


def test_a_decision_maker_abroad_does_not_cover_the_holding(kam, account):
    spain = make_account(owner=kam, parent=account, name="Müller España S.L.")
    make_contact(account=spain, buying_role="decision_maker", relationship_owner=kam)
    result = relationship_map(account)
    text = messages(result)
    assert "no_decision_maker" in codes(result)
    # Missing at the holding (named), not at the Spanish subsidiary.
    assert f"Kein Entscheider bekannt bei {account.name}." in text
    assert "Kein Entscheider bekannt bei Müller España S.L." not in text


def test_contradictions_are_flagged(kam, account):
    make_contact(
        account=account, last_name="Kritisch", buying_role="champion", attitude="critic",
        relationship_owner=kam,
    )  # fmt: skip
    make_contact(
        account=account, last_name="Fern", buying_role="decision_maker", influence="high",
        relationship_strength=2, relationship_owner=kam,
    )  # fmt: skip
    make_contact(account=account, last_name="Niemand", influence="high")
    result = relationship_map(account)
    found = codes(result)
    assert "critical_champion" in found
    assert "weak_decision_maker" in found
    assert "unowned_key_player" in found
    assert "decision_maker_not_contacted" in found  # Fern: never contacted
    text = messages(result)
    assert "Kritisch" in text and "Fern" in text and "Niemand" in text


def test_a_recent_contact_with_the_decision_maker_clears_the_contact_check(kam, account):
    boss = make_contact(
        account=account, last_name="Chefin", buying_role="decision_maker", relationship_owner=kam
    )
    activity_services.activity_log(
        actor=kam,
        account=account,
        kind="meeting",
        occurred_at=timezone.now() - timedelta(days=10),
        subject="Jahresgespräch",
        contacts=[boss],
    )
    assert "decision_maker_not_contacted" not in codes(relationship_map(account))
