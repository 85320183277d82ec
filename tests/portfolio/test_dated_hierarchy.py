"""Moving a subsidiary to another group moves this year's figures, never past years'.

Revenue per account, the same in each of the three years:
- Gerlach Holding (group G) 100, its subsidiary Sommer GmbH 50;
- Hanke AG (group H) 30;
- Kolb KG 20.
Before the move (and for the two past years after it): units G+S = 150 (75 %), H = 30
(15 %), K = 20 (10 %); HHI = 75² + 15² + 10² = 5,950.
This year, after Sommer moves to Hanke: G = 100 (50 %), H+S = 80 (40 %), K = 20 (10 %);
HHI = 50² + 40² + 10² = 4,200.
"""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AccountPlacement
from accounts.selectors import group_figures
from planning.action_plan.selectors import with_forecast
from planning.models import Objective
from portfolio import concentration
from tests.conftest import client_for
from tests.factories import make_account

YEAR = timezone.localdate().year
PAST = [YEAR - 2, YEAR - 1]
D = Decimal


def put(account, revenue, year):
    account_services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=D(revenue),
        contribution_margin=D(revenue) / 10,
        actuals_as_of=timezone.localdate() if year == YEAR else None,
    )


@pytest.fixture
def groups(head_of_sales):
    g = make_account(owner=head_of_sales, name="Gerlach Holding")
    s = make_account(owner=head_of_sales, name="Sommer GmbH", parent=g)
    h = make_account(owner=head_of_sales, name="Hanke AG")
    k = make_account(owner=head_of_sales, name="Kolb KG")
    for year in [*PAST, YEAR]:
        for account, revenue in [(g, 100), (s, 50), (h, 30), (k, 20)]:
            put(account, revenue, year)
    return {"g": g, "s": s, "h": h, "k": k}


def move(actor, account, parent):
    account_services.account_update(actor=actor, account=account, parent=parent)
    account.refresh_from_db()


def hhi_by_year() -> dict[int, Decimal | None]:
    return {summary.year: summary.hhi for summary in concentration.year_summaries()}


def test_past_years_keep_their_hhi_and_this_year_follows_the_move(groups, head_of_sales):
    assert hhi_by_year() == {PAST[0]: D("5950.0"), PAST[1]: D("5950.0"), YEAR: D("5950.0")}

    move(head_of_sales, groups["s"], groups["h"])

    assert hhi_by_year() == {PAST[0]: D("5950.0"), PAST[1]: D("5950.0"), YEAR: D("4200.0")}


def test_ranked_units_of_last_year_keep_the_group_as_it_stood(groups, head_of_sales):
    move(head_of_sales, groups["s"], groups["h"])

    last_year = concentration.ranked_units(year=YEAR - 1)
    assert [(row.name, row.revenue, row.revenue_share) for row in last_year] == [
        ("Gerlach Holding", D("150.00"), D("75.0")),
        ("Hanke AG", D("30.00"), D("15.0")),
        ("Kolb KG", D("20.00"), D("10.0")),
    ]
    this_year = concentration.ranked_units(year=YEAR)
    assert [(row.name, row.revenue, row.revenue_share) for row in this_year] == [
        ("Gerlach Holding", D("100.00"), D("50.0")),
        ("Hanke AG", D("80.00"), D("40.0")),
        ("Kolb KG", D("20.00"), D("10.0")),
    ]


def test_the_subsidiarys_share_is_of_the_group_it_belonged_to_that_year(groups, head_of_sales):
    move(head_of_sales, groups["s"], groups["h"])

    last_year = concentration.unit_share(groups["s"], year=YEAR - 1)
    assert (last_year.unit_name, last_year.revenue, last_year.revenue_share) == (
        "Gerlach Holding",
        D("150.00"),
        D("75.0"),
    )
    this_year = concentration.unit_share(groups["s"], year=YEAR)
    assert (this_year.unit_name, this_year.revenue, this_year.revenue_share) == (
        "Hanke AG",
        D("80.00"),
        D("40.0"),
    )


def test_group_totals_per_year_count_the_members_of_that_year(groups, head_of_sales):
    move(head_of_sales, groups["s"], groups["h"])

    old_group = {row["year"]: row["revenue"] for row in group_figures(groups["g"])}
    new_group = {row["year"]: row["revenue"] for row in group_figures(groups["h"])}
    assert old_group == {YEAR: D("100.00"), YEAR - 1: D("150.00"), YEAR - 2: D("150.00")}
    assert new_group == {YEAR: D("80.00"), YEAR - 1: D("30.00"), YEAR - 2: D("30.00")}


