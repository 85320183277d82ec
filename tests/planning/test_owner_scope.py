"""Owners of objectives and actions must be able to see the account (issue 29 item 6):
they are reminded with the account's name and the action's text."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from planning.action_plan import services
from tests.planning.action_plan_helpers import HTMX, YEAR, make_action, make_objective

pytestmark = pytest.mark.usefixtures("stages")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_refuses_an_action_owner_who_cannot_see_the_account(kam, account, outsider):
    action = make_action(make_objective(account))
    response = api(kam).patch(f"/api/v1/actions/{action.pk}/", {"owner": outsider.pk})
    assert response.status_code == 400
    assert "owner" in response.json()["errors"] or "owner" in str(response.json())
    action.refresh_from_db()
    assert action.owner == kam


def test_api_refuses_an_objective_owner_who_cannot_see_the_account(kam, account, outsider):
    objective = make_objective(account)
    response = api(kam).patch(f"/api/v1/objectives/{objective.pk}/", {"owner": outsider.pk})
    assert response.status_code == 400
    assert "owner" in str(response.json())
    objective.refresh_from_db()
    assert objective.owner == kam


def test_page_refuses_an_action_owner_who_cannot_see_the_account(
    kam, kam_client, account, outsider
):
    objective = make_objective(account)
    url = reverse("planning:action_plan_action_create", args=[objective.pk])
    data = {
        f"action-{objective.pk}-title": "Termin beim CFO",
        f"action-{objective.pk}-owner": outsider.username,
        f"action-{objective.pk}-due_on": f"{YEAR}-12-01",
    }
    response = kam_client.post(url, data, **HTMX)
    assert response.status_code == 422
    assert "mit Zugriff auf diesen Kunden" in response.content.decode()
    assert not objective.actions.exists()


def test_an_owner_who_lost_the_account_keeps_the_action_until_it_is_handed_on(
    kam, account, other_kam, outsider
):
    account_services.team_member_set(
        actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=False
    )
    action = make_action(make_objective(account), owner=other_kam)
    membership = account.team.get(user=other_kam)
    account_services.team_member_remove(actor=kam, account=account, membership_id=membership.pk)
    # Another field changes: fine; handing it to someone who cannot see it: refused.
    services.action_update(actor=kam, action=action, due_on=date(YEAR, 11, 1))
    with pytest.raises(ValidationError):
        services.action_update(actor=kam, action=action, owner=outsider)
