"""History written while `manage.py seed_demo` builds the demo names the acting user."""

from accounts.models import Account
from contracts.models import Contract
from customer_care.models import CustomerIssue
from deals.models import Opportunity, Stage
from planning.models import AccountPlan, CoachingPlan


def test_history_written_by_the_demo_command_names_each_acting_user(_demo_seeded, db):
    for model in (Account, Opportunity, CustomerIssue, Contract, AccountPlan, CoachingPlan):
        authors = model.history.filter(history_type="+").values_list("history_user", flat=True)
        assert authors.exists(), model
        assert None not in set(authors), model
    assert Stage.objects.exists()
