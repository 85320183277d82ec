"""Every list exports what its page shows (same filter, same sort, same scope), as CSV
and XLSX read back with csv and openpyxl; through the API as well."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts import services as account_services
from accounts.models import Account
from activities import services as activity_services
from contracts import services as contract_services
from customer_care import services as care_services
from customer_care.models import Department
from deals import services as deal_services
from planning.action_plan import services as plan_services
from reviews import services as review_services
from tests.conftest import client_for
from tests.factories import make_account, make_contact
from tests.planning.action_plan_helpers import make_objective, set_revenue


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only after a byte-order mark
    delimiter = ";" if response.wsgi_request.LANGUAGE_CODE == "de" else ","
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def read_xlsx(response) -> list[list]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def column(rows: list[list], heading: str) -> list:
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


def exported(client, url: str, query: dict, fmt: str) -> list[list]:
    response = client.get(url, {**query, "export": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return read_csv(response) if fmt == "csv" else read_xlsx(response)


@pytest.fixture
def foreign(other_kam):
    """Another team's account with a record of each kind: never in kam's exports."""
    return make_account(owner=other_kam, name="Fremdfirma AG", status=Account.Status.KEY_ACCOUNT)


@pytest.fixture
def accounts(kam, foreign):
    return [
        make_account(owner=kam, name="Zeta Werke", status=Account.Status.KEY_ACCOUNT),
        make_account(owner=kam, name="Alpha Bau", status=Account.Status.KEY_ACCOUNT),
        make_account(owner=kam, name="Mitte GmbH", status=Account.Status.KEY_ACCOUNT),
        make_account(owner=kam, name="Ohne Status", status=Account.Status.PROSPECT),
    ]


FORMATS = ["csv", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_account_export_holds_the_filtered_sorted_rows_of_the_page(kam, accounts, fmt):
    client = client_for(kam)
    query = {"status": "key_account", "ordering": "-name"}
    page = client.get(reverse("accounts:list"), query)
    shown = [a.name for a in page.context["page"].object_list]
    rows = exported(client, reverse("accounts:list"), query, fmt)
    assert column(rows, "Name") == shown == ["Zeta Werke", "Mitte GmbH", "Alpha Bau"]
    with translation.override("de"):
        assert set(column(rows, "Status")) == {str(Account.Status.KEY_ACCOUNT.label)}
    assert "Fremdfirma AG" not in str(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_contact_export_matches_the_page(kam, accounts, foreign, fmt):
    for name in ("Berg", "Adler", "Conrad"):
        make_contact(account=accounts[0], last_name=name, email=f"{name}@example.com")
    make_contact(account=foreign, last_name="Fremd")
    client = client_for(kam)
    query = {"ordering": "name"}
    shown = [c.last_name for c in client.get(reverse("accounts:contacts"), query).context["page"]]
    rows = exported(client, reverse("accounts:contacts"), query, fmt)
    assert column(rows, "Nachname") == shown == ["Adler", "Berg", "Conrad"]
    assert set(column(rows, "Kunde")) == {"Zeta Werke"}  # no external ID: the name


@pytest.mark.parametrize("fmt", FORMATS)
def test_activity_export_matches_the_page(kam, accounts, foreign, other_kam, fmt):
    now = timezone.now()
    contact = make_contact(account=accounts[1], last_name="Teilnehmer")
    for days, subject in ((1, "Besuch"), (2, "Anruf"), (3, "Angebot")):
        activity_services.activity_log(
            actor=kam,
            account=accounts[1],
            occurred_at=now - timedelta(days=days),
            subject=subject,
            contacts=[contact],
            duration_minutes=30,
        )
    activity_services.activity_log(
        actor=other_kam, account=foreign, occurred_at=now, subject="Geheim"
    )
    client = client_for(kam)
    query = {"account": accounts[1].pk}
    shown = [a.subject for a in client.get(reverse("activities:list"), query).context["page"]]
    rows = exported(client, reverse("activities:list"), query, fmt)
    assert column(rows, "Betreff") == shown == ["Besuch", "Anruf", "Angebot"]
    assert column(rows, "Dauer (Minuten)") == ([30] * 3 if fmt == "xlsx" else ["30"] * 3)
    assert set(column(rows, "Teilnehmer (Kunde)")) == {"Erika Teilnehmer"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_opportunity_export_matches_the_page(kam, accounts, foreign, other_kam, fmt):
    for title, value in (("Rahmenvertrag", "1234.5"), ("Ersatzteile", "99"), ("Wartung", "10")):
        deal_services.opportunity_create(
            actor=kam, account=accounts[0], title=title, value=Decimal(value)
        )
    deal_services.opportunity_create(actor=other_kam, account=foreign, title="Geheim")
    client = client_for(kam)
    query = {"ordering": "title"}
    shown = [o.title for o in client.get(reverse("deals:list"), query).context["page"]]
    rows = exported(client, reverse("deals:list"), query, fmt)
    assert column(rows, "Titel") == shown == ["Ersatzteile", "Rahmenvertrag", "Wartung"]
    values = column(rows, "Wert")
    if fmt == "xlsx":
        assert values == [99, 1234.5, 10]  # numbers, not text
    else:
        assert values == ["99,00", "1234,50", "10,00"]  # decimal comma in German


@pytest.mark.parametrize("fmt", FORMATS)
def test_contract_export_matches_the_page(kam, accounts, foreign, other_kam, fmt):
    for number in ("V-3", "V-1", "V-2"):
        contract_services.contract_create(
            actor=kam,
            account=accounts[2],
            number=number,
            title=f"Vertrag {number}",
            start_on=date(2026, 1, 1),
            annual_value=Decimal("480000"),
        )
    contract_services.contract_create(
        actor=other_kam, account=foreign, number="X-1", title="Geheim", start_on=date(2026, 1, 1)
    )
    client = client_for(kam)
    shown = [c.number for c in client.get(reverse("contracts:list")).context["page"]]
    rows = exported(client, reverse("contracts:list"), {}, fmt)
    assert column(rows, "Vertragsnummer") == shown == ["V-1", "V-2", "V-3"]
    starts = column(rows, "Beginn")
    if fmt == "xlsx":
        assert {s.date() for s in starts} == {date(2026, 1, 1)}  # a date cell
    else:
        assert set(starts) == {"01.01.2026"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_issue_export_matches_the_page(kam, accounts, foreign, other_kam, fmt):
    department = Department.objects.get(key="logistics")
    for title in ("Lieferverzug", "Bruch", "Rechnung"):
        care_services.issue_create(
            actor=kam, account=accounts[0], title=title, department=department
        )
    care_services.issue_create(
        actor=other_kam, account=foreign, title="Geheim", department=department
    )
    client = client_for(kam)
    query = {"status": "open"}
    shown = [i.title for i in client.get(reverse("customer_care:issues"), query).context["page"]]
    rows = exported(client, reverse("customer_care:issues"), query, fmt)
    assert column(rows, "Titel") == shown
    assert sorted(shown) == ["Bruch", "Lieferverzug", "Rechnung"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_review_export_holds_the_reviews_of_the_page(kam, accounts, foreign, other_kam, fmt):
    year = timezone.localdate().year
    for account in accounts[:3]:
        review_services.review_create(
            actor=kam, account=account, year=year, meeting_on=timezone.localdate()
        )
    review_services.review_create(actor=other_kam, account=foreign, year=year)
    client = client_for(kam)
    page = client.get(reverse("reviews:list"))
    shown = {r.account.name for r in page.context["upcoming"] + page.context["preparing"]}
    rows = exported(client, reverse("reviews:list"), {}, fmt)
    assert set(column(rows, "Kundenname")) == shown == {a.name for a in accounts[:3]}


def test_portfolio_table_export_matches_the_drill_down(kam, accounts, foreign):
    year = timezone.localdate().year
    for account, revenue in zip(accounts, (300, 100, 200, 50), strict=True):
        account_services.figures_put(
            actor=kam, account=account, year=year, revenue=Decimal(revenue)
        )
    client = client_for(kam)
    query = {"metric": "revenue", "year": year}
    page = client.get(reverse("portfolio:dashboard_accounts"), query)
    shown = [a.name for a in page.context["page"].object_list]
    rows = exported(client, reverse("portfolio:dashboard_accounts"), query, "xlsx")
    assert column(rows, "Name") == shown == ["Zeta Werke", "Mitte GmbH", "Alpha Bau", "Ohne Status"]
    assert column(rows, "Umsatz") == [300, 200, 100, 50]


def test_english_csv_uses_commas_points_and_english_labels(kam, accounts):
    kam.language = "en"
    kam.save(update_fields=["language"])
    client = client_for(kam)
    deal_services.opportunity_create(
        actor=kam, account=accounts[0], title="Deal", value=Decimal("1234.5")
    )
    response = client.get(reverse("deals:list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:4] == ["External ID", "Account", "Account name", "Title"]
    assert column(rows, "Value") == ["1234.50"]


def test_export_menu_keeps_the_filters(kam, accounts):
    response = client_for(kam).get(reverse("accounts:list"), {"status": "prospect", "page": 1})
    html = response.content.decode()
    assert "?status=prospect&amp;export=csv" in html
    assert "?status=prospect&amp;export=xlsx" in html


# --- Formula injection -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_a_spreadsheet_would_run_is_escaped(kam, fmt):
    account = make_account(owner=kam, name='=HYPERLINK("http://evil")', city="+49 Stadt")
    make_account(owner=kam, name="@SUM(A1)", city="-Minus")
    make_account(owner=kam, name="\tTab", city="\rCR")
    rows = exported(client_for(kam), reverse("accounts:list"), {"ordering": "name"}, fmt)
    names = column(rows, "Name")
    cities = column(rows, "Ort")
    assert '\'=HYPERLINK("http://evil")' in names
    assert "'@SUM(A1)" in names and "'\tTab" in names
    assert {"'+49 Stadt", "'-Minus"} <= set(cities)
    assert any(city.startswith("'\r") or city.startswith("'\n") for city in cities)
    assert account.name not in names
    if fmt == "xlsx":
        book = load_workbook(
            io.BytesIO(
                b"".join(
                    client_for(kam)
                    .get(reverse("accounts:list"), {"export": "xlsx"})
                    .streaming_content
                )
            )
        )
        assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


# --- Streaming and queries -------------------------------------------------------------


def test_csv_streams_before_the_last_row_is_read(kam, settings):
    settings.EXPORT_CHUNK_SIZE = 2
    for n in range(7):
        make_account(owner=kam, name=f"Konto {n}")
    response = client_for(kam).get(reverse("accounts:list"), {"export": "csv", "ordering": "name"})
    assert response.streaming
    pieces = iter(response.streaming_content)
    header, first = next(pieces), next(pieces)
    assert b"Name" in header
    assert first.decode().count("\r\n") == 2  # the first two rows, and no more yet
    assert b"Konto 6" not in header + first
    rest = b"".join(pieces)
    assert b"Konto 6" in rest


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        ("accounts:list", 4),
        ("accounts:contacts", 5),
        ("activities:list", 7),
        ("deals:list", 6),
        ("contracts:list", 5),  # with the day's first look for stale contract dates
        ("customer_care:issues", 4),
    ],
)
def test_export_runs_the_same_queries_however_many_rows(
    kam, accounts, url_name, queries, django_assert_num_queries
):
    now = timezone.now()
    department = Department.objects.get(key="logistics")
    for account in accounts:
        make_contact(account=account)
        activity_services.activity_log(actor=kam, account=account, occurred_at=now, subject="x")
        deal_services.opportunity_create(actor=kam, account=account, title="x")
        contract_services.contract_create(
            actor=kam,
            account=account,
            number=f"N{account.pk}",
            title="x",
            start_on=date(2026, 1, 1),
        )
        care_services.issue_create(actor=kam, account=account, title="x", department=department)
    client = client_for(kam)
    # On PostgreSQL the rows are read in a transaction (a savepoint inside the test's).
    reading = 2 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(queries + reading):
        response = client.get(reverse(url_name), {"export": "csv"})
        rows = read_csv(response)
    assert len(rows) == 5


# --- The API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("api-account-list", "Name"),
        ("api-contact-list", "Nachname"),
        ("api-activity-list", "Betreff"),
        ("api-follow-up-list", "Titel"),
        ("api-opportunity-list", "Titel"),
        ("api-contract-list", "Titel"),
        ("api-issue-list", "Titel"),
        ("api-review-list", "Jahr"),
        ("api-objective-list", "Ziel"),
    ],
)
def test_every_list_endpoint_exports_as_csv_and_xlsx(kam, accounts, url_name, heading):
    client = client_for(kam)
    url = reverse(url_name)
    by_format = client.get(url, {"format": "csv"})
    assert by_format.status_code == 200, by_format.content
    assert by_format["Content-Type"].startswith("text/csv")
    assert read_csv(by_format)[0].count(heading) >= 1
    by_accept = client.get(url, headers={"accept": "text/csv"})
    assert by_accept.status_code == 200
    assert by_accept["Content-Type"].startswith("text/csv")
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200
    assert heading in read_xlsx(xlsx)[0]


def test_api_export_keeps_filters_and_scope(kam, accounts):
    rows = read_csv(
        client_for(kam).get(reverse("api-account-list"), {"format": "csv", "status": "key_account"})
    )
    assert sorted(column(rows, "Name")) == ["Alpha Bau", "Mitte GmbH", "Zeta Werke"]


def test_api_follow_up_and_objective_exports_hold_only_the_scope(kam, accounts, foreign, other_kam):
    due = timezone.localdate()
    year = due.year
    for account in (accounts[0], foreign):
        actor = kam if account.owner == kam else other_kam
        activity_services.follow_up_create(
            actor=actor,
            account=account,
            owner=actor,
            title=f"Nachfassen {account.name}",
            due_on=due,
        )
        plan_services.objective_create(
            actor=actor,
            account=account,
            year=year,
            kind="other",
            title=f"Ziel {account.name}",
            due_on=due,
        )
    client = client_for(kam)
    follow_ups = read_csv(client.get(reverse("api-follow-up-list"), {"format": "csv"}))
    objectives = read_xlsx(client.get(reverse("api-objective-list"), {"format": "xlsx"}))
    assert column(follow_ups, "Titel") == ["Nachfassen Zeta Werke"]
    assert column(objectives, "Ziel") == ["Ziel Zeta Werke"]


def test_api_export_with_a_bad_filter_is_a_400_in_json(kam, accounts):
    response = client_for(kam).get(reverse("api-account-list"), {"format": "csv", "status": "x"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_follow_up_export_of_my_work_holds_its_follow_ups(kam, accounts, foreign, other_kam, fmt):
    today = timezone.localdate()
    for days, title in ((3, "Später"), (1, "Bald")):
        activity_services.follow_up_create(
            actor=kam, account=accounts[0], owner=kam, title=title, due_on=today + timedelta(days)
        )
    activity_services.follow_up_create(
        actor=other_kam, account=foreign, owner=other_kam, title="Geheim", due_on=today
    )
    client = client_for(kam)
    page = client.get(reverse("activities:my_work"))
    shown = [f.title for f in page.context["open_follow_ups"]]
    rows = exported(client, reverse("activities:my_work"), {}, fmt)
    assert column(rows, "Titel") == shown == ["Bald", "Später"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_objective_export_of_the_plans_page_matches_its_rows(kam, accounts, foreign, fmt):
    for name, revenue in (("Mittel", "850000"), ("Schwach", "100000"), ("Knapp", "940000")):
        customer = make_account(owner=kam, name=f"{name} GmbH")
        set_revenue(customer, revenue)
        make_objective(customer, title=f"Ziel {name}", target_value=Decimal("1000000"))
    set_revenue(foreign, "1")
    make_objective(foreign, title="Fremdes Ziel", target_value=Decimal("1000000"))
    client = client_for(kam)
    page = client.get(reverse("planning:plans"))
    shown = [objective.title for objective in page.context["objectives"]]

    rows = exported(client, reverse("planning:plans"), {}, fmt)

    assert column(rows, "Ziel") == shown == ["Ziel Schwach", "Ziel Mittel", "Ziel Knapp"]
