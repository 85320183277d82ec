"""The account list's "Revenue" sort reads this year's revenue stored on the account: every
figures write keeps it, New Year moves it, and until then the list sorts by the figures."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import revenue_key, services
from accounts.filters import AccountFilter
from accounts.models import Account, YearlyFigures, this_year
from accounts.selectors import account_list
from accounts.tasks import roll_over_revenue_keys
from tests.conftest import client_for
from tests.factories import make_account

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:list")
API = reverse("api-account-list")


def key_of(account: Account) -> tuple:
    account.refresh_from_db(fields=["revenue_key", "revenue_key_year"])
    return account.revenue_key, account.revenue_key_year


def put(account: Account, year: int, revenue: str) -> YearlyFigures:
    figures, _created = services.figures_put(
        actor=account.owner, account=account, year=year, revenue=Decimal(revenue)
    )
    return figures


def names_in_order(html: str, *names: str) -> list[str]:
    return sorted(names, key=html.index)


def test_every_figures_write_of_this_year_keeps_the_key(kam):
    account = make_account(owner=kam, name="Alpha GmbH")
    year = this_year()
    assert key_of(account) == (None, year)

    figures = put(account, year, "1200")
    assert key_of(account) == (Decimal("1200.00"), year)

    services.figures_patch(actor=kam, figures=figures, revenue=Decimal("800"))
    assert key_of(account) == (Decimal("800.00"), year)

    put(account, year - 1, "99999")  # another year: not the sort key
    # Next year has no actuals yet, only a target.
    services.figures_put(actor=kam, account=account, year=year + 1, revenue_target=Decimal("5"))
    assert key_of(account) == (Decimal("800.00"), year)

    services.figures_delete(actor=kam, account=account, year=year)
    assert key_of(account) == (None, year)


def test_a_target_set_for_this_year_makes_the_account_count_with_no_revenue(kam):
    account = make_account(owner=kam)
    services.figures_target_set(
        actor=kam, account=account, year=this_year(), revenue_target=Decimal("5000")
    )
    assert key_of(account) == (Decimal("0.00"), this_year())


def test_figures_changed_in_the_admin_move_the_sort(admin_user, kam):
    first = make_account(owner=kam, name="Erste AG")
    second = make_account(owner=kam, name="Zweite AG")
    put(first, this_year(), "100")
    figures = put(second, this_year(), "50")
    admin = client_for(admin_user)
    url = reverse("admin:accounts_yearlyfigures_change", args=[figures.pk])
    assert site.is_registered(YearlyFigures)
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(account=second.pk, revenue="500", contribution_margin="0")

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    html = client_for(kam).get(LIST, {"ordering": "-revenue"}).text
    assert names_in_order(html, "Erste AG", "Zweite AG") == ["Zweite AG", "Erste AG"]


def test_until_new_year_is_rolled_over_the_list_sorts_by_this_years_figures(kam):
    """At New Year the keys still hold last year's revenue: the list must not use them."""
    year = this_year()
    last_years_star = make_account(owner=kam, name="Vorjahr AG")
    this_years_star = make_account(owner=kam, name="Heuer GmbH")
    put(last_years_star, year, "10")
    put(this_years_star, year, "1000")
    Account.objects.filter(pk=last_years_star.pk).update(
        revenue_key=Decimal("99999"), revenue_key_year=year - 1
    )
    client = client_for(kam)

    html = client.get(LIST, {"ordering": "-revenue"}).text
    assert names_in_order(html, "Vorjahr AG", "Heuer GmbH") == ["Heuer GmbH", "Vorjahr AG"]
    assert revenue_key.sort_field() == "year_revenue"

    assert roll_over_revenue_keys() == 1
    assert key_of(last_years_star) == (Decimal("10.00"), year)
    assert roll_over_revenue_keys() == 0  # the other nights find nothing to do
    assert revenue_key.sort_field() == "revenue_key"
    html = client.get(LIST, {"ordering": "-revenue"}).text
    assert names_in_order(html, "Vorjahr AG", "Heuer GmbH") == ["Heuer GmbH", "Vorjahr AG"]


