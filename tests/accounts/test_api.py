"""The accounts and contacts API, as an ERP/BI integration and a KAM's script use it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Account, Contact, ProductLine, TeamMembership, YearlyFigures
from accounts.selectors import current_year
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role
from users.services import api_token_create

ACCOUNTS = reverse("api-account-list")
CONTACTS = reverse("api-contact-list")


def account_url(account: Account) -> str:
    return reverse("api-account-detail", args=[account.pk])


def team_url(account: Account) -> str:
    return reverse("api-account-team", args=[account.pk])


def financials_url(account: Account, year: int | None = None) -> str:
    if year is None:
        return reverse("api-account-financials", args=[account.pk])
    return reverse("api-account-financials-year", args=[account.pk, year])


def contact_url(contact: Contact) -> str:
    return reverse("api-contact-detail", args=[contact.pk])


def api_as(user) -> APIClient:
    """A client that signs in like an integration does: with a token in the header."""
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def add_figures(account: Account, year: int, revenue: str, **values) -> YearlyFigures:
    figures, _created = services.figures_put(
        actor=account.owner, account=account, year=year, revenue=Decimal(revenue), **values
    )
    return figures


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def kam_api(kam) -> APIClient:
    return api_as(kam)


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return api_as(outsider)


@pytest.fixture
def rep_on_team(account, kam, sales_rep) -> TeamMembership:
    """The sales rep may read the account but not change it."""
    membership, _created = services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return membership


# --- Account list -------------------------------------------------------------------------


def test_account_list_shows_this_years_revenue_owner_and_product_lines(kam_api, kam, account):
    line = ProductLine.objects.create(name="Hydraulik")
    account.product_lines.set([line])
    add_figures(account, current_year(), "1250.50", revenue_target=Decimal("2000"))
    add_figures(account, current_year() - 1, "999")

    response = kam_api.get(ACCOUNTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "Müller Maschinenbau AG"
    assert row["owner"] == kam.pk
    assert row["product_lines"] == [line.pk]
    assert row["year_revenue"] == "1250.50"
    assert row["year_revenue_target"] == "2000.00"
    assert row["year_revenue_potential"] is None


def test_account_list_filters_like_the_account_page(kam_api, kam, other_kam, head_of_sales):
    stuttgart = make_account(owner=kam, name="Alpha AG", city="Stuttgart", status="key_account")
    hamburg = make_account(owner=kam, name="Beta GmbH", city="Hamburg", tier="A")
    theirs = make_account(owner=other_kam, name="Gamma KG", status="key_account")
    head_api = api_as(head_of_sales)

    assert ids(kam_api.get(ACCOUNTS, {"status": "key_account"})) == [stuttgart.pk]
    assert ids(kam_api.get(ACCOUNTS, {"q": "hamb"})) == [hamburg.pk]
    assert ids(kam_api.get(ACCOUNTS, {"tier": "A"})) == [hamburg.pk]
    assert ids(head_api.get(ACCOUNTS, {"owner": other_kam.pk})) == [theirs.pk]
    assert ids(head_api.get(ACCOUNTS, {"status": "key_account"})) == [stuttgart.pk, theirs.pk]
    subsidiary = make_account(owner=kam, name="Alpha Süd", parent=stuttgart)
    assert ids(kam_api.get(ACCOUNTS, {"parent": stuttgart.pk})) == [subsidiary.pk]


def test_account_list_orders_by_the_pages_sort_keys(kam_api, kam):
    small = make_account(owner=kam, name="A small")
    big = make_account(owner=kam, name="B big")
    middle = make_account(owner=kam, name="C middle")
    for account, revenue in [(small, "10"), (big, "1000"), (middle, "100")]:
        add_figures(account, current_year(), revenue)

    assert ids(kam_api.get(ACCOUNTS)) == [small.pk, big.pk, middle.pk]  # by name
    assert ids(kam_api.get(ACCOUNTS, {"ordering": "-revenue"})) == [big.pk, middle.pk, small.pk]
    assert ids(kam_api.get(ACCOUNTS, {"ordering": "revenue"})) == [small.pk, middle.pk, big.pk]
    assert ids(kam_api.get(ACCOUNTS, {"ordering": "-name"})) == [middle.pk, big.pk, small.pk]


def test_accounts_without_figures_for_the_year_sort_below_every_revenue(kam_api, kam, kam_client):
    none_yet = make_account(owner=kam, name="A no figures yet")
    small = make_account(owner=kam, name="B small")
    big = make_account(owner=kam, name="C big")
    add_figures(small, current_year(), "10")
    add_figures(big, current_year(), "1000")
    add_figures(none_yet, current_year() - 1, "99999")  # last year's do not count

    assert ids(kam_api.get(ACCOUNTS, {"ordering": "-revenue"})) == [big.pk, small.pk, none_yet.pk]
    assert ids(kam_api.get(ACCOUNTS, {"ordering": "revenue"})) == [none_yet.pk, small.pk, big.pk]
    page = kam_client.get(reverse("accounts:list"), {"ordering": "-revenue"}).text
    assert page.index("C big") < page.index("B small") < page.index("A no figures yet")


def test_account_list_pages_with_page_size(kam_api, kam):
    for _ in range(5):
        make_account(owner=kam)

    body = kam_api.get(ACCOUNTS, {"page_size": 2}).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    last = kam_api.get(ACCOUNTS, {"page_size": 2, "page": 3}).json()
    names = [row["name"] for row in body["results"] + last["results"]]
    assert names == sorted(names) and len(last["results"]) == 1  # same order on every page


@pytest.mark.parametrize("rows", [3, 10])
def test_account_list_query_count_does_not_grow_with_rows(
    kam_api, kam, rows, django_assert_num_queries
):
    lines = [ProductLine.objects.create(name=f"Linie {n}") for n in range(2)]
    group = make_account(owner=kam, name="Gruppe")
    for n in range(rows - 1):
        member = make_account(owner=kam, parent=group, name=f"Tochter {n}")
        member.product_lines.set(lines)
        add_figures(member, current_year(), "100")

    with django_assert_num_queries(9):
        response = kam_api.get(ACCOUNTS)

    assert len(response.json()["results"]) == rows
    assert all(row["product_lines"] for row in response.json()["results"][1:])


# --- Account create, update, detail -------------------------------------------------------


def test_kam_creates_an_account_they_own(kam_api, kam):
    line = ProductLine.objects.create(name="Sensorik")

    response = kam_api.post(
        ACCOUNTS,
        {
            "name": "Neukunde GmbH",
            "external_id": "ERP-4711",
            "status": "potential",
            "tier": "B",
            "product_lines": [line.pk],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    account = Account.objects.get(pk=body["id"])
    assert (account.name, account.external_id, account.status) == (
        "Neukunde GmbH",
        "ERP-4711",
        "potential",
    )
    assert account.owner == kam
    assert account.path == f"/{account.pk}/"  # kept by the service
    assert list(account.product_lines.all()) == [line]
    assert body["owner"] == kam.pk
    assert body["group_figures"] == []
    assert body["subsidiaries"] == []


def test_create_without_name_is_a_field_error(kam_api):
    response = kam_api.post(ACCOUNTS, {"status": "prospect"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "name" in response.json()["errors"]
    assert not Account.objects.exists()


def test_create_with_an_existing_external_id_is_refused(kam_api, kam, other_kam):
    # The number belongs to an account the KAM cannot even see: still one ERP, one number.
    make_account(owner=other_kam, external_id="ERP-1")

    response = kam_api.post(ACCOUNTS, {"name": "Doppelt", "external_id": "ERP-1"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["external_id"]
    assert Account.objects.filter(external_id="ERP-1").count() == 1


def test_create_with_a_parent_outside_the_scope_looks_like_a_missing_id(kam_api, other_kam):
    hidden = make_account(owner=other_kam)

    hidden_response = kam_api.post(ACCOUNTS, {"name": "X", "parent": hidden.pk})
    missing_response = kam_api.post(ACCOUNTS, {"name": "X", "parent": hidden.pk + 1000})

    assert hidden_response.status_code == 400
    assert "parent" in hidden_response.json()["errors"]
    assert hidden_response.json() == missing_response.json()
    assert not Account.objects.filter(name="X").exists()


def test_kam_changes_an_account_with_patch(kam_api, account):
    response = kam_api.patch(account_url(account), {"status": "key_account", "tier": "A"})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["tier"]) == ("key_account", "A")
    account.refresh_from_db()
    assert (account.status, account.tier, account.name) == ("key_account", "A", account.name)
    assert account.history.count() == 2  # the change is on the record


def test_put_replaces_the_product_lines(kam_api, account):
    account.product_lines.set([ProductLine.objects.create(name="Alt")])
    new = ProductLine.objects.create(name="Neu")

    response = kam_api.put(account_url(account), {"name": "Müller AG", "product_lines": [new.pk]})

    assert response.status_code == 200, response.json()
    account.refresh_from_db()
    assert account.name == "Müller AG"
    assert list(account.product_lines.all()) == [new]


def test_account_cannot_become_part_of_its_own_subsidiary(kam_api, kam, account):
    subsidiary = make_account(owner=kam, parent=account)

    response = kam_api.patch(account_url(account), {"parent": subsidiary.pk})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parent"]
    account.refresh_from_db()
    assert account.parent is None
    assert account.path == f"/{account.pk}/"


def test_moving_an_account_under_another_group_is_accepted(kam_api, kam, account):
    group = make_account(owner=kam, name="Holding")

    response = kam_api.patch(account_url(account), {"parent": group.pk})

    assert response.status_code == 200
    account.refresh_from_db()
    assert account.path == f"/{group.pk}/{account.pk}/"
    assert kam_api.get(account_url(group)).json()["subsidiaries"] == [account.pk]


def test_account_detail_rolls_up_the_whole_group(kam_api, kam, account):
    subsidiary = make_account(owner=kam, parent=account, name="Müller Österreich")
    grandchild = make_account(owner=kam, parent=subsidiary, name="Müller Wien")
    add_figures(account, 2024, "100", revenue_target=Decimal("150"))
    add_figures(subsidiary, 2024, "50", contribution_margin=Decimal("5"))
    add_figures(grandchild, 2024, "25", revenue_potential=Decimal("80"))
    add_figures(account, 2023, "10")

    body = kam_api.get(account_url(account)).json()

    assert body["subsidiaries"] == [subsidiary.pk]
    assert body["group_figures"] == [
        {
            "year": 2024,
            "revenue": "175.00",
            "contribution_margin": "5.00",
            "revenue_target": "150.00",
            "margin_target": None,
            "revenue_potential": "80.00",
            "share_of_wallet": None,  # only one of three members has a potential
            "accounts_without_potential": 2,
            "share_of_wallet_covered": "31.2",  # 25 of 80
        },
        {
            "year": 2023,
            "revenue": "10.00",
            "contribution_margin": "0.00",
            "revenue_target": None,
            "margin_target": None,
            "revenue_potential": None,
            "share_of_wallet": None,
            "accounts_without_potential": 1,
            "share_of_wallet_covered": None,
        },
    ]
    # A subsidiary's roll-up covers only what is below it.
    sub_body = kam_api.get(account_url(subsidiary)).json()
    assert sub_body["parent"] == account.pk
    assert [(y["year"], y["revenue"]) for y in sub_body["group_figures"]] == [(2024, "75.00")]


# --- Team ---------------------------------------------------------------------------------


def test_kam_adds_changes_and_removes_a_team_member(kam_api, account, sales_rep):
    added = kam_api.post(
        team_url(account), {"user": sales_rep.pk, "role": "sales_rep", "can_edit": False}
    )
    assert added.status_code == 201
    assert added.json()["user"] == sales_rep.pk

    changed = kam_api.post(
        team_url(account), {"user": sales_rep.pk, "role": "logistics", "can_edit": True}
    )
    assert changed.status_code == 200
    assert changed.json()["id"] == added.json()["id"]
    membership = TeamMembership.objects.get(account=account)
    assert (membership.role, membership.can_edit) == ("logistics", True)

    listed = kam_api.get(team_url(account)).json()
    assert [(m["user"], m["role"], m["user_name"]) for m in listed] == [
        (sales_rep.pk, "logistics", str(sales_rep))
    ]

    removed = kam_api.delete(reverse("api-account-team-member", args=[account.pk, membership.pk]))
    assert removed.status_code == 204
    assert not TeamMembership.objects.filter(account=account).exists()


def test_team_member_with_bad_role_or_unknown_user_is_refused(kam_api, account, sales_rep):
    bad_role = kam_api.post(
        team_url(account), {"user": sales_rep.pk, "role": "boss", "can_edit": False}
    )
    unknown = kam_api.post(
        team_url(account), {"user": sales_rep.pk + 999, "role": "sales_rep", "can_edit": False}
    )
    assert (bad_role.status_code, list(bad_role.json()["errors"])) == (400, ["role"])
    assert (unknown.status_code, list(unknown.json()["errors"])) == (400, ["user"])
    assert not TeamMembership.objects.exists()


def test_removing_a_membership_of_another_account_gives_404(kam_api, kam, account, sales_rep):
    other = make_account(owner=kam)
    membership, _created = services.team_member_set(
        actor=kam, account=other, user=sales_rep, role="sales_rep", can_edit=False
    )

    response = kam_api.delete(reverse("api-account-team-member", args=[account.pk, membership.pk]))

    assert response.status_code == 404
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


# --- Financials ---------------------------------------------------------------------------


def test_put_financials_is_idempotent(kam_api, account):
    url = financials_url(account, 2024)
    body = {"revenue": "1000.00", "contribution_margin": "200.00", "revenue_target": "1200"}

    first = kam_api.put(url, body)
    second = kam_api.put(url, body)

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json() | {"updated_at": first.json()["updated_at"]}
    assert YearlyFigures.objects.filter(account=account).count() == 1
    figures = YearlyFigures.objects.get(account=account)
    assert (figures.year, figures.revenue, figures.revenue_target) == (
        2024,
        Decimal("1000.00"),
        Decimal("1200.00"),
    )
    assert second.json()["target_attainment"] == "83.3"


def test_put_financials_replaces_the_actuals_and_keeps_the_target(kam_api, account):
    add_figures(account, 2024, "500", revenue_target=Decimal("900"))

    response = kam_api.put(financials_url(account, 2024), {"revenue": "700"})

    assert response.status_code == 200
    figures = YearlyFigures.objects.get(account=account, year=2024)
    assert figures.revenue == Decimal("700")
    assert figures.revenue_target == Decimal("900")  # the KAM's, not the ERP's


def test_negative_revenue_is_refused(kam_api, account):
    response = kam_api.put(financials_url(account, 2024), {"revenue": "-1.00"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["revenue"]
    assert not YearlyFigures.objects.exists()


def test_year_1800_is_refused(kam_api, account):
    response = kam_api.put(financials_url(account, 1800), {"revenue": "100"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]
    assert not YearlyFigures.objects.exists()


def test_financials_list_read_and_delete(kam_api, account):
    add_figures(account, 2023, "10")
    add_figures(account, 2024, "20")

    listed = kam_api.get(financials_url(account))
    assert [(f["year"], f["revenue"]) for f in listed.json()] == [(2024, "20.00"), (2023, "10.00")]
    assert kam_api.get(financials_url(account, 2023)).json()["revenue"] == "10.00"
    assert kam_api.get(financials_url(account, 2022)).status_code == 404

    assert kam_api.delete(financials_url(account, 2023)).status_code == 204
    assert kam_api.get(financials_url(account, 2023)).status_code == 404
    assert kam_api.delete(financials_url(account, 2023)).status_code == 404
    assert list(YearlyFigures.objects.values_list("year", flat=True)) == [2024]


# --- Contacts -----------------------------------------------------------------------------


def test_kam_adds_a_contact_to_an_account(kam_api, kam, account):
    boss = make_contact(account=account, last_name="Chefin")

    response = kam_api.post(
        CONTACTS,
        {
            "account": account.pk,
            "first_name": "Max",
            "last_name": "Einkauf",
            "email": "max@example.com",
            "reports_to": boss.pk,
            "buying_role": "economic_buyer",
            "relationship_owner": kam.pk,
        },
    )

    assert response.status_code == 201, response.json()
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.account, contact.reports_to, contact.relationship_owner) == (
        account,
        boss,
        kam,
    )
    assert response.json()["name"] == "Max Einkauf"


def test_contact_may_report_to_someone_elsewhere_in_the_group(kam_api, kam, account):
    subsidiary = make_account(owner=kam, parent=account)
    boss = make_contact(account=account)

    response = kam_api.post(
        CONTACTS, {"account": subsidiary.pk, "last_name": "Tochter", "reports_to": boss.pk}
    )

    assert response.status_code == 201


def test_contact_cannot_report_to_someone_in_another_group(kam_api, kam, account):
    elsewhere = make_contact(account=make_account(owner=kam, name="Andere Gruppe AG"))

    response = kam_api.post(
        CONTACTS, {"account": account.pk, "last_name": "Neu", "reports_to": elsewhere.pk}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reports_to"]
    assert not Contact.objects.filter(last_name="Neu").exists()


def test_contact_reporting_to_a_hidden_contact_looks_like_a_missing_id(kam_api, account, other_kam):
    hidden = make_contact(account=make_account(owner=other_kam))
    body = {"account": account.pk, "last_name": "Neu"}

    hidden_response = kam_api.post(CONTACTS, body | {"reports_to": hidden.pk})
    missing_response = kam_api.post(CONTACTS, body | {"reports_to": hidden.pk + 1000})

    assert hidden_response.status_code == 400
    assert list(hidden_response.json()["errors"]) == ["reports_to"]
    assert hidden_response.json() == missing_response.json()


def test_contact_with_a_bad_email_is_refused(kam_api, account):
    response = kam_api.post(
        CONTACTS, {"account": account.pk, "last_name": "Tippfehler", "email": "max(at)firma"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]
    assert not Contact.objects.exists()


def test_contact_list_filters_by_account(kam_api, kam, account):
    mine = make_contact(account=account, last_name="Adler")
    other = make_account(owner=kam)
    theirs = make_contact(account=other, last_name="Berger")

    assert ids(kam_api.get(CONTACTS)) == [mine.pk, theirs.pk]
    assert ids(kam_api.get(CONTACTS, {"account": account.pk})) == [mine.pk]
    assert ids(kam_api.get(CONTACTS, {"q": "berg"})) == [theirs.pk]


def test_contact_who_left_is_marked_not_deleted(kam_api, account):
    contact = make_contact(account=account)
    left_on = timezone.localdate() - timedelta(days=3)

    assert kam_api.delete(contact_url(contact)).status_code == 405
    response = kam_api.patch(contact_url(contact), {"left_on": left_on.isoformat()})

    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.is_active, contact.left_on) == (False, left_on)
    assert ids(kam_api.get(CONTACTS, {"is_active": "false"})) == [contact.pk]


def test_leaving_date_in_the_future_is_refused(kam_api, account):
    contact = make_contact(account=account)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = kam_api.patch(contact_url(contact), {"left_on": tomorrow.isoformat()})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["left_on"]
    contact.refresh_from_db()
    assert contact.is_active


def test_contact_put_changes_the_record(kam_api, account):
    contact = make_contact(account=account, last_name="Alt")

    response = kam_api.put(
        contact_url(contact),
        {"account": account.pk, "last_name": "Neu", "relationship_strength": 5},
    )

    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert (contact.last_name, contact.relationship_strength) == ("Neu", 5)


def test_relationship_strength_outside_1_to_5_is_refused(kam_api, account):
    contact = make_contact(account=account)
    response = kam_api.patch(contact_url(contact), {"relationship_strength": 9})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["relationship_strength"]


@pytest.mark.parametrize("rows", [3, 10])
def test_contact_list_query_count_does_not_grow_with_rows(
    kam_api, kam, account, rows, django_assert_num_queries
):
    boss = make_contact(account=account, relationship_owner=kam)
    subsidiary = make_account(owner=kam, parent=account)
    for _ in range(rows - 1):
        make_contact(account=subsidiary, reports_to=boss, relationship_owner=kam)

    with django_assert_num_queries(9):
        response = kam_api.get(CONTACTS)

    assert len(response.json()["results"]) == rows


# --- Scope: outsiders and readers ---------------------------------------------------------


def test_outsider_gets_404_on_everything_of_an_account(outsider_api, account):
    contact = make_contact(account=account)
    add_figures(account, 2024, "100")

    for url in [
        account_url(account),
        team_url(account),
        financials_url(account),
        financials_url(account, 2024),
        contact_url(contact),
    ]:
        response = outsider_api.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_outsider_gets_404_not_403_on_writes(outsider_api, outsider, account):
    contact = make_contact(account=account)

    assert outsider_api.patch(account_url(account), {"tier": "A"}).status_code == 404
    assert outsider_api.put(financials_url(account, 2024), {"revenue": "1"}).status_code == 404
    assert (
        outsider_api.post(
            team_url(account), {"user": outsider.pk, "role": "sales_rep", "can_edit": True}
        ).status_code
        == 404
    )
    assert outsider_api.patch(contact_url(contact), {"last_name": "X"}).status_code == 404
    account.refresh_from_db()
    assert account.tier == "C"
    assert not account.team.exists()
    assert not YearlyFigures.objects.exists()


def test_outsider_sees_nothing_in_the_lists(outsider_api, account):
    make_contact(account=account)

    assert outsider_api.get(ACCOUNTS).json()["count"] == 0
    assert outsider_api.get(CONTACTS).json()["count"] == 0
    assert outsider_api.get(CONTACTS, {"account": account.pk}).json()["count"] == 0


def test_outsider_cannot_add_contacts_to_a_hidden_account(outsider_api, account):
    response = outsider_api.post(CONTACTS, {"account": account.pk, "last_name": "Spion"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["account"]
    assert not Contact.objects.exists()


def test_sales_rep_on_the_team_reads_but_may_not_write(account, sales_rep, rep_on_team):
    contact = make_contact(account=account)
    rep_api = api_as(sales_rep)

    assert rep_api.get(account_url(account)).status_code == 200
    assert ids(rep_api.get(ACCOUNTS)) == [account.pk]
    assert ids(rep_api.get(CONTACTS)) == [contact.pk]
    assert rep_api.get(team_url(account)).status_code == 200
    assert rep_api.get(financials_url(account)).status_code == 200

    writes = [
        rep_api.patch(account_url(account), {"tier": "A"}),
        rep_api.put(financials_url(account, 2024), {"revenue": "1"}),
        rep_api.delete(financials_url(account, 2024)),
        rep_api.post(team_url(account), {"user": sales_rep.pk, "role": "other", "can_edit": True}),
        rep_api.delete(reverse("api-account-team-member", args=[account.pk, rep_on_team.pk])),
        rep_api.post(CONTACTS, {"account": account.pk, "last_name": "Neu"}),
        rep_api.patch(contact_url(contact), {"last_name": "X"}),
    ]

    assert [response.status_code for response in writes] == [403] * len(writes)
    assert all(response.json()["code"] == "permission_denied" for response in writes)
    account.refresh_from_db()
    assert account.tier == "C"
    rep_on_team.refresh_from_db()
    assert (rep_on_team.role, rep_on_team.can_edit) == ("sales_rep", False)
    assert not YearlyFigures.objects.exists()
    assert Contact.objects.get().last_name == contact.last_name


def test_reader_gets_403_even_with_an_invalid_body(account, sales_rep, rep_on_team):
    # A reader learns nothing about the rules of a record they may not change.
    response = api_as(sales_rep).patch(account_url(account), {"status": "nonsense"})
    assert response.status_code == 403


def test_sales_rep_with_may_edit_can_write(kam, account, sales_rep):
    services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=True
    )
    rep_api = api_as(sales_rep)

    assert rep_api.patch(account_url(account), {"tier": "B"}).status_code == 200
    assert rep_api.put(financials_url(account, 2024), {"revenue": "5"}).status_code == 201
    assert rep_api.post(CONTACTS, {"account": account.pk, "last_name": "Neu"}).status_code == 201
    account.refresh_from_db()
    assert account.tier == "B"


def test_head_of_sales_sees_and_changes_every_account(head_of_sales, account):
    head_api = api_as(head_of_sales)
    assert ids(head_api.get(ACCOUNTS)) == [account.pk]
    assert head_api.patch(account_url(account), {"tier": "A"}).status_code == 200


def test_new_account_can_be_given_to_another_kam(kam_api, other_kam):
    # The creator hands it over at once; the answer still shows what was created.
    response = kam_api.post(ACCOUNTS, {"name": "Übergabe AG", "owner": other_kam.pk})

    assert response.status_code == 201
    assert response.json()["owner"] == other_kam.pk
    assert Account.objects.get(name="Übergabe AG").owner == other_kam
    assert kam_api.get(account_url(Account.objects.get(name="Übergabe AG"))).status_code == 404


def test_inactive_user_cannot_become_owner(kam_api, account):
    gone = UserFactory(role=Role.KEY_ACCOUNT_MANAGER, is_active=False)

    response = kam_api.patch(account_url(account), {"owner": gone.pk})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["owner"]
