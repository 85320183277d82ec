"""Every kind is checked row by row and written per batch: the number of queries does
not grow with the rows, and what is written is what the services write (paths,
placements, stored dates, competitors, history, events)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Account, AccountPlacement, Contact, YearlyFigures
from contracts.models import Contract
from deals.models import Competitor, Opportunity
from kam import events
from portfolio import dependency
from tests.deals.conftest import ensure_default_stages
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


# Yearly figures, opportunities and contracts: the same batch writes.


def figures_file(count: int, year: int, revenue: str) -> bytes:
    lines = ["Account;Year;Revenue;Revenue target"]
    lines += [f"K-{n};{year};{revenue};{n}000" for n in range(count)]
    return csv_bytes(lines)


def deals_file(kam, count: int, prefix: str, stage: str = "qualified") -> bytes:
    lines = ["External ID;Account;Title;Value;Stage;Owner;Competitors"]
    lines += [
        f"{prefix}-{n};K-0;Deal {n};{n}000;{stage};{kam.username};Schmidt GmbH, Neu {prefix}{n}"
        for n in range(count)
    ]
    return csv_bytes(lines)


def contracts_file(count: int, prefix: str, notice: int = 3) -> bytes:
    lines = ["External ID;Account;Contract number;Title;Start;End;Notice period (months)"]
    lines += [
        f"{prefix}-{n};K-0;{prefix}-{n};Vertrag {n};01.01.2026;31.12.2027;{notice}"
        for n in range(count)
    ]
    return csv_bytes(lines)


@pytest.fixture
def counted(settings, django_capture_on_commit_callbacks):
    """The queries of an import, with its events' subscribers run as after a commit
    (once per transaction, not at each publish as in other tests)."""
    settings.EVENTS_RUN_AT_PUBLISH = False

    def count(kind: str, data: bytes, actor, expected: str, rows: int) -> int:
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            report = run(kind, data, actor)
        assert report.counts()[expected] == rows, report.outcomes
        return len(captured.captured_queries)

    return count


@pytest.fixture
def twenty_accounts(kam):
    return [make_account(owner=kam, name=f"Firma {n} AG", external_id=f"K-{n}") for n in range(20)]


def test_figures_take_as_many_queries_for_twenty_rows_as_for_two(
    head_of_sales, kam, twenty_accounts, counted
):
    # A customer far bigger than the imported ones, its dependency level already seen:
    # the imports raise no dependency warning, whose announcement would cost queries of
    # its own (once per unit crossing a level, not per row).
    big = make_account(owner=kam, name="Großkunde AG", external_id="BIG")
    for year in (2024, 2025):
        YearlyFigures.objects.create(account=big, year=year, revenue=Decimal("100000000"))
        dependency.levels_update(year=year)
    few = counted("figures", figures_file(2, 2024, "100"), head_of_sales, "new", 2)
    many = counted("figures", figures_file(20, 2025, "100"), head_of_sales, "new", 20)
    assert many == few
    few = counted("figures", figures_file(2, 2024, "200"), head_of_sales, "changed", 2)
    many = counted("figures", figures_file(20, 2025, "200"), head_of_sales, "changed", 20)
    assert many == few


def test_figures_written_together_keep_the_services_rules(head_of_sales, twenty_accounts):
    heard = []
    events.subscribe(events.FiguresChanged, heard.append)
    try:
        run("figures", figures_file(3, 2025, "100"), head_of_sales)
    finally:
        events.unsubscribe(events.FiguresChanged, heard.append)

    figures = YearlyFigures.objects.get(account__external_id="K-1", year=2025)
    assert figures.revenue == Decimal("100") and figures.revenue_target == Decimal("1000")
    assert figures.actuals_as_of == timezone.localdate() and figures.actuals_at is not None
    assert figures.history.get().history_user == head_of_sales
    assert sorted((e.account_id, e.year) for e in heard) == sorted(
        (a.pk, 2025) for a in twenty_accounts[:3]
    )


def test_opportunities_take_as_many_queries_for_twenty_rows_as_for_two(
    head_of_sales, kam, twenty_accounts, counted
):
    ensure_default_stages()
    few = counted("opportunities", deals_file(kam, 2, "F"), head_of_sales, "new", 2)
    many = counted("opportunities", deals_file(kam, 20, "M"), head_of_sales, "new", 20)
    assert many == few
    few = counted("opportunities", deals_file(kam, 2, "F", "proposal"), head_of_sales, "changed", 2)
    many = counted(
        "opportunities", deals_file(kam, 20, "M", "proposal"), head_of_sales, "changed", 20
    )
    assert many == few


def test_opportunities_written_together_have_competitors_history_and_events(
    head_of_sales, kam, twenty_accounts
):
    ensure_default_stages()
    heard = []
    events.subscribe(events.OpportunityCreated, heard.append)
    try:
        run("opportunities", deals_file(kam, 3, "O"), head_of_sales)
    finally:
        events.unsubscribe(events.OpportunityCreated, heard.append)

    deal = Opportunity.objects.get(external_id="O-2")
    assert deal.stage.key == "qualified" and deal.probability == deal.stage.default_probability
    assert sorted(c.name for c in deal.competitors.all()) == ["Neu O2", "Schmidt GmbH"]
    assert Competitor.objects.filter(name="Schmidt GmbH").count() == 1
    assert deal.history.get().history_user == head_of_sales
    assert sorted(e.opportunity_id for e in heard) == sorted(
        Opportunity.objects.values_list("pk", flat=True)
    )


def test_a_refused_opportunity_registers_none_of_its_competitors(
    head_of_sales, kam, twenty_accounts
):
    ensure_default_stages()
    data = csv_bytes(
        [
            "External ID;Account;Title;Stage;Competitors",
            "O-1;K-0;Eins;qualified;Schmidt GmbH",
            "O-2;K-0;Zwei;Won;Weber AG",
        ]
    )
    report = by_row(run("opportunities", data, head_of_sales))

    assert [report[2].outcome, report[3].outcome] == ["new", "refused"]
    assert list(Competitor.objects.values_list("name", flat=True)) == ["Schmidt GmbH"]


def test_contracts_take_as_many_queries_for_twenty_rows_as_for_two(
    head_of_sales, twenty_accounts, counted
):
    few = counted("contracts", contracts_file(2, "F"), head_of_sales, "new", 2)
    many = counted("contracts", contracts_file(20, "M"), head_of_sales, "new", 20)
    assert many == few
    few = counted("contracts", contracts_file(2, "F", notice=6), head_of_sales, "changed", 2)
    many = counted("contracts", contracts_file(20, "M", notice=6), head_of_sales, "changed", 20)
    assert many == few


def test_contracts_written_together_store_their_dates_and_publish(head_of_sales, twenty_accounts):
    heard = []
    events.subscribe(events.ContractChanged, heard.append)
    try:
        run("contracts", contracts_file(2, "V"), head_of_sales)
        run("contracts", contracts_file(2, "V", notice=6), head_of_sales)
    finally:
        events.unsubscribe(events.ContractChanged, heard.append)

    contract = Contract.objects.get(external_id="V-1")
    assert contract.notice_period_months == 6
    assert contract.next_notice_on == contract.computed_next_notice_deadline
    assert contract.dates_as_of == timezone.localdate()
    assert contract.history.count() == 2
    assert len(heard) == 2


def test_a_batch_of_figures_with_one_bad_row_writes_the_good_rows(head_of_sales, twenty_accounts):
    data = csv_bytes(["Account;Year;Revenue", "K-0;2025;100", "K-1;2025;-5", "K-2;2025;300"])

    report = by_row(run("figures", data, head_of_sales))

    assert [report[n].outcome for n in (2, 3, 4)] == ["new", "refused", "new"]
    assert report[3].errors == [("Revenue", "Must not be negative.")]
    assert sorted(YearlyFigures.objects.values_list("account__external_id", flat=True)) == [
        "K-0",
        "K-2",
    ]


def test_a_batch_of_contracts_with_one_bad_row_writes_the_good_rows(head_of_sales, twenty_accounts):
    data = csv_bytes(
        [
            "External ID;Account;Contract number;Title;Start;End;Renews automatically",
            "V-1;K-0;A;Eins;01.01.2026;31.12.2026;no",
            "V-2;K-0;B;Zwei;01.01.2026;;yes",
            "V-3;K-0;C;Drei;01.01.2026;31.12.2026;yes",
        ]
    )
    report = by_row(run("contracts", data, head_of_sales))

    assert [report[n].outcome for n in (2, 3, 4)] == ["new", "refused", "new"]
    assert sorted(Contract.objects.values_list("external_id", flat=True)) == ["V-1", "V-3"]
