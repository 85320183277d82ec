"""Importing yearly figures: matched on account and year; German numbers and dates."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import YearlyFigures
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run, xlsx_bytes


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def accounts(kam):
    return [
        make_account(owner=kam, external_id="K-1", name="Eins AG"),
        make_account(owner=kam, external_id="K-2", name="Zwei AG"),
    ]


def german_file() -> bytes:
    return csv_bytes(
        [
            "Kunde;Jahr;Umsatz;Deckungsbeitrag;Umsatzziel;Umsatzpotenzial;Ist-Werte mit Stand",
            "K-1;2026;1.234.567,89;345.000,50;1.500.000;3.000.000;31.12.2026",
            "K-2;2026;1234,5;100;;;2026-06-30",
        ],
        encoding="cp1252",
    )


def test_dry_run_writes_nothing(head_of_sales, accounts):
    with translation.override("de"):
        report = run("figures", german_file(), head_of_sales, dry_run=True)

    assert report.counts()["new"] == 2, report.outcomes
    assert not YearlyFigures.objects.exists()


def test_german_csv_with_decimal_commas_and_both_date_forms(head_of_sales, accounts):
    with translation.override("de"):
        report = run("figures", german_file(), head_of_sales)

    assert report.counts()["new"] == 2, report.outcomes
    first = YearlyFigures.objects.get(account__external_id="K-1", year=2026)
    second = YearlyFigures.objects.get(account__external_id="K-2", year=2026)
    assert first.revenue == Decimal("1234567.89")
    assert first.contribution_margin == Decimal("345000.50")
    assert first.revenue_target == Decimal("1500000")
    assert first.actuals_as_of.isoformat() == "2026-12-31"
    assert second.revenue == Decimal("1234.5")
    assert second.actuals_as_of.isoformat() == "2026-06-30"


def test_second_import_changes_nothing(head_of_sales, accounts):
    with translation.override("de"):
        run("figures", german_file(), head_of_sales)
        history = YearlyFigures.history.count()
        report = run("figures", german_file(), head_of_sales)

    assert report.counts()["unchanged"] == 2
    assert YearlyFigures.history.count() == history


def test_a_changed_revenue_updates_the_year(head_of_sales, accounts):
    with translation.override("de"):
        run("figures", german_file(), head_of_sales)
    data = xlsx_bytes([["Account", "Year", "Revenue"], ["K-1", 2026, 2000000.5]])

    report = run("figures", data, head_of_sales)

    assert report.outcomes[0].outcome == "changed"
    assert report.outcomes[0].changes[0][0] == "Revenue"
    assert YearlyFigures.objects.get(account__external_id="K-1").revenue == Decimal("2000000.5")


def test_bad_numbers_dates_and_duplicates_are_refused(head_of_sales, accounts):
    data = csv_bytes(
        [
            "Account;Year;Revenue;Actuals as of",
            "K-1;2025;viel;",
            "K-1;2024;100;32.12.2024",
            "K-2;2026;1;",
            "K-2;2026;2;",
            "K-1;2023;-5;",
        ]
    )
    report = by_row(run("figures", data, head_of_sales))

    assert report[2].errors == [("Revenue", "“viel” is not a number.")]
    assert report[3].errors[0][0] == "Actuals as of"
    assert "31.12.2026 or 2026-12-31" in report[3].errors[0][1]
    assert report[4].outcome == report[5].outcome == "refused"
    assert "more than once" in report[4].errors[0][1]
    assert report[6].errors == [("Revenue", "Must not be negative.")]
    assert not YearlyFigures.objects.exists()


def test_a_key_account_manager_may_not_import_figures(kam, accounts):
    data = csv_bytes(["Account;Year;Revenue", "K-1;2026;1"])

    with pytest.raises(PermissionDenied):
        run("figures", data, kam)
    assert not YearlyFigures.objects.exists()
