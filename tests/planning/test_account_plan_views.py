"""The Planning tab of an account and the plan page: what a user sees and can do."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import current_year
from accounts.services import team_member_set
from planning.account_plan import services
from planning.models import AccountPlan
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = AccountPlan.Status


# The checks read English labels; the interface follows the user's language.
@pytest.fixture
def kam(kam):
    kam.language = "en"
    kam.save(update_fields=["language"])
    return kam


@pytest.fixture
def sales_rep(sales_rep):
    sales_rep.language = "en"
    sales_rep.save(update_fields=["language"])
    return sales_rep


def panel(account, year=None) -> str:
    url = reverse("planning:account_panel", args=[account.pk])
    return f"{url}?year={year}" if year else url


def make_plan(account, year, **fields) -> AccountPlan:
    return services.plan_create(actor=account.owner, account=account, year=year, **fields)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_full_page_load_of_the_panel_redirects_to_the_account_tab(kam_client, account):
    response = kam_client.get(panel(account))
    assert response.status_code == 302
    assert response.url == f"/accounts/{account.pk}/?tab=planning"
    response = kam_client.get(panel(account, 2025))
    assert response.url == f"/accounts/{account.pk}/?tab=planning&year=2025"


def test_account_page_offers_the_planning_tab(kam_client, account):
    response = kam_client.get(f"/accounts/{account.pk}/?tab=planning")
    assert f'hx-get="{panel(account)}" hx-trigger="load"' in response.text


def test_outsider_gets_404_everywhere(outsider_client, account):
    plan = make_plan(account, 2025)
    assert outsider_client.get(panel(account), **HTMX).status_code == 404
    assert (
        outsider_client.get(reverse("planning:account_plan_detail", args=[plan.pk])).status_code
        == 404
    )
    for name in ("account_plan_edit", "account_plan_review", "account_plan_status"):
        url = reverse(f"planning:{name}", args=[plan.pk])
        assert outsider_client.post(url, {"status": "active"}, **HTMX).status_code == 404
    for name in ("account_plan_create", "account_plan_copy"):
        url = reverse(f"planning:{name}", args=[account.pk, 2026])
        assert outsider_client.post(url, **HTMX).status_code == 404
    assert AccountPlan.objects.count() == 1


def test_panel_shows_the_plan_of_the_chosen_year(kam_client, account):
    make_plan(account, 2025, business_goals="Ziel 2025", strengths="Service\nQualität")
    make_plan(account, 2024, business_goals="Ziel 2024")
    response = kam_client.get(panel(account, 2025), **HTMX)
    page = text(response.text)
    assert "Ziel 2025" in page and "Ziel 2024" not in page
    assert "<li>Service</li><li>Qualität</li>" in response.text.replace("\n", "")
    # Every year with a plan, this year and the next are offered.
    for year in (2024, 2025, current_year(), current_year() + 1):
        assert f"?year={year}" in response.text


def test_panel_year_follows_the_page_address_on_reload(kam_client, account):
    make_plan(account, 2024, business_goals="Ziel 2024")
    current = f"http://testserver/accounts/{account.pk}/?tab=planning&year=2024"
    response = kam_client.get(panel(account), HTTP_HX_CURRENT_URL=current, **HTMX)
    assert "Ziel 2024" in response.text


def test_stale_plan_is_marked_with_text(kam, kam_client, account):
    plan = make_plan(account, 2025, status=Status.ACTIVE)
    services.plan_mark_reviewed(actor=kam, plan=plan, at=timezone.now() - timedelta(days=100))
    page = text(kam_client.get(panel(account, 2025), **HTMX).text)
    assert "STALE" in page
    assert f"Last reviewed by {kam} on" in page


def test_mark_reviewed_updates_the_plan_in_place(kam, kam_client, account):
    plan = make_plan(account, 2025, status=Status.ACTIVE)
    services.plan_mark_reviewed(actor=kam, plan=plan, at=timezone.now() - timedelta(days=100))
    url = reverse("planning:account_plan_review", args=[plan.pk])
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 200
    assert 'id="account-plan"' in response.text and "STALE" not in response.text
    assert "kam:toasts" in response.headers["HX-Trigger"]
    plan.refresh_from_db()
    assert plan.last_reviewed_by == kam
    assert timezone.now() - plan.last_reviewed_at < timedelta(minutes=1)


def test_edit_saves_texts_and_swot(kam_client, account):
    plan = make_plan(account, 2025)
    url = reverse("planning:account_plan_edit", args=[plan.pk])
    data = {"business_goals": "Mehr Umsatz", "threats": "Kampfpreise\nEigenfertigung"}
    response = kam_client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert "Mehr Umsatz" in response.text and "<li>Eigenfertigung</li>" in response.text
    plan.refresh_from_db()
    assert plan.threats == "Kampfpreise\nEigenfertigung"


def test_edit_error_is_shown_in_place_with_422(kam_client, account):
    plan = make_plan(account, 2025, business_goals="Alt")
    url = reverse("planning:account_plan_edit", args=[plan.pk])
    response = kam_client.post(url, {"business_goals": "x" * 10, "strategies": "\x00"}, **HTMX)
    assert response.status_code == 422
    assert "field-error" in response.text and '<details class="inline-form" open>' in response.text
    plan.refresh_from_db()
    assert plan.business_goals == "Alt"


def test_status_change_and_bad_status(kam_client, account):
    plan = make_plan(account, 2025)
    url = reverse("planning:account_plan_status", args=[plan.pk])
    response = kam_client.post(url, {"status": "active"}, **HTMX)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == Status.ACTIVE
    response = kam_client.post(url, {"status": "done"}, **HTMX)
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    plan.refresh_from_db()
    assert plan.status == Status.ACTIVE


def test_copy_button_only_when_last_year_has_a_plan_and_this_year_none(kam_client, account):
    label = "Start from last year's plan"
    assert label not in kam_client.get(panel(account, 2026), **HTMX).text
    make_plan(account, 2025, strategies="Weiter so")
    assert label in kam_client.get(panel(account, 2026), **HTMX).text
    assert label not in kam_client.get(panel(account, 2025), **HTMX).text


def test_copy_from_the_tab_shows_the_new_draft(kam_client, account):
    make_plan(account, 2025, strategies="Weiter so", opportunities="Neues Werk")
    url = reverse("planning:account_plan_copy", args=[account.pk, 2026])
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 200
    assert "Weiter so" in response.text and "<li>Neues Werk</li>" in response.text
    assert AccountPlan.objects.get(year=2026).status == Status.DRAFT
    # A second click (another tab, a double click) is refused with a message in place.
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 422
    assert "already has a plan for 2026" in response.text


def test_empty_plan_can_be_started(kam_client, account):
    url = reverse("planning:account_plan_create", args=[account.pk, 2027])
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 200
    assert AccountPlan.objects.get(account=account).year == 2027


def test_reader_sees_the_plan_without_buttons_and_may_not_post(kam, sales_rep, account):
    from django.test import Client

    team_member_set(actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False)
    plan = make_plan(account, 2025, business_goals="Sichtbar")
    client = Client()
    client.force_login(sales_rep)
    response = client.get(panel(account, 2025), **HTMX)
    assert "Sichtbar" in response.text and "Mark reviewed" not in response.text
    url = reverse("planning:account_plan_review", args=[plan.pk])
    assert client.post(url, **HTMX).status_code == 403


def test_non_htmx_post_redirects_back_to_the_tab(kam_client, account):
    plan = make_plan(account, 2025)
    response = kam_client.post(reverse("planning:account_plan_review", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url == f"/accounts/{account.pk}/?tab=planning&year=2025"


def test_plan_page_shows_the_history(kam, kam_client, account):
    plan = make_plan(account, 2025, business_goals="Erst")
    services.plan_update(actor=kam, plan=plan, business_goals="Dann")
    services.plan_set_status(actor=kam, plan=plan, status=Status.ACTIVE)
    response = kam_client.get(reverse("planning:account_plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    history = response.text.split('data-testid="plan-history"')[1]
    assert "<del>Erst</del> → <ins>Dann</ins>" in history
    assert "<del>Draft</del> → <ins>Active</ins>" in history


@pytest.mark.parametrize("years", [3, 15])
def test_panel_query_count_does_not_grow_with_plans(
    kam, kam_client, account, django_assert_num_queries, years
):
    this_year = current_year()
    for number in range(years):
        plan = make_plan(account, this_year - number, business_goals=f"Ziel {number}")
        services.plan_mark_reviewed(actor=kam, plan=plan)
    make_plan(make_account(owner=kam), this_year)
    with django_assert_num_queries(8):
        response = kam_client.get(panel(account), **HTMX)
    assert response.status_code == 200
    assert "Ziel 0" in response.text
    assert response.text.count("hx-push-url=") == years + 1  # years with plans + next year


def test_plain_form_post_with_errors_shows_the_plan_page_with_422(kam_client, account):
    plan = make_plan(account, 2025, business_goals="Alt")
    url = reverse("planning:account_plan_edit", args=[plan.pk])
    response = kam_client.post(url, {"business_goals": "Neu", "strategies": "\x00"})
    assert response.status_code == 422
    assert "<html" in response.text and "field-error" in response.text
    assert 'data-testid="plan-history"' in response.text
    plan.refresh_from_db()
    assert plan.business_goals == "Alt"
