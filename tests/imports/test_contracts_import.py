"""Importing contracts: notice period and renewal, through the contract services."""

import pytest
from django.utils import translation

from contracts.models import Contract
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def account(kam):
    return make_account(owner=kam, external_id="K-1", name="Eins AG")


def contracts_file() -> bytes:
    return csv_bytes(
        [
            "External ID;Account;Contract number;Title;Kind;Start;End;Notice period (months);"
            "Renews automatically;Renewal term (months);Annual value;Status",
            "V-1;K-1;RV-1;Rahmenvertrag;Framework agreement;01.01.2026;31.12.2027;6;yes;12;"
            "480000;Active",
            "V-2;K-1;SV-2;Service;service;2026-01-01;;3;no;12;1200.50;draft",
        ]
    )


def test_dry_run_writes_nothing(head_of_sales, account):
    report = run("contracts", contracts_file(), head_of_sales, dry_run=True)

    assert report.counts()["new"] == 2, report.outcomes
    assert not Contract.objects.exists()


def test_import_writes_notice_period_and_renewal(head_of_sales, account):
    report = run("contracts", contracts_file(), head_of_sales)

    assert report.counts()["new"] == 2, report.outcomes
    contract = Contract.objects.get(external_id="V-1")
    assert (contract.notice_period_months, contract.auto_renewal) == (6, True)
    assert contract.kind == "framework" and contract.status == "active"
    assert contract.next_notice_on is not None
    assert Contract.objects.get(external_id="V-2").end_on is None


def test_second_import_changes_nothing(head_of_sales, account):
    run("contracts", contracts_file(), head_of_sales)
    history = Contract.history.count()

    report = run("contracts", contracts_file(), head_of_sales)

    assert report.counts()["unchanged"] == 2, report.outcomes
    assert Contract.history.count() == history


def test_renewal_without_end_and_a_bad_notice_period_are_refused(head_of_sales, account):
    data = csv_bytes(
        [
            "External ID;Account;Contract number;Title;Start;End;Notice period (months);"
            "Renews automatically",
            "V-1;K-1;A;Eins;01.01.2026;;3;ja",
            "V-2;K-1;B;Zwei;01.01.2026;31.12.2026;99;nein",
            "V-3;K-1;C;Drei;01.01.2026;31.12.2026;2,5;nein",
        ]
    )
    report = by_row(run("contracts", data, head_of_sales))

    assert report[2].errors == [("End", "A contract that renews automatically needs an end date.")]
    assert report[3].errors == [
        ("Notice period (months)", "Use a notice period from 0 to 60 months.")
    ]
    assert report[4].errors == [("Notice period (months)", "Enter a whole number.")]
    assert not Contract.objects.exists()
