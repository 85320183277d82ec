"""Action plan pages: the account section with its inline forms, the Plans page and the
"Open plan actions" on My work. Scope, htmx partials, errors in place, query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from planning.action_plan import services
from planning.models import Action, Objective, ObjectiveAdjustment
from tests.conftest import client_for
from tests.factories import make_account
from tests.planning.action_plan_helpers import (
    HTMX,
    YEAR,
    make_action,
    make_objective,
    open_deal,
    set_revenue,
)

pytestmark = pytest.mark.usefixtures("stages")
PLANS = reverse("planning:plans")


def section_url(account, year=None) -> str:
    url = reverse("planning:action_plan_account_section", args=[account.pk])
    return f"{url}?year={year}" if year else url


def objective_data(**overrides) -> dict:
    data = {
        "objective-kind": "revenue",
        "objective-title": "Umsatz auf 900 T€",
        "objective-year": str(YEAR),
        "objective-target_value": "900000",
        "objective-owner": "",
        "objective-due_on": f"{YEAR}-12-31",
    }
    return data | overrides


# --- the account section -------------------------------------------------------------------


def test_section_shows_objectives_with_progress_forecast_and_actions(kam, kam_client, account):
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    open_deal(account, "100000", 25)
    objective = make_objective(account, title="Umsatzziel")
    make_action(objective, title="Jahresgespräch vorbereiten")

    response = kam_client.get(section_url(account), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment
    assert "Umsatzziel" in html and "Jahresgespräch vorbereiten" in html
    assert "600.000 €" in html and "125.000 €" in html and "725.000 €" in html
    assert "90,6 %" in html
    assert 'data-testid="verdict"' in html
    assert "<progress" in html
    assert "0 von 1 Maßnahme erledigt" in html or "0 of 1 action done" in html


def test_section_full_load_is_a_page_of_its_own(kam_client, account):
    make_objective(account, title="Umsatzziel")
    response = kam_client.get(section_url(account))
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "Umsatzziel" in response.content.decode()


def test_outsider_gets_404_on_the_section_and_every_write(outsider_client, account, kam):
    objective = make_objective(account)
    action = make_action(objective)
    assert outsider_client.get(section_url(account), **HTMX).status_code == 404
    posts = [
        reverse("planning:action_plan_objective_create", args=[account.pk]),
        reverse("planning:action_plan_objective_adjust", args=[objective.pk]),
        reverse("planning:action_plan_objective_edit", args=[objective.pk]),
        reverse("planning:action_plan_action_create", args=[objective.pk]),
        reverse("planning:action_plan_action_done", args=[action.pk]),
        reverse("planning:action_plan_action_reopen", args=[action.pk]),
    ]
    for url in posts:
        assert outsider_client.post(url, {}, **HTMX).status_code == 404, url
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_a_reader_sees_the_plan_but_no_forms(account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    objective = make_objective(account, title="Umsatzziel")
    make_action(objective)
    reader = client_for(sales_rep)
    html = reader.get(section_url(account), **HTMX).content.decode()
    assert "Umsatzziel" in html and 'data-testid="add-objective"' not in html
    assert 'data-testid="action-done"' not in html
    url = reverse("planning:action_plan_action_create", args=[objective.pk])
    assert reader.post(url, {}, **HTMX).status_code == 403


def test_add_objective_inline(kam, kam_client, account):
    url = reverse("planning:action_plan_objective_create", args=[account.pk])
    response = kam_client.post(url, objective_data(), **HTMX)
    assert response.status_code == 200
    objective = Objective.objects.get()
    assert objective.owner == kam and objective.target_value == Decimal("900000")
    assert "Umsatz auf 900 T€" in response.content.decode()


def test_add_objective_with_errors_comes_back_in_place_with_422(kam_client, account):
    url = reverse("planning:action_plan_objective_create", args=[account.pk])
    response = kam_client.post(
        url,
        objective_data(**{"objective-due_on": f"{YEAR - 1}-12-31", "objective-title": "X"}),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="action-plan-section"' in html and "<html" not in html
    assert "geschlossenes Jahr" in html or "closed year" in html
    assert not Objective.objects.exists()


def test_ticking_an_action_done_returns_the_objective_with_new_progress(kam_client, account):
    objective = make_objective(account, kind="new_market", title="Markt Polen")
    first = make_action(objective)
    make_action(objective)

    response = kam_client.post(reverse("planning:action_plan_action_done", args=[first.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="objective" id="objective-{objective.pk}"')
    assert "1 von 2 Maßnahmen erledigt" in html or "1 of 2 actions done" in html
    assert "(50,0 %)" in html
    first.refresh_from_db()
    assert first.done_on == timezone.localdate()

    response = kam_client.post(
        reverse("planning:action_plan_action_reopen", args=[first.pk]), **HTMX
    )
    assert "0 von 2" in response.content.decode() or "0 of 2" in response.content.decode()


def test_adjusting_without_reason_shows_the_error_in_place(kam_client, account):
    objective = make_objective(account)
    url = reverse("planning:action_plan_objective_adjust", args=[objective.pk])
    prefix = f"adjust-{objective.pk}"
    response = kam_client.post(
        url,
        {f"{prefix}-target_value": "700000", f"{prefix}-due_on": f"{YEAR}-12-31"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="objective-{objective.pk}"' in html
    assert 'class="field-error"' in html
    objective.refresh_from_db()
    assert objective.target_value == Decimal("800000")


def test_adjusting_with_reason_lists_the_adjustment(kam, kam_client, account):
    objective = make_objective(account)
    url = reverse("planning:action_plan_objective_adjust", args=[objective.pk])
    prefix = f"adjust-{objective.pk}"
    response = kam_client.post(
        url,
        {
            f"{prefix}-target_value": "700000",
            f"{prefix}-due_on": f"{YEAR}-12-31",
            f"{prefix}-reason": "Werk in Polen schließt",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Werk in Polen schließt" in html
    assert "800.000 €" in html and "700.000 €" in html
    assert ObjectiveAdjustment.objects.get().changed_by == kam


def test_add_action_with_errors_keeps_the_form_open(kam_client, account):
    objective = make_objective(account)
    url = reverse("planning:action_plan_action_create", args=[objective.pk])
    response = kam_client.post(url, {f"action-{objective.pk}-title": ""}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        'data-testid="add-action"' in html
        and "open" in html.split('data-testid="add-action"')[0][-20:]
    )
    assert not Action.objects.exists()


@pytest.mark.parametrize("count", [3, 15])
def test_section_query_count_is_constant(
    kam, kam_client, account, django_assert_num_queries, count
):
    set_revenue(account, "100000")
    open_deal(account, "50000", 50)
    for index in range(count):
        objective = make_objective(account, title=f"Ziel {index}")
        make_action(objective)
        services.objective_update(
            actor=kam, objective=objective, target_value=Decimal("850000"), reason="Neu"
        )
    # With the deals behind the forecasts and the group figures.
    with django_assert_num_queries(13):
        response = kam_client.get(section_url(account), **HTMX)
    assert response.content.decode().count('data-testid="objective"') == count


# --- the Plans page ------------------------------------------------------------------------


def test_plans_page_lists_objectives_at_risk_and_overdue_actions(kam, kam_client, account):
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    open_deal(account, "100000", 25)
    at_risk = make_objective(account, title="Gefährdetes Ziel")
    safe = make_account(owner=kam, name="Sicher GmbH")
    set_revenue(safe, "900000")
    make_objective(safe, title="Sicheres Ziel")
    make_objective(account, kind="relationship", title="Beziehungsziel")
    make_action(at_risk, title="Längst fällig", due_on=timezone.localdate() - timedelta(days=3))
    make_action(at_risk, title="Noch Zeit", due_on=timezone.localdate() + timedelta(days=3))

    html = kam_client.get(PLANS).content.decode()

    risky = html[html.index('data-testid="objectives-at-risk"') :]
    assert "Gefährdetes Ziel" in risky and "90,6 %" in risky and "725.000 €" in risky
    assert "Sicheres Ziel" not in html and "Beziehungsziel" not in html
    overdue = html[html.index('data-testid="overdue-actions"') :]
    assert "Längst fällig" in overdue and "Noch Zeit" not in overdue


def test_plans_page_filters_by_owner_and_year_in_the_url(kam, kam_client, account, other_kam):
    account_services.team_member_set(
        actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=True
    )
    make_objective(account, title="Ziel von kam")
    make_objective(account, title="Ziel der Kollegin", owner=other_kam)
    make_objective(account, title="Ziel nächstes Jahr", year=YEAR + 1, due_on=date(YEAR + 1, 6, 1))

    def titles(**query):
        html = kam_client.get(PLANS, query, **HTMX).content.decode()
        return {t for t in ("Ziel von kam", "Ziel der Kollegin", "Ziel nächstes Jahr") if t in html}

    assert titles() == {"Ziel von kam", "Ziel der Kollegin"}
    assert titles(owner=other_kam.pk) == {"Ziel der Kollegin"}
    assert titles(year=YEAR + 1) == {"Ziel nächstes Jahr"}
    page = kam_client.get(PLANS, {"year": YEAR + 1}).content.decode()
    assert f'value="{YEAR + 1}"' in page  # the filter keeps its state


def test_plans_page_shows_nothing_of_other_accounts(outsider_client, account):
    make_objective(account, title="Geheimes Ziel")
    html = outsider_client.get(PLANS).content.decode()
    assert "Geheimes Ziel" not in html


@pytest.mark.parametrize("count", [3, 15])
def test_plans_page_query_count_is_constant(kam, kam_client, django_assert_num_queries, count):
    past = timezone.localdate() - timedelta(days=1)
    for index in range(count):
        account = make_account(owner=kam, name=f"Kunde {index}")
        set_revenue(account, "100000")
        objective = make_objective(account, title=f"Ziel {index}")
        make_action(objective, title=f"Überfällig {index}", due_on=past)
    # The page's objectives are picked by their stored forecast first, then read in full,
    # then their group figures.
    with django_assert_num_queries(10):
        response = kam_client.get(PLANS)
    html = response.content.decode()
    assert html.count("Überfällig ") == count


# --- My work -------------------------------------------------------------------------------


def test_my_work_lists_my_open_plan_actions(kam, kam_client, account, other_kam):
    objective = make_objective(account, title="Umsatzziel")
    make_action(objective, title="Meine Maßnahme")
    done = make_action(objective, title="Erledigte Maßnahme")
    services.action_complete(actor=kam, action=done)
    account_services.team_member_set(
        actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=True
    )
    make_action(objective, title="Fremde Maßnahme", owner=other_kam)

    html = kam_client.get(reverse("activities:my_work")).content.decode()

    section = html[html.index('data-testid="open-plan-actions"') :]
    assert "Meine Maßnahme" in section and "Umsatzziel" in section and account.name in section
    assert "Erledigte Maßnahme" not in html and "Fremde Maßnahme" not in html


def test_plans_page_lists_stale_account_plans(kam, kam_client, account):
    from planning.account_plan import services as plan_services
    from planning.models import AccountPlan

    stale = make_account(owner=kam, name="Vergessen GmbH")
    plan = plan_services.plan_create(actor=kam, account=stale, year=YEAR)
    AccountPlan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=200))
    plan_services.plan_create(actor=kam, account=account, year=YEAR)  # fresh

    html = kam_client.get(PLANS).content.decode()

    section = html[html.index('data-testid="stale-plans"') : html.index('data-testid="objectives')]
    assert "Vergessen GmbH" in section and account.name not in section


def test_edit_objective_status_and_owner_without_reason(kam, kam_client, account, other_kam):
    # The new owner must see the account: on its team.
    account_services.team_member_set(
        actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=False
    )
    objective = make_objective(account, title="Alt")
    prefix = f"edit-{objective.pk}"
    response = kam_client.post(
        reverse("planning:action_plan_objective_edit", args=[objective.pk]),
        {f"{prefix}-title": "Neu", f"{prefix}-owner": other_kam.pk, f"{prefix}-status": "achieved"},
        **HTMX,
    )
    assert response.status_code == 200
    objective.refresh_from_db()
    assert (objective.title, objective.owner, objective.status) == ("Neu", other_kam, "achieved")
    assert not objective.adjustments.exists()


def test_forms_work_without_htmx_too(kam_client, account):
    objective = make_objective(account)
    action = make_action(objective)
    response = kam_client.post(reverse("planning:action_plan_action_done", args=[action.pk]))
    assert response.status_code == 302
    assert response["Location"] == section_url(account, YEAR)
    response = kam_client.post(
        reverse("planning:action_plan_objective_adjust", args=[objective.pk]),
        {f"adjust-{objective.pk}-target_value": "1", f"adjust-{objective.pk}-due_on": "x"},
    )
    assert response.status_code == 422 and "<html" in response.content.decode()
