"""One search for the header, the list filters and the API: what it finds, in which order,
and on PostgreSQL that the trigram indexes serve it."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts import selectors
from accounts.access import visible_account_ids, visible_accounts, visible_contacts
from accounts.models import Account, Contact
from accounts.search import FEW_ACCOUNTS, search_accounts, search_contacts
from tests.accounts.test_api import api_as
from tests.factories import make_account, make_contact

postgres_only = pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="trigram search needs PostgreSQL"
)


@pytest.fixture
def muellers(kam):
    plain = make_account(owner=kam, name="Müller GmbH", city="Ulm")
    longer = make_account(owner=kam, name="Großhandel Müllermeister KG", city="Bonn")
    make_account(owner=kam, name="Schmidt AG", city="Berlin", external_id="K-4711")
    make_contact(account=plain, first_name="Hans", last_name="Müller", email="h@mueller.example")
    make_contact(account=longer, first_name="Eva", last_name="Müllermeister")
    return plain, longer


def test_external_id_is_found_as_typed_or_in_lower_case(kam, muellers):
    assert [a.name for a in search_accounts(visible_accounts(kam), "k-4711")] == ["Schmidt AG"]


def test_header_search_and_list_filter_find_the_same_accounts(kam, kam_client, muellers):
    found, _contacts = selectors.search(kam, "müller")
    html = kam_client.get(reverse("accounts:list"), {"q": "müller"}).text
    assert {a.name for a in found} == {"Müller GmbH", "Großhandel Müllermeister KG"}
    assert all(a.name in html for a in found) and "Schmidt AG" not in html


def test_api_filter_uses_the_same_search(kam, muellers):
    rows = api_as(kam).get("/api/v1/contacts/", {"q": "müller"}).json()["results"]
    assert {row["last_name"] for row in rows} == {"Müller", "Müllermeister"}


@postgres_only
def test_best_match_first_and_near_misses_found(kam, muellers):
    names = [a.name for a in search_accounts(visible_accounts(kam), "Müller")]
    assert names == ["Müller GmbH", "Großhandel Müllermeister KG"]
    near = search_contacts(visible_contacts(kam), "Mülller")
    assert [c.last_name for c in near][0] == "Müller"


@pytest.fixture
def crowd(kam, muellers):
    """Enough rows (4,000 contacts of 40 accounts, analysed) for the planner to prefer an
    index to reading the whole table, as it does on real data."""
    accounts = Account.objects.bulk_create(
        Account(name=f"Firma {n:03d}", city="Kassel", owner=kam, path="") for n in range(40)
    )
    Contact.objects.bulk_create(
        Contact(account=account, last_name=f"Name{n:04d}", first_name="Kim", email=f"{n}@x.example")
        for account in accounts
        for n in range(100)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_account")
        cursor.execute("ANALYZE accounts_contact")


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # Even 4,000 rows are read faster whole (by a sequential scan, or along another
        # index) than through six GIN indexes; the question here is whether the query shape
        # can use them at all. On the benchmark data the planner picks them by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
    return queryset.explain()


@postgres_only
def test_account_search_plan_uses_the_trigram_indexes(head_of_sales, crowd):
    plan = _plan(search_accounts(visible_accounts(head_of_sales), "müller"))
    # One index scan per searched column (on 43 rows a full pass over the name's b-tree is
    # as cheap as its trigram index, so that one is not named). Its GIN or GiST index: both
    # serve ILIKE and `%>`.
    assert "account_legal_name_trgm_" in plan and "account_city_trgm_" in plan
    assert "Seq Scan on accounts_account" not in plan


@postgres_only
def test_contact_search_plan_uses_the_trigram_indexes(head_of_sales, crowd):
    plan = _plan(search_contacts(visible_contacts(head_of_sales), "müller"))
    # One index scan per searched column (the made-up last names of this data make the
    # name b-tree about as cheap as the last name's trigram index, so it is not named).
    assert "contact_first_name_trgm_" in plan and "contact_email_trgm_" in plan
    assert "Seq Scan on accounts_contact" not in plan


@pytest.mark.parametrize("extra", [0, 12])
def test_header_search_takes_the_same_queries_however_many_match(
    kam, kam_client, muellers, extra, django_assert_num_queries
):
    plain, _longer = muellers
    for n in range(extra):
        make_contact(account=plain, first_name=f"Kind {n}", last_name="Müller")
    # the page and the manager's scope, then accounts, the ids of the manager's accounts
    # (their scope and the ids), the best contacts' ids, their rows
    with django_assert_num_queries(11):
        html = kam_client.get(reverse("accounts:search"), {"q": "Müller"}).text
    assert "Müller GmbH" in html and "Hans" in html
    assert ("Kind 0" in html) == bool(extra)


@postgres_only
def test_a_managers_few_accounts_are_searched_contact_by_contact(kam, other_kam, muellers):
    """A key account manager's contacts are read by the account index and matched one by
    one, not looked up among every match of the whole table; near misses are found the
    same way and other managers' contacts stay out."""
    theirs = make_account(owner=other_kam, name="Fremd GmbH")
    make_contact(account=theirs, first_name="Otto", last_name="Müller")
    Contact.objects.bulk_create(
        Contact(account=theirs, last_name=f"Müller{n:04d}", first_name="Kim") for n in range(4000)
    )
    ids = visible_account_ids(kam)
    assert ids is not None and len(ids) <= FEW_ACCOUNTS

    found = search_contacts(visible_contacts(kam), "Mülller", within_accounts=ids)

    assert [(c.first_name, c.last_name) for c in found][:2] == [
        ("Hans", "Müller"),
        ("Eva", "Müllermeister"),
    ]
    assert "Otto" not in {c.first_name for c in found}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_contact")
    plan = found.explain()
    assert "trgm_" not in plan
    assert "accounts_contact_account_id" in plan


def test_the_header_search_finds_the_same_contacts_for_few_or_many_accounts(
    kam, muellers, settings, monkeypatch
):
    few = [c.pk for c in selectors.search(kam, "müller")[1]]
    monkeypatch.setattr("accounts.selectors.FEW_ACCOUNTS", 1)  # as if the manager had many
    assert visible_account_ids(kam, at_most=1) is None  # three accounts: the whole-table path

    many = [c.pk for c in selectors.search(kam, "müller")[1]]

    assert few == many and len(few) == 2
