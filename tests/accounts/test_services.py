"""Writes on accounts, figures and contacts, and the shared reads (accounts.selectors)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import selectors, services
from accounts.models import Account, Contact, YearlyFigures
from tests.factories import make_account, make_contact


def test_account_create_sets_the_path_below_its_parent(kam):
    group = make_account(owner=kam, name="Konzern")
    child = make_account(owner=kam, name="Tochter", parent=group)
    grandchild = make_account(owner=kam, name="Enkel", parent=child)
    assert group.path == f"/{group.pk}/"
    assert Account.objects.get(pk=grandchild.pk).path == f"/{group.pk}/{child.pk}/{grandchild.pk}/"
    assert grandchild.root_id == group.pk
    assert grandchild.ancestor_ids() == [group.pk, child.pk]


def test_account_create_makes_the_actor_the_owner_by_default(kam):
    account = services.account_create(actor=kam, name="Neukunde")
    assert account.owner == kam


def test_only_key_account_managers_and_above_can_own_an_account(kam, sales_rep):
    with pytest.raises(ValidationError) as error:
        services.account_create(actor=kam, owner=sales_rep, name="Falscher Besitzer")
    assert "owner" in error.value.message_dict
    assert not Account.objects.filter(name="Falscher Besitzer").exists()


def test_account_cannot_move_below_its_own_subsidiary(kam):
    group = make_account(owner=kam, name="Konzern")
    child = make_account(owner=kam, name="Tochter", parent=group)
    grandchild = make_account(owner=kam, name="Enkel", parent=child)

    for new_parent in (child, grandchild, group):
        with pytest.raises(ValidationError) as error:
            services.account_update(actor=kam, account=group, parent=new_parent, name="Neu")
        assert "parent" in error.value.message_dict

    group.refresh_from_db()
    assert (group.parent_id, group.name, group.path) == (None, "Konzern", f"/{group.pk}/")
    assert Account.objects.get(pk=grandchild.pk).path == f"/{group.pk}/{child.pk}/{grandchild.pk}/"


def test_duplicate_external_id_is_refused(kam):
    make_account(owner=kam, name="Erster", external_id="ERP-4711")
    with pytest.raises(ValidationError) as error:
        make_account(owner=kam, name="Zweiter", external_id="ERP-4711")
    assert "external_id" in error.value.message_dict
    assert not Account.objects.filter(name="Zweiter").exists()


def test_empty_external_ids_do_not_collide(kam):
    make_account(owner=kam, external_id="")
    make_account(owner=kam, external_id="")
    assert Account.objects.filter(external_id__isnull=True).count() == 2


def test_figures_put_creates_then_replaces_one_row(kam, account):
    _figures, created = services.figures_put(
        actor=kam, account=account, year=2025, revenue=Decimal("1000"), revenue_target=500
    )
    assert created
    figures, created = services.figures_put(
        actor=kam, account=account, year=2025, revenue=Decimal("1200.50")
    )
    assert not created
    row = YearlyFigures.objects.get(account=account, year=2025)
    assert row.pk == figures.pk
    assert row.revenue == Decimal("1200.50")
    # The ERP replaces the actuals; the target belongs to the key account manager.
    assert row.revenue_target == Decimal("500")
    assert YearlyFigures.objects.filter(account=account).count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"year": 2025, "revenue": Decimal("-1")}, "revenue"),
        ({"year": 2025, "revenue_potential": Decimal("-0.01")}, "revenue_potential"),
        ({"year": 2025, "revenue_target": Decimal("-5")}, "revenue_target"),
        ({"year": 1800, "revenue": Decimal("10")}, "year"),
        ({"year": 2101, "revenue": Decimal("10")}, "year"),
    ],
)
def test_figures_put_refuses_invalid_values(kam, account, values, field):
    with pytest.raises(ValidationError) as error:
        services.figures_put(actor=kam, account=account, **values)
    assert field in error.value.message_dict
    assert not YearlyFigures.objects.filter(account=account).exists()


def test_figures_put_refusal_keeps_the_previous_row(kam, account):
    services.figures_put(actor=kam, account=account, year=2025, revenue=Decimal("800"))
    with pytest.raises(ValidationError):
        services.figures_put(actor=kam, account=account, year=2025, revenue=Decimal("-1"))
    assert YearlyFigures.objects.get(account=account, year=2025).revenue == Decimal("800")


def test_negative_contribution_margin_is_allowed(kam, account):
    """Loss-making years exist; only revenue, targets and potential must not be negative."""
    figures, _created = services.figures_put(
        actor=kam, account=account, year=2025, contribution_margin=Decimal("-300")
    )
    assert figures.contribution_margin == Decimal("-300")


def test_group_figures_sum_every_level_per_year(kam, other_kam):
    group = make_account(owner=kam, name="Konzern")
    child = make_account(owner=kam, name="Tochter", parent=group)
    grandchild = make_account(owner=kam, name="Enkel", parent=child)
    unrelated = make_account(owner=other_kam, name="Andere")
    services.figures_put(actor=kam, account=group, year=2025, revenue=100, revenue_potential=1000)
    services.figures_put(actor=kam, account=child, year=2025, revenue=20)
    services.figures_put(actor=kam, account=grandchild, year=2025, revenue=3, revenue_target=5)
    services.figures_put(actor=kam, account=grandchild, year=2024, revenue=7)
    services.figures_put(actor=other_kam, account=unrelated, year=2025, revenue=9000)

    rows = {row["year"]: row for row in selectors.group_figures(group)}

    assert list(rows) == [2025, 2024]
    assert rows[2025]["revenue"] == Decimal("123")
    assert rows[2025]["revenue_target"] == Decimal("5")
    assert rows[2025]["revenue_potential"] == Decimal("1000")
    assert rows[2024]["revenue"] == Decimal("7")
    # From the middle of the group: that branch only.
    child_rows = {row["year"]: row["revenue"] for row in selectors.group_figures(child)}
    assert child_rows == {2025: Decimal("23"), 2024: Decimal("7")}


def test_group_figures_follow_a_moved_subsidiary_from_the_year_of_the_move(kam, head_of_sales):
    """This year's figures move with the subsidiary (and its own subsidiaries); last
    year's stay with the group it belonged to then (docs/numbers.md)."""
    year = timezone.localdate().year
    first = make_account(owner=kam, name="Erster Konzern")
    second = make_account(owner=kam, name="Zweiter Konzern")
    child = make_account(owner=kam, name="Tochter", parent=first)
    grandchild = make_account(owner=kam, name="Enkel", parent=child)
    services.figures_put(actor=kam, account=grandchild, year=year - 1, revenue=40)
    services.figures_put(actor=kam, account=grandchild, year=year, revenue=25)

    services.account_update(actor=kam, account=child, parent=second)

    assert [(r["year"], r["revenue"]) for r in selectors.group_figures(first)] == [
        (year - 1, Decimal("40"))
    ]
    assert [(r["year"], r["revenue"]) for r in selectors.group_figures(second)] == [
        (year, Decimal("25"))
    ]


