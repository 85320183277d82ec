"""Business-case services: validation in one place, scope and permission checks."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planning.business_cases import services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

# The interface speaks German by default.
HORIZON_ERROR = "Der Betrachtungszeitraum muss mindestens ein Jahr betragen."

SCENARIO = {"name": "Basis", "yearly_volume": D("100"), "unit_price": D("10")}


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def case(account, kam):
    return services.business_case_create(
        actor=kam, account=account, title="Servo-Umrüstung", horizon_years=3
    )


def test_horizon_of_zero_years_is_refused_with_a_field_error(account, kam):
    with pytest.raises(ValidationError) as exc:
        services.business_case_create(actor=kam, account=account, title="X", horizon_years=0)
    assert exc.value.message_dict["horizon_years"] == [HORIZON_ERROR]


def test_negative_volume_is_refused_and_nothing_is_saved(case, kam):
    with pytest.raises(ValidationError) as exc:
        services.scenario_create(actor=kam, case=case, **{**SCENARIO, "yearly_volume": D("-5")})
    assert "yearly_volume" in exc.value.message_dict
    assert case.scenarios.count() == 0


def test_scenarios_are_numbered_in_the_order_they_are_added(case, kam):
    first = services.scenario_create(actor=kam, case=case, **SCENARIO)
    second = services.scenario_create(actor=kam, case=case, **{**SCENARIO, "name": "Upgrade"})
    assert (first.position, second.position) == (0, 1)


def test_opportunity_of_another_account_is_refused(account, kam):
    other = make_account(owner=kam, name="Andere AG")
    deal = make_opportunity(account=other)
    with pytest.raises(ValidationError) as exc:
        services.business_case_create(actor=kam, account=account, title="X", opportunity=deal)
    assert "opportunity" in exc.value.message_dict


def test_a_reader_may_not_add_scenarios(case, outsider):
    with pytest.raises(PermissionDenied):
        services.scenario_create(actor=outsider, case=case, **SCENARIO)


def test_changes_to_a_case_are_kept_in_its_history(case, kam):
    services.business_case_update(actor=kam, case=case, horizon_years=5)
    assert [h.horizon_years for h in case.history.order_by("history_date")] == [3, 5]
