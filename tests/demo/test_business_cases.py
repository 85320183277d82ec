"""The demo business cases and whitespace matrices: on demo key accounts, repeatable."""

from accounts.models import Account
from planning.business_cases import demo as cases_demo
from planning.business_cases.selectors import with_results
from planning.models import BusinessCase, BusinessUnit, WhitespaceCell
from planning.whitespace import demo as whitespace_demo
from planning.whitespace.selectors import whitespace_matrix


def test_demo_cases_and_matrices_are_on_key_accounts_and_running_again_creates_nothing(demo_users):
    users = demo_users
    cases = BusinessCase.objects.prefetch_related("scenarios").select_related("account")
    assert len(cases) == 2
    assert sum(len(case.scenarios.all()) for case in cases) == 5
    for case in cases:
        assert case.account.status == Account.Status.KEY_ACCOUNT
        scenarios = with_results(case).scenarios.all()
        assert 2 <= len(scenarios) <= 3
        assert all(s.result is not None for s in scenarios)
        # Each case shows at least one scenario that pays back for the customer.
        assert any(s.result.payback_reached for s in scenarios)

    assert BusinessUnit.objects.exists() and WhitespaceCell.objects.exists()
    brenner = Account.objects.get(external_id="DEMO-001")
    matrix = whitespace_matrix(brenner)
    assert [unit.name for unit in matrix.units] == [
        "Werk Stuttgart", "Werk Leipzig", "Brenner France",
    ]  # fmt: skip
    states = {slot.state for row in matrix.rows for slot in row.slots}
    assert {"sold", "unknown"} <= states
    assert matrix.totals.revenue > 0 and matrix.totals.potential > 0

    assert cases_demo.seed(users) == 0
    assert whitespace_demo.seed(users) == 0