def test_contact_cannot_report_to_someone_in_another_group(kam, account):
    other_group = make_account(owner=kam, name="Anderer Konzern")
    boss = make_contact(account=other_group, last_name="Chefin")
    with pytest.raises(ValidationError) as error:
        make_contact(account=account, last_name="Mitarbeiter", reports_to=boss)
    assert "reports_to" in error.value.message_dict
    assert not Contact.objects.filter(last_name="Mitarbeiter").exists()


def test_contact_may_report_to_someone_elsewhere_in_the_same_group(kam):
    group = make_account(owner=kam, name="Konzern")
    child = make_account(owner=kam, name="Tochter", parent=group)
    boss = make_contact(account=group, last_name="Vorstand")
    contact = make_contact(account=child, last_name="Werksleiter", reports_to=boss)
    assert contact.reports_to == boss


def test_reporting_loop_is_refused(kam, account):
    top = make_contact(account=account, last_name="Oben")
    middle = make_contact(account=account, last_name="Mitte", reports_to=top)
    bottom = make_contact(account=account, last_name="Unten", reports_to=middle)

    with pytest.raises(ValidationError) as error:
        services.contact_update(actor=kam, contact=top, reports_to=bottom)
    assert "reports_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.contact_update(actor=kam, contact=top, reports_to=top)
    assert Contact.objects.get(pk=top.pk).reports_to_id is None


