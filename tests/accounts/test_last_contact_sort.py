"""Sorted by "Last contact", the account and contact lists count never contacted as the
oldest contact (first ascending, last descending) on PostgreSQL as on SQLite, as the home
blocks of silent accounts do; on PostgreSQL along an index in either direction."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.filters import AccountFilter, ContactFilter
from accounts.models import Account, Contact
from accounts.selectors import account_list, contact_list
from tests.conftest import client_for
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def contacted(record, days_ago: int | None) -> None:
    when = None if days_ago is None else timezone.now() - timedelta(days=days_ago)
    type(record).objects.filter(pk=record.pk).update(last_contacted_at=when)


def api_ids(user, url: str, ordering: str) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    return [row["id"] for row in client.get(url, {"ordering": ordering}).json()["results"]]


def in_page_order(html: str, *names: str) -> list[str]:
    return sorted(names, key=html.index)


@pytest.fixture
def three_accounts(kam):
    accounts = {
        "never": make_account(owner=kam, name="Nie GmbH"),
        "long_ago": make_account(owner=kam, name="Lange AG"),
        "lately": make_account(owner=kam, name="Neulich KG"),
    }
    contacted(accounts["long_ago"], 200)
    contacted(accounts["lately"], 3)
    return accounts


def test_account_list_puts_never_contacted_first_ascending_and_last_descending(kam, three_accounts):
    never, long_ago, lately = (three_accounts[key] for key in ("never", "long_ago", "lately"))
    url = reverse("api-account-list")

    assert api_ids(kam, url, "last_contact") == [never.pk, long_ago.pk, lately.pk]
    assert api_ids(kam, url, "-last_contact") == [lately.pk, long_ago.pk, never.pk]
    page = client_for(kam).get(reverse("accounts:list"), {"ordering": "last_contact"}).text
    assert in_page_order(page, "Neulich KG", "Lange AG", "Nie GmbH") == [
        "Nie GmbH", "Lange AG", "Neulich KG",
    ]  # fmt: skip


def test_contact_list_puts_never_contacted_first_ascending_and_last_descending(kam, account):
    never = make_contact(account=account, last_name="Niemand")
    long_ago = make_contact(account=account, last_name="Langher")
    lately = make_contact(account=account, last_name="Neulich")
    contacted(long_ago, 200)
    contacted(lately, 3)
    url = reverse("api-contact-list")

    assert api_ids(kam, url, "last_contact") == [never.pk, long_ago.pk, lately.pk]
    assert api_ids(kam, url, "-last_contact") == [lately.pk, long_ago.pk, never.pk]
    page = client_for(kam).get(reverse("accounts:contacts"), {"ordering": "-last_contact"}).text
    assert in_page_order(page, "Niemand", "Langher", "Neulich") == [
        "Neulich", "Langher", "Niemand",
    ]  # fmt: skip


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "ordering", "index"),
    [
        (Account, "last_contact", "account_last_contact_asc_idx"),
        (Account, "-last_contact", "account_last_contact_desc_idx"),
        (Contact, "last_contact", "contact_last_contact_asc_idx"),
        (Contact, "-last_contact", "contact_last_contact_desc_idx"),
    ],
)
def test_a_head_of_sales_sorted_page_walks_an_index(kam, head_of_sales, model, ordering, index):
    now = timezone.now()
    accounts = Account.objects.bulk_create(
        Account(
            name=f"Kunde {n:04d}",
            owner=kam,
            path="",
            last_contacted_at=None if n % 7 == 0 else now - timedelta(hours=n),
        )  # fmt: skip
        for n in range(3000)
    )
    Contact.objects.bulk_create(
        Contact(
            account=account,
            last_name=f"Person {n:04d}",
            last_contacted_at=None if n % 5 == 0 else now - timedelta(hours=n),
        )  # fmt: skip
        for n, account in enumerate(accounts)
    )
    if model is Account:
        listed = AccountFilter({"ordering": ordering}, queryset=account_list(head_of_sales))
    else:
        listed = ContactFilter({"ordering": ordering}, queryset=contact_list(head_of_sales))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_account")
        cursor.execute("ANALYZE accounts_contact")
        plan = listed.qs[:25].explain()
    outer = plan.split("SubPlan")[0]  # the page itself; the subplans are per row
    assert f"Index Scan using {index}" in outer
    assert "Sort" not in outer
