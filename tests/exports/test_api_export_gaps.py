"""The API's exports that were missing or slow: the portfolio table as a file, the
activity export in a constant number of queries; and external IDs through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from activities import services as activity_services
from tests.conftest import client_for
from tests.deals.conftest import ensure_default_stages
from tests.exports import test_lists
from tests.exports.test_lists import column, read_csv, read_xlsx
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db

# The lists' fixtures: four accounts of the key account manager, one of another team.
accounts = test_lists.accounts
foreign = test_lists.foreign


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_portfolio_table_exports_through_the_api_as_on_the_page(kam, accounts, foreign, fmt):
    year = timezone.localdate().year
    for account, revenue in zip(accounts, (300, 100, 200, 50), strict=True):
        account_services.figures_put(
            actor=kam, account=account, year=year, revenue=Decimal(revenue)
        )
    account_services.figures_put(
        actor=foreign.owner, account=foreign, year=year, revenue=Decimal(999)
    )
    client = client_for(kam)
    query = {"metric": "revenue", "year": year}
    page = client.get(reverse("portfolio:dashboard_accounts"), query)
    shown = [a.name for a in page.context["page"].object_list]

    response = client.get(reverse("api-portfolio-accounts"), {**query, "format": fmt})

    assert response.status_code == 200
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    assert column(rows, "Name") == shown == ["Zeta Werke", "Mitte GmbH", "Alpha Bau", "Ohne Status"]
    expected = [300, 200, 100, 50] if fmt == "xlsx" else ["300,00", "200,00", "100,00", "50,00"]
    assert column(rows, "Umsatz") == expected


def test_the_portfolio_table_in_json_has_decimal_strings_and_the_scope(kam, accounts, foreign):
    year = timezone.localdate().year
    account_services.figures_put(actor=kam, account=accounts[0], year=year, revenue=Decimal("0.10"))
    account_services.figures_put(
        actor=foreign.owner, account=foreign, year=year, revenue=Decimal(999)
    )
    response = client_for(kam).get(reverse("api-portfolio-accounts"), {"metric": "revenue"})
    assert response.status_code == 200
    assert [(r["name"], r["year_revenue"]) for r in response.json()["results"]] == [
        ("Zeta Werke", "0.10")
    ]
    bad = client_for(kam).get(reverse("api-portfolio-accounts"), {"metric": "nonsense"})
    assert bad.status_code == 400


def test_the_api_activity_export_takes_the_same_queries_however_many_rows(
    kam, django_assert_max_num_queries
):
    def log(n):
        account = make_account(owner=kam)
        contact = make_contact(account=account)
        for day in range(n):
            activity_services.activity_log(
                actor=kam,
                account=account,
                occurred_at=timezone.now() - timedelta(days=day + 1),
                subject=f"Besuch {day}",
                contacts=[contact],
                users=[kam],
                next_step="Angebot",
                next_step_owner=kam,
                next_step_due_on=timezone.localdate() + timedelta(days=3),
            )

    client = client_for(kam)
    log(3)
    with django_assert_max_num_queries(12) as few:
        rows = read_csv(client.get(reverse("api-activity-list"), {"format": "csv"}))
    assert len(rows) == 4
    log(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = read_csv(client.get(reverse("api-activity-list"), {"format": "csv"}))
    assert len(rows) == 16
    assert set(column(rows, "Betreff")) >= {"Besuch 0", "Besuch 11"}


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("api-contact-list", lambda account: {"account": account.pk, "last_name": "Muster"}),
        ("api-opportunity-list", lambda account: {"account": account.pk, "title": "Anlage"}),
        (
            "api-contract-list",
            lambda account: {
                "account": account.pk, "number": f"V-{account.pk}", "title": "Rahmen",
                "start_on": "2026-01-01",
            },
        ),
    ],
)  # fmt: skip
def test_external_ids_are_written_and_read_through_the_api_and_unique(kam, url_name, body):
    ensure_default_stages()  # a transactional test before may have flushed them
    client = client_for(kam)
    account = make_account(owner=kam)
    created = client.post(
        reverse(url_name),
        {**body(account), "external_id": "ERP-1"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["external_id"] == "ERP-1"
    listed = client.get(reverse(url_name)).json()["results"]
    assert [row["external_id"] for row in listed] == ["ERP-1"]

    other = make_account(owner=kam)
    second = body(other)
    if "number" in second:
        second["number"] = "V-other"
    # Past the duplicate warning (a contact with that external ID answers 409 first), the
    # external ID itself is refused.
    twice = client.post(
        reverse(url_name) + "?allow_duplicate=true",
        {**second, "external_id": "ERP-1"},
        content_type="application/json",
    )
    assert twice.status_code == 400
    assert "external_id" in twice.json() or "external_id" in str(twice.json())
    assert len(client.get(reverse(url_name)).json()["results"]) == 1