def test_contact_mark_left_keeps_the_record_with_the_date(kam, account):
    contact = make_contact(account=account, last_name="Weg", buying_role="decision_maker")
    left_on = timezone.localdate() - timedelta(days=3)

    services.contact_mark_left(actor=kam, contact=contact, left_on=left_on)

    contact = Contact.objects.get(pk=contact.pk)
    assert not contact.is_active
    assert contact.left_on == left_on
    assert contact.buying_role == "decision_maker"


def test_contact_mark_left_defaults_to_today_and_refuses_the_future(kam, account):
    contact = make_contact(account=account)
    with pytest.raises(ValidationError) as error:
        services.contact_mark_left(
            actor=kam, contact=contact, left_on=timezone.localdate() + timedelta(days=1)
        )
    assert "left_on" in error.value.message_dict
    assert Contact.objects.get(pk=contact.pk).is_active

    services.contact_mark_left(actor=kam, contact=contact)
    assert Contact.objects.get(pk=contact.pk).left_on == timezone.localdate()


def test_changes_are_recorded_in_history(kam, account):
    services.account_update(actor=kam, account=account, status=Account.Status.KEY_ACCOUNT)
    services.figures_put(actor=kam, account=account, year=2025, revenue=10)
    contact = make_contact(account=account, last_name="Neu")
    services.contact_mark_left(actor=kam, contact=contact)

    account_rows = list(Account.history.filter(id=account.pk).order_by("history_date"))
    assert [row.history_type for row in account_rows] == ["+", "~"]
    change = account_rows[1].diff_against(account_rows[0])
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("status", "prospect", "key_account")
    ]
    assert YearlyFigures.history.filter(account_id=account.pk).count() == 1
    assert [row.is_active for row in Contact.history.filter(id=contact.pk)] == [False, True]


def test_moving_a_group_writes_no_history_for_the_path_only_change(kam):
    """The path is bookkeeping; the History tab must not fill with path rewrites."""
    first = make_account(owner=kam, name="Erster")
    second = make_account(owner=kam, name="Zweiter")
    child = make_account(owner=kam, name="Tochter", parent=first)
    grandchild = make_account(owner=kam, name="Enkel", parent=child)
    services.account_update(actor=kam, account=child, parent=second)
    assert Account.history.filter(id=grandchild.pk).count() == 1
    assert Account.history.filter(id=child.pk).count() == 2


@pytest.fixture
def searchable(kam, other_kam):
    mine = make_account(owner=kam, name="Bergmann Logistik", city="Hannover")
    make_contact(account=mine, last_name="Krause", email="j.krause@bergmann.example")
    theirs = make_account(owner=other_kam, name="Bergmann Werkzeuge", city="Hannover")
    make_contact(account=theirs, last_name="Krause", email="p.krause@werkzeuge.example")
    return mine, theirs


def test_search_finds_accounts_by_name_and_city_in_scope_only(kam, other_kam, searchable):
    mine, theirs = searchable
    assert selectors.search(kam, "bergmann")[0] == [mine]
    assert selectors.search(kam, "hannover")[0] == [mine]
    assert set(selectors.search(other_kam, "hannover")[0]) == {theirs}


def test_search_finds_contacts_by_email_and_name_in_scope_only(kam, outsider, searchable):
    _accounts, contacts = selectors.search(kam, "krause@bergmann")
    assert [c.email for c in contacts] == ["j.krause@bergmann.example"]
    _accounts, contacts = selectors.search(kam, "Krause")
    assert [c.email for c in contacts] == ["j.krause@bergmann.example"]
    assert selectors.search(outsider, "Krause") == ([], [])
    assert selectors.search(outsider, "Bergmann") == ([], [])


def test_search_ignores_one_letter_queries(kam, searchable):
    assert selectors.search(kam, " b ") == ([], [])
