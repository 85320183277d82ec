"""The header search's best few: on PostgreSQL read from the GiST trigram indexes in the
order of the word distance, stopping after them, with the same ranks as ranking every
match, and nothing outside the user's scope."""

import pytest
from django.conf import settings
from django.db import connection

from accounts import selectors
from accounts.access import visible_accounts, visible_contacts
from accounts.models import Contact
from accounts.search import (
    ACCOUNT_COLUMNS,
    CONTACT_COLUMNS,
    _best,
    best_contact_ids,
    search_contacts,
)
from tests.factories import make_account, make_contact

postgres_only = pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="trigram search needs PostgreSQL"
)


@pytest.fixture
def many_accounts(monkeypatch):
    """The header search as for a manager of many accounts: the whole-table path."""
    monkeypatch.setattr("accounts.selectors.FEW_ACCOUNTS", 0)


@pytest.fixture
def mine(kam):
    account = make_account(owner=kam, name="Müller GmbH", city="Ulm")
    make_contact(account=account, first_name="Hans", last_name="Müller")
    make_contact(account=account, first_name="Eva", last_name="Müllermeister")
    make_contact(account=account, first_name="Jo", last_name="Kunz", email="jo@mueller.example")
    return account


def test_other_managers_muellers_stay_out_however_many_match_better(
    kam, other_kam, mine, many_accounts
):
    theirs = make_account(owner=other_kam, name="Müller Fremd AG")
    for n in range(12):
        make_contact(account=theirs, first_name=f"Otto {n}", last_name="Müller")

    accounts, contacts = selectors.search(kam, "müller")

    assert [a.name for a in accounts] == ["Müller GmbH"]
    assert {c.account_id for c in contacts} == {mine.pk}
    assert [c.last_name for c in contacts][:2] == ["Müller", "Müllermeister"]


def test_the_header_search_shows_eight_of_many_matches(kam, mine, many_accounts):
    for n in range(12):
        make_contact(account=mine, first_name=f"Kind {n:02d}", last_name="Müller")

    _accounts, contacts = selectors.search(kam, "müller")

    assert len(contacts) == 8
    assert all(c.last_name == "Müller" for c in contacts)


@postgres_only
def test_the_best_have_the_ranks_of_ranking_every_match(kam, mine):
    for n, last_name in enumerate(
        ["Müller", "Mueller", "Müllner", "Möller", "Müll", "Schmüller", "Mülleri", "Müllers"] * 3
    ):
        make_contact(account=mine, first_name=f"Vorname {n}", last_name=last_name)
    make_contact(account=mine, first_name="Ina", last_name="Roth", email="ina@müller.example")
    contacts = visible_contacts(kam)
    everyone = list(search_contacts(contacts, "müller"))
    rank = {c.pk: c.search_rank for c in everyone}

    best = best_contact_ids(contacts, "müller", limit=8)

    assert [rank[pk] for pk in best] == [c.search_rank for c in everyone[:8]]


@pytest.fixture
def crowd(kam, mine):
    """3,000 Müllers among 6,000 contacts, analysed: ranking every match would compute
    and sort 3,000 similarities."""
    Contact.objects.bulk_create(
        Contact(account=mine, last_name=name, first_name=f"Kim {n}", email=f"{n}@x.example")
        for n in range(3000)
        for name in ("Müller", f"Name{n:04d}")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_contact")
        cursor.execute("ANALYZE accounts_account")


@postgres_only
def test_the_best_contacts_are_read_in_distance_order_and_the_scan_stops(head_of_sales, crowd):
    best = _best(
        visible_contacts(head_of_sales),
        "müller",
        CONTACT_COLUMNS,
        limit=8,
        tie_breakers=("last_name", "first_name"),
    )
    plan = best.explain(analyze=True)

    for column in CONTACT_COLUMNS:
        assert f"Index Scan using contact_{column}_trgm_gist" in plan
        assert f"Order By: (({column})::text <->> 'müller'::text)" in plan
    assert "Seq Scan on accounts_contact" not in plan and "Bitmap" not in plan
    # the last name's scans stop after eight rows each, not after 3,000 matches
    scans = [line for line in plan.splitlines() if "contact_last_name_trgm_gist" in line]
    assert scans and all("rows=8 loops=1" in line for line in scans)
    assert len(list(best)) == 8


@postgres_only
def test_the_best_accounts_are_read_in_distance_order(head_of_sales, crowd):
    with connection.cursor() as cursor:
        # 2 accounts: the planner would read the table; the question is the query's shape
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    best = _best(
        visible_accounts(head_of_sales), "müller", ACCOUNT_COLUMNS, limit=8, tie_breakers=("name",)
    )
    plan = best.explain()

    for column in ACCOUNT_COLUMNS:
        assert f"Order By: (({column})::text <->> 'müller'::text)" in plan
    assert "account_name_trgm_gist" in plan