def test_objectives_sum_the_group_of_their_year_and_this_years_run_rate_base(groups, head_of_sales):
    # Last year's objective, as it stands among the closed years (planned back then).
    last_years = Objective.objects.create(
        account=groups["g"], year=YEAR - 1, kind=Objective.Kind.REVENUE, title="Umsatz",
        target_value=D("200"), owner=head_of_sales, due_on=timezone.localdate(),
    )  # fmt: skip
    this_years = Objective.objects.create(
        account=groups["h"], year=YEAR, kind=Objective.Kind.REVENUE, title="Umsatz",
        target_value=D("200"), owner=head_of_sales, due_on=timezone.localdate(),
    )  # fmt: skip

    move(head_of_sales, groups["s"], groups["h"])

    rows = {row.pk: row for row in with_forecast(Objective.objects.all())}
    # Last year: Gerlach with Sommer, as then; its run-rate base (the year before) too.
    assert rows[last_years.pk].actual_revenue == D("150")
    assert rows[last_years.pk].last_year_revenue == D("150")
    # This year: Hanke with Sommer, and last year's revenue of both as the run-rate base.
    assert rows[this_years.pk].actual_revenue == D("80")
    assert rows[this_years.pk].last_year_revenue == D("80")


def test_a_move_records_the_placements_of_the_whole_subtree(groups, head_of_sales):
    sub = make_account(owner=head_of_sales, name="Sommer Service", parent=groups["s"])
    today = timezone.localdate()

    move(head_of_sales, groups["s"], groups["h"])

    rows = AccountPlacement.objects.filter(account=sub).order_by("pk")
    s, h, g = groups["s"].pk, groups["h"].pk, groups["g"].pk
    assert [(r.path, r.valid_from, r.valid_to) for r in rows] == [
        (f"/{g}/{s}/{sub.pk}/", None, today),
        (f"/{h}/{s}/{sub.pk}/", today, None),
    ]
    assert rows.last().parent_id == s


def test_moving_twice_on_one_day_keeps_one_row_per_day(groups, head_of_sales):
    move(head_of_sales, groups["s"], groups["h"])
    move(head_of_sales, groups["s"], groups["k"])

    rows = AccountPlacement.objects.filter(account=groups["s"]).order_by("pk")
    today = timezone.localdate()
    g, k = groups["g"].pk, groups["k"].pk
    assert [(r.parent_id, r.valid_from, r.valid_to) for r in rows] == [
        (g, None, today),
        (k, today, None),
    ]
    assert hhi_by_year()[YEAR - 1] == D("5950.0")


def inline_data(page) -> dict:
    """The admin page's inline forms as the browser sends them back unchanged."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            for name in form.fields:
                value = form.instance.pk if name == "id" else form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_the_admin_moves_through_the_service(groups, admin_user):
    """The admin rewrote the parent alone: the paths stayed, the group figures did not
    follow. Now it moves like the app: paths rewritten, past years kept."""
    admin = client_for(admin_user)
    url = reverse("admin:accounts_account_change", args=[groups["s"].pk])
    page = admin.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(parent=groups["h"].pk)
    data.update(inline_data(page))

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    groups["s"].refresh_from_db()
    assert groups["s"].path == f"/{groups['h'].pk}/{groups['s'].pk}/"
    assert hhi_by_year() == {PAST[0]: D("5950.0"), PAST[1]: D("5950.0"), YEAR: D("4200.0")}


def test_an_account_added_in_the_admin_gets_its_path_under_its_parent(groups, admin_user):
    admin = client_for(admin_user)
    url = reverse("admin:accounts_account_add")
    page = admin.get(url)
    data = {"name": "Gerlach Logistik", "owner": admin_user.pk, "parent": groups["g"].pk}
    data.update(customer_type="other", status="prospect", tier="C", revenue_key_year=str(YEAR))
    data.update(inline_data(page))

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = groups["g"].subsidiaries.get(name="Gerlach Logistik")
    assert added.path == f"/{groups['g'].pk}/{added.pk}/"
    assert AccountPlacement.objects.filter(account=added, valid_to=None).exists()


def test_the_migration_places_every_account_where_it_stands_since_the_beginning(groups):
    AccountPlacement.objects.all().delete()
    migration = importlib.import_module("accounts.migrations.0012_account_placements")

    migration.current_placements(apps, None)

    s = AccountPlacement.objects.get(account=groups["s"])
    assert (s.parent_id, s.path, s.valid_from, s.valid_to) == (
        groups["g"].pk,
        groups["s"].path,
        None,
        None,
    )
    assert AccountPlacement.objects.count() == 4


def test_an_account_loaded_without_placements_keeps_its_past_when_moved(groups, head_of_sales):
    """Accounts loaded around the services have no rows: the first move records the old
    place since the beginning."""
    AccountPlacement.objects.all().delete()

    move(head_of_sales, groups["s"], groups["h"])

    assert hhi_by_year() == {PAST[0]: D("5950.0"), PAST[1]: D("5950.0"), YEAR: D("4200.0")}
    held = AccountPlacement.objects.get(account=groups["s"], valid_from=None)
    assert (held.parent_id, held.valid_to) == (groups["g"].pk, timezone.localdate())