def test_an_account_without_figures_of_the_new_year_has_no_key_after_new_year(kam):
    account = make_account(owner=kam)
    put(account, this_year() - 1, "700")
    Account.objects.filter(pk=account.pk).update(
        revenue_key=Decimal("700"), revenue_key_year=this_year() - 1
    )
    roll_over_revenue_keys()
    assert key_of(account) == (None, this_year())


@pytest.mark.parametrize("rows", [3, 30])
def test_the_revenue_sorted_list_runs_the_same_queries_for_any_size(
    kam, kam_client, django_assert_num_queries, rows
):
    for number in range(rows):
        put(make_account(owner=kam, name=f"Firma {number:02d}"), this_year(), str(number))
    with django_assert_num_queries(7):  # the list's six and the check that keys are current
        html = kam_client.get(LIST, {"ordering": "-revenue"}).text
    top = [f"Firma {number:02d}" for number in range(rows - 1, rows - 4, -1)]  # biggest first
    assert names_in_order(html, *reversed(top)) == top


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")
@pytest.mark.parametrize(
    ("ordering", "index"),
    [("-revenue", "account_revenue_desc_idx"), ("revenue", "account_revenue_asc_idx")],
)
def test_a_head_of_sales_sorted_page_walks_the_index(kam, head_of_sales, ordering, index):
    accounts = Account.objects.bulk_create(
        Account(name=f"Kunde {n:04d}", owner=kam, path="") for n in range(2000)
    )
    YearlyFigures.objects.bulk_create(
        YearlyFigures(account=account, year=this_year(), revenue=Decimal(n % 997))
        for n, account in enumerate(accounts)
        if n % 5
    )
    revenue_key.refresh([account.pk for account in accounts])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_account")
        cursor.execute("ANALYZE accounts_yearlyfigures")
        page = AccountFilter({"ordering": ordering}, queryset=account_list(head_of_sales)).qs
        plan = page[:25].explain()
    outer = plan.split("SubPlan")[0]  # the page itself; the subplans are per row
    assert f"Index Scan using {index}" in outer
    assert "Sort" not in outer


def test_a_figures_row_moved_to_another_account_in_the_admin_moves_both_keys(admin_user, kam):
    wrong = make_account(owner=kam, name="Falsch AG")
    right = make_account(owner=kam, name="Richtig AG")
    figures = put(wrong, this_year(), "500")
    url = reverse("admin:accounts_yearlyfigures_change", args=[figures.pk])
    admin = client_for(admin_user)
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(account=right.pk, revenue="500", contribution_margin="0")

    assert admin.post(url, data).status_code == 302

    assert key_of(wrong) == (None, this_year())
    assert key_of(right) == (Decimal("500.00"), this_year())


def test_figures_written_around_the_signals_are_mended_by_the_command(kam):
    account = make_account(owner=kam)
    put(account, this_year(), "100")
    YearlyFigures.objects.filter(account=account).update(revenue=Decimal("700"))  # no signal
    assert key_of(account) == (Decimal("100.00"), this_year())

    call_command("refresh_revenue_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert key_of(account) == (Decimal("700.00"), this_year())


def test_deleting_an_account_with_figures_deletes_them_without_touching_others(kam):
    gone = make_account(owner=kam, name="Weg GmbH")
    kept = make_account(owner=kam, name="Bleibt GmbH")
    for year in range(this_year() - 4, this_year() + 1):
        put(gone, year, "300")
    put(kept, this_year(), "200")

    with CaptureQueriesContext(connection) as captured:
        Account.objects.filter(pk=gone.pk).delete()

    assert not YearlyFigures.objects.filter(account_id=gone.pk).exists()
    assert key_of(kept) == (Decimal("200.00"), this_year())
    # The five figures rows go with their account: no key is refreshed for each of them.
    updates = [
        q for q in captured.captured_queries if q["sql"].startswith('UPDATE "accounts_account"')
    ]
    assert updates == []
