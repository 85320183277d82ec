"""Contract events on the account timeline: started, ending, terminated; newest first."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from contracts import services
from contracts.timeline import events
from tests.contracts.conftest import make_contract
from tests.factories import make_account


def midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def test_events_newest_first_with_labels_and_links(account, kam):
    today = timezone.localdate()
    started = today - timedelta(days=400)
    contract = make_contract(
        account=account, number="T-1", start_on=started, end_on=today + timedelta(days=30)
    )
    old = make_contract(
        account=account,
        number="T-0",
        start_on=today - timedelta(days=900),
        end_on=today - timedelta(days=100),
        status="expired",
    )
    far = make_contract(
        account=account, number="T-2", start_on=today - timedelta(days=10), end_on=None
    )
    services.contract_update(actor=kam, contract=far, status="terminated")
    make_contract(account=account, number="DRAFT", start_on=today, status="draft")
    # Ends in 200 days: beyond the window, so only its start is an event.
    make_contract(
        account=account,
        number="T-9",
        start_on=today - timedelta(days=2000),
        end_on=today + timedelta(days=200),
    )

    result = events([account.pk], before=None, limit=20)
    assert [(e.kind, e.title.split()[0]) for e in result] == [
        ("contract.ending", "T-1"),  # within the next 90 days: shown on top
        ("contract.terminated", "T-2"),
        ("contract.started", "T-2"),
        ("contract.ending", "T-0"),
        ("contract.started", "T-1"),
        ("contract.started", "T-0"),
        ("contract.started", "T-9"),
    ]
    assert result[0].url == f"/contracts/{contract.pk}/"
    assert result[-2].url == f"/contracts/{old.pk}/"
    assert all(e.label and e.account_id == account.pk for e in result)
    assert [e.when for e in result] == sorted((e.when for e in result), reverse=True)


def test_before_and_limit_page_through_strictly_older_events(account):
    today = timezone.localdate()
    for index in range(5):
        make_contract(
            account=account,
            number=f"P-{index}",
            start_on=today - timedelta(days=100 * (index + 1)),
            end_on=None,
        )
    first = events([account.pk], before=None, limit=2)
    assert [e.title.split()[0] for e in first] == ["P-0", "P-1"]
    second = events([account.pk], before=first[-1].when, limit=2)
    assert [e.title.split()[0] for e in second] == ["P-2", "P-3"]
    later = events([account.pk], before=first[-1].when + timedelta(hours=1), limit=1)
    assert [e.title.split()[0] for e in later] == ["P-1"]


def test_only_the_given_accounts(account, other_kam):
    other = make_account(owner=other_kam)
    make_contract(account=other, number="O-1")
    assert events([account.pk], before=None, limit=10) == []


def test_constant_number_of_queries(account, django_assert_num_queries):
    for index in range(6):
        make_contract(account=account, number=f"Q-{index}")
    with django_assert_num_queries(1):
        assert len(events([account.pk], before=None, limit=5)) == 5
