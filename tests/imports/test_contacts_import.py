"""Importing contacts: account and manager by external ID, within the importer's scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Contact
from tests.factories import make_account, make_contact
from tests.imports.conftest import by_row, csv_bytes, run

HEADER = "External ID;Account;First name;Last name;Reports to;Influence;Left the company on"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def own(kam):
    return make_account(owner=kam, external_id="K-1", name="Eigen AG")


@pytest.fixture
def foreign(other_kam):
    return make_account(owner=other_kam, external_id="K-2", name="Fremd AG")


def contacts_file() -> bytes:
    return csv_bytes(
        [
            HEADER,
            "P-2;K-1;Jörg;Schäfer;P-1;hoch;",
            "P-1;K-1;Anna;Öztürk;;high;",
            "P-3;K-1;Ute;Weiß;P-1;Gering;31.12.2025",
        ]
    )


def test_dry_run_writes_nothing(kam, own):
    report = run("contacts", contacts_file(), kam, dry_run=True)

    assert report.counts()["new"] == 3, report.outcomes
    assert not Contact.objects.exists()


def test_kam_imports_contacts_of_own_account_with_managers(kam, own):
    report = run("contacts", contacts_file(), kam)

    assert report.counts()["new"] == 3, report.outcomes
    boss = Contact.objects.get(external_id="P-1")
    joerg = Contact.objects.get(external_id="P-2")
    ute = Contact.objects.get(external_id="P-3")
    assert joerg.reports_to == boss and joerg.influence == "high" and joerg.account == own
    assert ute.left_on.isoformat() == "2025-12-31" and not ute.is_active
    assert boss.history.first().history_user == kam


def test_second_import_changes_nothing(kam, own):
    run("contacts", contacts_file(), kam)
    history = Contact.history.count()

    report = run("contacts", contacts_file(), kam)

    assert report.counts() == {"new": 0, "changed": 0, "unchanged": 3, "refused": 0}
    assert Contact.history.count() == history


def test_an_account_outside_the_scope_is_refused_like_one_that_does_not_exist(kam, own, foreign):
    data = csv_bytes(["External ID;Account;Last name", "P-1;K-2;Fremd", "P-2;K-99;Niemand"])

    report = by_row(run("contacts", data, kam))

    assert report[2].errors == [("Account", "No account has the external ID “K-2”.")]
    assert report[3].errors == [("Account", "No account has the external ID “K-99”.")]
    assert not Contact.objects.exists()


def test_a_contact_of_another_account_is_not_updated(kam, own, foreign, other_kam):
    make_contact(account=foreign, external_id="P-9", last_name="Fremd")
    data = csv_bytes(["External ID;Account;Last name", "P-9;K-1;Übernommen"])

    outcome = run("contacts", data, kam).outcomes[0]

    assert outcome.outcome == "refused"
    assert Contact.objects.get(external_id="P-9").last_name == "Fremd"


def test_a_reporting_loop_in_the_file_is_refused(kam, own):
    data = csv_bytes(
        ["External ID;Account;Last name;Reports to", "P-1;K-1;Eins;P-2", "P-2;K-1;Zwei;P-1"]
    )
    report = run("contacts", data, kam)

    assert report.counts()["refused"] == 2
    assert "cycle" in report.outcomes[0].errors[0][1]
    assert not Contact.objects.exists()


def test_sales_rep_may_not_import(sales_rep, own):
    with pytest.raises(PermissionDenied):
        run("contacts", contacts_file(), sales_rep)


def test_lookups_are_read_per_batch_not_per_row(kam, own):
    def file_of(count: int) -> bytes:
        lines = [f"P-{n};K-1;Vorname;Name {n};P-0" for n in range(1, count + 1)]
        return csv_bytes(["External ID;Account;First name;Last name;Reports to", *lines])

    run("contacts", csv_bytes(["External ID;Account;Last name", "P-0;K-1;Chefin"]), kam)
    run("contacts", file_of(6), kam)
    counts = []
    for count in (3, 6):
        with CaptureQueriesContext(connection) as queries:
            report = run("contacts", file_of(count), kam)
        assert report.counts()["unchanged"] == count
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_manager_outside_the_scope_is_neither_named_nor_changed(kam, other_kam):
    """The KAM of a subsidiary imports its contact, whose manager works at the group's
    parent, which the KAM cannot see: the row is unchanged and the report names nobody."""
    parent = make_account(owner=other_kam, external_id="K-P", name="Konzern AG")
    subsidiary = make_account(owner=kam, actor=other_kam, parent=parent, external_id="K-S")
    manager = make_contact(account=parent, first_name="Gerda", last_name="Geheimrat")
    make_contact(
        account=subsidiary,
        actor=other_kam,
        external_id="P-9",
        first_name="Erika",
        last_name="Sichtbar",
        reports_to=manager,
    )

    report = run("contacts", csv_bytes([HEADER, "P-9;K-S;Erika;Sichtbar;;;"]), kam, dry_run=True)

    assert report.counts() == {"new": 0, "changed": 0, "unchanged": 1, "refused": 0}
    assert "Geheimrat" not in repr(report.outcomes)
    assert Contact.objects.get(external_id="P-9").reports_to == manager
