"""Writes on objectives and actions: reasons for adjustments, closed years, scope, done
dates, history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services as account_services
from planning.action_plan import services
from planning.models import Action, Objective, ObjectiveAdjustment
from tests.factories import make_account
from tests.planning.action_plan_helpers import YEAR, make_action, make_objective


def test_changing_the_target_without_a_reason_is_refused(kam, account):
    objective = make_objective(account, target_value=Decimal("800000"))
    with pytest.raises(ValidationError) as error:
        services.objective_update(
            actor=kam, objective=objective, target_value=Decimal("700000"), reason="  "
        )
    assert "reason" in error.value.message_dict
    objective.refresh_from_db()
    assert objective.target_value == Decimal("800000")
    assert not ObjectiveAdjustment.objects.exists()


def test_changing_target_and_due_date_records_both_with_reason_and_author(kam, account):
    objective = make_objective(account, target_value=Decimal("800000"), due_on=date(YEAR, 12, 31))
    services.objective_update(
        actor=kam,
        objective=objective,
        target_value=Decimal("700000"),
        due_on=date(YEAR + 1, 3, 31),
        reason="Großauftrag verschoben",
    )
    adjustments = {a.field: a for a in objective.adjustments.all()}
    assert adjustments["target_value"].old_value == "800000.00"
    assert adjustments["target_value"].new_value == "700000.00"
    assert adjustments["due_on"].old_value == f"{YEAR}-12-31"
    assert adjustments["due_on"].new_value == f"{YEAR + 1}-03-31"
    assert {a.reason for a in adjustments.values()} == {"Großauftrag verschoben"}
    assert {a.changed_by for a in adjustments.values()} == {kam}


def test_other_changes_need_no_reason_and_leave_no_adjustment(kam, account):
    objective = make_objective(account)
    services.objective_update(
        actor=kam, objective=objective, title="Neuer Titel", status=Objective.Status.IN_PROGRESS
    )
    services.objective_update(actor=kam, objective=objective, target_value=Decimal("800000"))
    objective.refresh_from_db()
    assert objective.title == "Neuer Titel"
    assert not objective.adjustments.exists()
    assert objective.history.count() == 2  # created, changed


def test_a_due_date_in_a_closed_year_is_refused(kam, account):
    with pytest.raises(ValidationError) as error:
        make_objective(account, due_on=date(YEAR - 1, 12, 31))
    assert "due_on" in error.value.message_dict
    objective = make_objective(account)
    with pytest.raises(ValidationError) as error:
        services.objective_update(
            actor=kam, objective=objective, due_on=date(YEAR - 1, 6, 30), reason="Zurück"
        )
    assert "due_on" in error.value.message_dict
    assert not objective.adjustments.exists()


def test_an_objective_for_a_closed_year_is_refused(kam, account):
    with pytest.raises(ValidationError) as error:
        make_objective(account, year=YEAR - 1, due_on=date(YEAR, 1, 31))
    assert "year" in error.value.message_dict


def test_revenue_objectives_need_a_target(kam, account):
    with pytest.raises(ValidationError) as error:
        make_objective(account, target_value=None)
    assert "target_value" in error.value.message_dict


def test_objective_for_an_account_outside_the_scope_is_refused(outsider, account):
    with pytest.raises(PermissionDenied):
        make_objective(account, actor=outsider)
    assert not Objective.objects.exists()


def test_a_reader_on_the_team_may_not_add_objectives(account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    with pytest.raises(PermissionDenied):
        make_objective(account, actor=sales_rep)


def test_complete_sets_the_done_date_and_reopen_clears_it(kam, account):
    action = make_action(make_objective(account))
    services.action_complete(actor=kam, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.done_on == timezone.localdate()
    services.action_reopen(actor=kam, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN and action.done_on is None


def test_an_action_created_as_done_gets_a_done_date(kam, account):
    action = make_action(make_objective(account), status=Action.Status.DONE)
    assert action.done_on == timezone.localdate()


def test_outsider_may_not_change_actions(kam, account, outsider, other_kam):
    action = make_action(make_objective(account))
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=outsider, action=action)
    foreign = make_account(owner=other_kam)
    with pytest.raises(PermissionDenied):
        make_objective(foreign, actor=kam)
