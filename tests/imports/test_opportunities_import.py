"""Importing opportunities: stage and competitors by name, through the deal services."""

from decimal import Decimal

import pytest
from django.utils import translation

from deals.models import Competitor, Opportunity
from tests.deals.conftest import ensure_default_stages
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def account(kam):
    ensure_default_stages()  # a transactional test before may have emptied the table
    return make_account(owner=kam, external_id="K-1", name="Eins AG")


def deals_file(kam) -> bytes:
    return csv_bytes(
        [
            "Externe ID;Kunde;Titel;Wert;Phase;Erwartetes Abschlussdatum;verantwortlich;"
            "Wettbewerber",
            f"O-1;K-1;Ersatzteile 2027;250.000,00;Qualifiziert;31.03.2027;{kam.username};"
            "Schmidt GmbH, Weber AG",
            f"O-2;K-1;Wartung;12.000;proposal;2027-06-30;{kam.username};",
        ],
    )


def test_dry_run_writes_nothing(head_of_sales, kam, account):
    with translation.override("de"):
        report = run("opportunities", deals_file(kam), head_of_sales, dry_run=True)

    assert report.counts()["new"] == 2, report.outcomes
    assert not Opportunity.objects.exists()
    assert not Competitor.objects.exists()


def test_import_sets_stage_owner_and_competitors(head_of_sales, kam, account):
    with translation.override("de"):
        report = run("opportunities", deals_file(kam), head_of_sales)

    assert report.counts()["new"] == 2, report.outcomes
    first = Opportunity.objects.get(external_id="O-1")
    assert first.stage.key == "qualified" and first.owner == kam
    assert first.value == Decimal("250000.00")
    assert first.probability == first.stage.default_probability
    assert sorted(c.name for c in first.competitors.all()) == ["Schmidt GmbH", "Weber AG"]
    assert Opportunity.objects.get(external_id="O-2").stage.key == "proposal"


def test_second_import_changes_nothing(head_of_sales, kam, account):
    with translation.override("de"):
        run("opportunities", deals_file(kam), head_of_sales)
        history = Opportunity.history.count()
        report = run("opportunities", deals_file(kam), head_of_sales)

    assert report.counts()["unchanged"] == 2, report.outcomes
    assert Opportunity.history.count() == history


def test_unknown_stage_and_a_won_deal_without_reason_are_refused(head_of_sales, account):
    data = csv_bytes(
        [
            "External ID;Account;Title;Stage;Reason won or lost",
            "O-1;K-1;Eins;Verhandlung läuft;",
            "O-2;K-1;Zwei;Won;",
            "O-3;K-1;Drei;Won;Bester Preis",
        ]
    )
    report = by_row(run("opportunities", data, head_of_sales))

    assert report[2].errors[0][0] == "Stage"
    assert "No pipeline stage is named “Verhandlung läuft”" in report[2].errors[0][1]
    assert report[3].errors == [("Reason won or lost", "Say why the deal was won.")]
    assert report[4].outcome == "new"
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["O-3"]
