"""Importing accounts: insert or update on the external ID, through the account services."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import Account
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run, xlsx_bytes

HEADER = "External ID;Name;Parent account;Industry;Status;Tier;Key account manager;Country"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def accounts_file(kam) -> bytes:
    return csv_bytes(
        [
            HEADER,
            f"K-1;Müller Holding;;Maschinenbau;Key account;A;{kam.username};Deutschland",
            f"K-2;Müller Süd GmbH;K-1;Maschinenbau;Potenzieller Key Account;B;"
            f"{kam.username};Österreich",
            f"K-3;Müller Nord GmbH;Müller Holding;Handel;prospect;C;{kam.username};Deutschland",
        ]
    )


def test_dry_run_reports_new_rows_and_writes_nothing(head_of_sales, kam):
    report = run("accounts", accounts_file(kam), head_of_sales, dry_run=True)

    assert [o.outcome for o in report.outcomes] == ["new", "new", "new"], report.outcomes
    assert not Account.objects.exists()


def test_import_writes_accounts_with_group_owner_and_choices(head_of_sales, kam):
    report = run("accounts", accounts_file(kam), head_of_sales)

    assert report.counts() == {"new": 3, "changed": 0, "unchanged": 0, "refused": 0}, (
        report.outcomes
    )
    holding = Account.objects.get(external_id="K-1")
    south = Account.objects.get(external_id="K-2")
    north = Account.objects.get(external_id="K-3")
    assert (holding.status, holding.tier, holding.owner) == ("key_account", "A", kam)
    assert south.parent == holding and south.country == "Österreich"
    assert south.status == "potential"
    assert north.parent == holding  # named by name
    assert north.path == f"{holding.path}{north.pk}/"
    assert holding.history.first().history_user == head_of_sales


def test_second_import_of_the_same_file_changes_nothing(head_of_sales, kam):
    run("accounts", accounts_file(kam), head_of_sales)
    history = Account.history.count()

    report = run("accounts", accounts_file(kam), head_of_sales)

    assert report.counts() == {"new": 0, "changed": 0, "unchanged": 3, "refused": 0}
    assert Account.history.count() == history


def test_changed_row_says_what_changes(head_of_sales, kam):
    make_account(owner=kam, external_id="K-1", name="Müller Holding", tier="B")

    report = run(
        "accounts",
        csv_bytes(["External ID;Name;Tier", "K-1;Müller Holding;A"]),
        head_of_sales,
        dry_run=True,
    )

    assert report.outcomes[0].outcome == "changed"
    assert report.outcomes[0].changes == [("Tier", "B", "A")]
    assert Account.objects.get(external_id="K-1").tier == "B"


def test_parent_cycle_in_the_file_is_refused(head_of_sales, kam):
    data = csv_bytes(
        [
            "External ID;Name;Parent account;Key account manager",
            f"K-1;Eins;K-2;{kam.username}",
            f"K-2;Zwei;K-1;{kam.username}",
            f"K-3;Drei;;{kam.username}",
        ]
    )
    report = by_row(run("accounts", data, head_of_sales))

    assert report[2].outcome == report[3].outcome == "refused"
    assert "cycle" in report[2].errors[0][1]
    assert report[2].errors[0][0] == "Parent account"
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-3"]


def test_parent_cycle_with_stored_accounts_is_refused(head_of_sales, kam):
    top = make_account(owner=kam, external_id="K-1", name="Top")
    make_account(owner=kam, external_id="K-2", name="Sub", parent=top)
    data = csv_bytes(["External ID;Name;Parent account", "K-1;Top;K-2"])

    outcome = run("accounts", data, head_of_sales).outcomes[0]

    assert outcome.outcome == "refused"
    assert outcome.errors[0][0] == "Parent account"
    assert Account.objects.get(external_id="K-1").parent is None


def test_unknown_user_and_empty_required_cell_are_refused_by_row(head_of_sales, kam):
    data = csv_bytes(
        [
            "External ID;Name;Key account manager",
            "K-1;Gut;",
            "K-2;Schlecht;niemand",
            "K-3;;",
        ]
    )
    report = by_row(run("accounts", data, head_of_sales))

    assert report[2].outcome == "new"
    assert report[3].errors == [
        ("Key account manager", "No active user has the user name “niemand”.")
    ]
    assert report[4].errors == [("Name", "This cell must not be empty.")]
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-1"]


def test_duplicate_external_ids_in_one_file_are_refused(head_of_sales):
    data = csv_bytes(["External ID;Name", "K-1;Eins", "K-2;Zwei", "K-1;Noch eins"])
    report = by_row(run("accounts", data, head_of_sales))

    assert report[2].outcome == report[4].outcome == "refused"
    assert "rows 2, 4" in report[2].errors[0][1]
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-2"]


def test_a_batch_with_one_bad_row_writes_only_the_good_rows(head_of_sales, settings):
    settings.IMPORT_BATCH_ROWS = 10
    data = csv_bytes(["External ID;Name;Tier", "K-1;Eins;A", "K-2;Zwei;Z", "K-3;Drei;B"])

    report = by_row(run("accounts", data, head_of_sales))

    assert report[3].outcome == "refused"
    assert report[3].errors[0][0] == "Tier"
    assert sorted(Account.objects.values_list("external_id", flat=True)) == ["K-1", "K-3"]


def test_german_headings_and_xlsx(head_of_sales, kam):
    data = xlsx_bytes(
        [
            ["Externe ID", "Name", "Status", "Stufe", "Key Account Manager"],
            ["K-9", "Bäcker AG", "Key Account", "A", kam.username],
        ]
    )
    with translation.override("de"):
        report = run("accounts", data, head_of_sales)

    assert report.counts()["new"] == 1, report.outcomes
    assert Account.objects.get(external_id="K-9").status == "key_account"


def test_kam_may_not_import_accounts(kam):
    with pytest.raises(PermissionDenied):
        run("accounts", csv_bytes(["External ID;Name", "K-1;Eins"]), kam)
    assert not Account.objects.exists()
