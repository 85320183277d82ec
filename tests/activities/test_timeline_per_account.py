"""A group's timeline reads each account's newest activities along its own index and merges
them: the same entries, in the same order, as one query over all the group's accounts."""

from activities import timeline
from activities.models import Activity
from kam.top_rows import first_rows_per_key
from tests.activities.conftest import log
from tests.factories import make_account


def test_the_newest_rows_of_several_accounts_merged_in_order(kam):
    accounts = [make_account(owner=kam, name=f"Werk {n}") for n in range(3)]
    for n in range(18):
        log(accounts[n % 3], days_ago=1 + (n * 7) % 18, subject=f"Eintrag {n}")
    stranger = make_account(owner=kam, name="Andere Firma")
    log(stranger, days_ago=0.5, subject="Nicht aus dem Konzern")
    ids = [account.pk for account in accounts]
    order = ("-occurred_at", "-pk")

    merged = first_rows_per_key(
        Activity.objects.all(), field="account_id", keys=ids, order=order, limit=7
    )
    plain = Activity.objects.filter(account_id__in=ids).order_by(*order)[:7]

    assert [a.subject for a in merged] == [a.subject for a in plain]
    assert len(merged) == 7 and "Nicht aus dem Konzern" not in {a.subject for a in merged}


def test_the_timeline_of_a_group_shows_its_newest_entries_first(kam):
    parent = make_account(owner=kam, name="Holding")
    child = make_account(owner=kam, name="Tochter", parent=parent)
    log(parent, days_ago=3, subject="Alt")
    log(child, days_ago=1, subject="Neu")
    log(parent, days_ago=2, subject="Mitte")

    events = timeline.events([parent.pk, child.pk], limit=2)

    assert [event.title for event in events] == ["Neu", "Mitte"]
