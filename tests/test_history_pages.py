"""Every per-object history comes from one reader (accounts.history.object_history) with
one page size and an "older entries" link; it names no record outside the reader's
scope, and its number of queries does not grow with the number of entries."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from accounts import services as account_services
from accounts.history import object_history
from accounts.models import Account
from contracts import services as contract_services
from contracts.models import Contract
from customer_care import services as care_services
from customer_care.models import Department, ensure_default_departments
from deals import services as deal_services
from kam import registry
from kam.history import Cursor, label
from tests.deals.conftest import ensure_default_stages
from tests.factories import make_account, make_contact


def _contract(kam, account, *, changes: int) -> Contract:
    contract = contract_services.contract_create(
        actor=kam,
        account=account,
        number="RV-1",
        title="Rahmenvertrag 0",
        start_on=date(2025, 1, 1),
        end_on=date(2026, 12, 31),
        status=Contract.Status.ACTIVE,
    )
    for number in range(1, changes + 1):
        contract_services.contract_update(
            actor=kam, contract=contract, title=f"Rahmenvertrag {number}"
        )
    return contract


def test_every_history_page_reads_a_registered_kind():
    assert {kind.key for kind in registry.history_kinds} == {
        "account",
        "activity",
        "opportunity",
        "contract",
        "issue",
        "account_plan",
        "coaching_plan",
    }


def test_older_entries_are_a_link_away_and_each_is_shown_in_full(
    kam, kam_client, account, settings
):
    settings.HISTORY_PAGE_SIZE = 5
    contract = _contract(kam, account, changes=7)  # 8 entries: created and 7 changes
    url = reverse("contracts:detail", args=[contract.pk])
    first = kam_client.get(url)
    newest = first.context["history"]
    assert len(newest) == 5
    assert newest[0].changes[0][1:] == ("Rahmenvertrag 6", "Rahmenvertrag 7")
    older_url = first.context["history_older"]
    assert older_url.startswith(f"{url}?before=")
    assert 'data-testid="history-older"' in first.text

    second = kam_client.get(older_url)
    older = second.context["history"]
    assert [change.kind for change in older] == ["~", "~", "+"]
    # The first entry of the page is compared with its predecessor on the page before.
    assert older[0].changes[0][1:] == ("Rahmenvertrag 1", "Rahmenvertrag 2")
    assert second.context["history_older"] == ""
    assert 'data-testid="history-older"' not in second.text


def test_a_broken_cursor_shows_the_newest_page(kam, kam_client, account):
    contract = _contract(kam, account, changes=1)
    url = reverse("contracts:detail", args=[contract.pk])
    response = kam_client.get(url, {"before": "gestern~x~1"})
    assert response.status_code == 200
    assert len(response.context["history"]) == 2
    assert Cursor.parse("2026-01-01T00:00:00~contract~1") is None  # no time zone


def test_the_account_tab_pages_through_all_its_records(kam, kam_client, account, settings):
    settings.HISTORY_PAGE_SIZE = 5
    for number in range(6):
        account_services.account_update(actor=kam, account=account, city=f"Ort {number}")
    for _ in range(3):
        make_contact(account=account)
    url = reverse("accounts:detail", args=[account.pk])
    seen = []
    response = kam_client.get(url, {"tab": "history"})
    while True:
        seen += response.context["history"]
        older = response.context["history_older"]
        if not older:
            break
        response = kam_client.get(older)
    # 7 rows of the account, 3 of its contacts: every entry once, newest first.
    assert len(seen) == 10
    assert [c.when for c in seen] == sorted((c.when for c in seen), reverse=True)


def test_the_account_tab_loads_older_entries_into_the_tab(kam, kam_client, account, settings):
    settings.HISTORY_PAGE_SIZE = 5
    for number in range(6):
        account_services.account_update(actor=kam, account=account, city=f"Ort {number}")
    tab = reverse("accounts:tab", args=[account.pk, "history"])
    response = kam_client.get(tab, headers={"HX-Request": "true"})
    older = response.context["history_older"]
    assert older.startswith(f"{tab}?before=")
    assert f'hx-get="{older}" hx-target="#tab-panel"' in response.text.replace("&amp;", "&")


def test_a_record_outside_the_scope_is_not_named(kam, other_kam, admin_user, account):
    ensure_default_stages()
    hidden = make_account(owner=other_kam, name="Geheim GmbH")
    deal = deal_services.opportunity_create(
        actor=admin_user, account=hidden, title="Antriebe", value=Decimal("1000")
    )
    deal_services.opportunity_update(actor=admin_user, opportunity=deal, account=account)
    lines = {line for c in object_history(kam, "opportunity", deal).changes for line in c.changes}
    assert (label(type(deal), "account"), gettext("a record you cannot see"), account.name) in lines
    assert not any("Geheim" in text for line in lines for text in line)
    # Who sees both accounts reads both names.
    lines = {
        line for c in object_history(admin_user, "opportunity", deal).changes for line in c.changes
    }
    assert (label(type(deal), "account"), "Geheim GmbH", account.name) in lines


def test_an_outsider_gets_404_also_for_older_entries(kam, outsider_client, account, settings):
    settings.HISTORY_PAGE_SIZE = 5
    contract = _contract(kam, account, changes=6)
    url = reverse("contracts:detail", args=[contract.pk])
    assert (
        outsider_client.get(url, {"before": "2099-01-01T00:00:00+00:00~contract~1"}).status_code
        == 404
    )


def test_the_number_of_queries_does_not_grow_with_the_entries(kam, account, settings):
    settings.HISTORY_PAGE_SIZE = 5
    short = _contract(kam, account, changes=1)
    other = make_account(owner=kam)
    long = _contract(kam, other, changes=12)
    counts = []
    for contract in (short, long):
        with CaptureQueriesContext(connection) as queries:
            object_history(kam, "contract", contract)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    account_counts = []
    for shown in (account, other):
        with CaptureQueriesContext(connection) as queries:
            object_history(kam, "account", Account.objects.get(pk=shown.pk))
        account_counts.append(len(queries))
    assert account_counts[0] == account_counts[1]


def test_after_a_change_older_entries_lead_to_the_records_page(kam, kam_client, account, settings):
    settings.HISTORY_PAGE_SIZE = 5
    ensure_default_departments()
    department = Department.objects.order_by("pk").first()
    issue = care_services.issue_create(
        actor=kam, account=account, title="Lieferverzug", department=department
    )
    for number in range(5):
        care_services.issue_update(actor=kam, issue=issue, title=f"Lieferverzug {number}")
    url = reverse("customer_care:issue_status", args=[issue.pk])
    response = kam_client.post(url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    detail = reverse("customer_care:issue_detail", args=[issue.pk])
    assert response.context["history_older"].startswith(f"{detail}?before=")
    assert kam_client.get(response.context["history_older"]).status_code == 200
