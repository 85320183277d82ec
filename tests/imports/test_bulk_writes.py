"""Accounts and contacts are checked row by row and written per batch: the number of
queries does not grow with the rows, and what is written is what the services write
(paths, placements, history, events)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Account, AccountPlacement, Contact
from kam import events
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run

HEADER = "External ID;Name;Parent account;Status;Key account manager"
CONTACTS = "External ID;Account;First name;Last name;Reports to"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def accounts_file(kam, groups: int, per_group: int, prefix: str = "G") -> bytes:
    lines = [HEADER]
    for g in range(groups):
        lines.append(f"{prefix}-{g};Gruppe {prefix}{g} AG;;Key account;{kam.username}")
        for s in range(per_group):
            name = f"Tochter {prefix}{g}-{s} GmbH"
            lines.append(f"{prefix}-{g}-{s};{name};{prefix}-{g};prospect;{kam.username}")
    return csv_bytes(lines)


def queries_of(kam, head_of_sales, groups, per_group, prefix) -> int:
    data = accounts_file(kam, groups, per_group, prefix)
    with CaptureQueriesContext(connection) as captured:
        report = run("accounts", data, head_of_sales)
    assert report.counts()["new"] == groups * (1 + per_group), report.outcomes
    return len(captured.captured_queries)


def test_importing_more_accounts_takes_no_more_queries(head_of_sales, kam):
    few = queries_of(kam, head_of_sales, groups=2, per_group=2, prefix="F")
    many = queries_of(kam, head_of_sales, groups=2, per_group=20, prefix="M")
    assert many <= few


def test_accounts_written_together_have_paths_placements_and_history(head_of_sales, kam):
    heard = []
    events.subscribe(events.AccountCreated, heard.append)
    try:
        run("accounts", accounts_file(kam, groups=2, per_group=3), head_of_sales)
    finally:
        events.unsubscribe(events.AccountCreated, heard.append)

    group = Account.objects.get(external_id="G-1")
    daughter = Account.objects.get(external_id="G-1-2")
    assert group.path == f"/{group.pk}/"
    assert daughter.parent == group and daughter.path == f"/{group.pk}/{daughter.pk}/"
    placement = AccountPlacement.objects.get(account=daughter)
    assert (placement.parent_id, placement.path, placement.valid_to) == (
        group.pk,
        daughter.path,
        None,
    )
    assert daughter.history.get().history_user == head_of_sales
    assert len(heard) == 8


def test_a_bad_row_is_refused_and_the_rest_of_its_batch_is_written(head_of_sales, kam):
    lines = [
        HEADER,
        f"B-1;Gut AG;;prospect;{kam.username}",
        "B-2;Schlecht AG;;prospect;nobody-here",
        f"B-3;Auch gut GmbH;B-1;prospect;{kam.username}",
    ]
    report = run("accounts", csv_bytes(lines), head_of_sales)

    outcomes = by_row(report)
    assert [outcomes[n].outcome for n in (2, 3, 4)] == ["new", "refused", "new"]
    assert set(Account.objects.values_list("external_id", flat=True)) == {"B-1", "B-3"}


def test_changed_accounts_are_written_together_and_a_move_through_the_service(head_of_sales, kam):
    old_group = make_account(owner=kam, name="Alt AG", external_id="A-1")
    new_group = make_account(owner=kam, name="Neu AG", external_id="A-2")
    moved = make_account(owner=kam, name="Wandel GmbH", external_id="A-3", parent=old_group)
    lines = [
        HEADER,
        f"A-1;Alt AG (umbenannt);;prospect;{kam.username}",
        f"A-3;Wandel GmbH;A-2;prospect;{kam.username}",
    ]
    report = run("accounts", csv_bytes(lines), head_of_sales)

    assert report.counts()["changed"] == 2, report.outcomes
    old_group.refresh_from_db()
    moved.refresh_from_db()
    assert old_group.name == "Alt AG (umbenannt)"
    assert moved.path == f"/{new_group.pk}/{moved.pk}/"
    assert AccountPlacement.objects.filter(account=moved).count() == 2


def test_contacts_reporting_to_a_new_contact_of_the_same_file(head_of_sales, kam):
    make_account(owner=kam, name="Firma AG", external_id="F-1")
    lines = [
        CONTACTS,
        "P-1;F-1;Anna;Chefin;",
        "P-2;F-1;Bert;Mitarbeiter;P-1",
        "P-3;F-1;Cleo;Mitarbeiterin;P-2",
    ]
    report = run("contacts", csv_bytes(lines), head_of_sales)

    assert report.counts()["new"] == 3, report.outcomes
    cleo = Contact.objects.get(external_id="P-3")
    assert cleo.reports_to.external_id == "P-2"
    assert cleo.reports_to.reports_to.external_id == "P-1"
    assert cleo.history.get().history_user == head_of_sales
