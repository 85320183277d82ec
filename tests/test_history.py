"""Every history list shows field labels and display values (a choice's label, a related
record's name, a formatted date), never raw ids or codes; and history written outside a
request (a task, a command) names the acting user."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format

from accounts import services as account_services
from accounts.history import account_history, object_history
from accounts.models import Account
from contracts import services as contract_services
from contracts.models import Contract
from customer_care import services as care_services
from customer_care.models import CustomerIssue, Department, ensure_default_departments
from deals import services as deal_services
from deals.models import Opportunity
from kam.history import label
from planning.account_plan import services as plan_services
from planning.coaching import services as coaching_services
from planning.models import AccountPlan, CoachingPlan
from tests.deals.conftest import ensure_default_stages


def _lines(changes) -> set[tuple[str, str, str]]:
    return {line for change in changes for line in change.changes}


def test_account_history_shows_choice_labels_and_the_owner_by_name(kam, other_kam, account):
    account_services.account_update(
        actor=kam, account=account, status=Account.Status.KEY_ACCOUNT, owner=other_kam
    )
    lines = _lines(account_history(account, viewer=kam))
    assert (
        label(Account, "status"),
        str(Account.Status.PROSPECT.label),
        str(Account.Status.KEY_ACCOUNT.label),
    ) in lines
    assert (label(Account, "owner"), str(kam), str(other_kam)) in lines


def test_deal_history_shows_the_stage_by_name(kam, account):
    stages = ensure_default_stages()
    first, second = sorted(stages.values(), key=lambda stage: stage.order)[:2]
    deal = deal_services.opportunity_create(
        actor=kam, account=account, title="Antriebe 2027", value=Decimal("1000"), stage=first
    )
    deal_services.opportunity_update(actor=kam, opportunity=deal, stage=second)
    lines = _lines(object_history(kam, "opportunity", deal).changes)
    assert (label(Opportunity, "stage"), str(first), str(second)) in lines


def test_issue_history_names_the_department_and_the_severity(kam, kam_client, account):
    ensure_default_departments()
    quality, sales = Department.objects.order_by("pk")[:2]
    issue = care_services.issue_create(
        actor=kam,
        account=account,
        title="Lieferverzug",
        department=quality,
        severity=CustomerIssue.Severity.LOW,
    )
    care_services.issue_update(
        actor=kam, issue=issue, department=sales, severity=CustomerIssue.Severity.HIGH
    )
    page = kam_client.get(reverse("customer_care:issue_detail", args=[issue.pk])).text
    severity = label(CustomerIssue, "severity")
    low, high = CustomerIssue.Severity.LOW.label, CustomerIssue.Severity.HIGH.label
    assert f"{severity}: <del>{low}</del> → <ins>{high}</ins>" in page
    department = label(CustomerIssue, "department")
    assert f"{department}: <del>{quality}</del> → <ins>{sales}</ins>" in page
    assert "<del>low</del>" not in page and f"<del>{quality.pk}</del>" not in page


def test_account_plan_history_shows_the_status_label(kam, kam_client, account):
    plan = plan_services.plan_create(actor=kam, account=account, year=2027, strengths="Service")
    plan_services.plan_set_status(actor=kam, plan=plan, status=AccountPlan.Status.ACTIVE)
    page = kam_client.get(reverse("planning:account_plan_detail", args=[plan.pk])).text
    status = label(AccountPlan, "status")
    draft, active = AccountPlan.Status.DRAFT.label, AccountPlan.Status.ACTIVE.label
    assert f"{status}: <del>{draft}</del> → <ins>{active}</ins>" in page


def test_contract_history_shows_labels_and_dates(kam, kam_client, account):
    contract = contract_services.contract_create(
        actor=kam,
        account=account,
        number="RV-1",
        title="Rahmenvertrag",
        start_on=date(2025, 1, 1),
        end_on=date(2026, 12, 31),
        status=Contract.Status.ACTIVE,
    )
    contract_services.contract_update(
        actor=kam,
        contract=contract,
        end_on=date(2027, 12, 31),
        status=Contract.Status.RENEGOTIATION,
    )
    page = kam_client.get(reverse("contracts:detail", args=[contract.pk])).text
    status = label(Contract, "status")
    active, renegotiation = Contract.Status.ACTIVE.label, Contract.Status.RENEGOTIATION.label
    assert f"{status}: <del>{active}</del> → <ins>{renegotiation}</ins>" in page
    new_end = date_format(date(2027, 12, 31), "SHORT_DATE_FORMAT")
    assert f"<ins>{new_end}</ins>" in page
    assert "2027-12-31" not in page


def test_coaching_plan_history_shows_field_labels(kam, kam_client, account):
    plan = coaching_services.coaching_plan_create(actor=kam, account=account, title="Neu")
    coaching_services.coaching_plan_update(actor=kam, plan=plan, title="Besuchsplanung")
    page = kam_client.get(reverse("planning:coaching_plan", args=[plan.pk])).text
    title = label(CoachingPlan, "title")
    assert f"{title}: <del>Neu</del> → <ins>Besuchsplanung</ins>" in page


def test_a_service_called_outside_a_request_records_its_actor(kam, head_of_sales, account):
    """As a Celery task or a management command calls it: no request, yet an author."""
    ensure_default_stages()
    deal = deal_services.opportunity_create(
        actor=head_of_sales, account=account, title="Sensorik", value=Decimal("1")
    )
    deal_services.opportunity_update(actor=kam, opportunity=deal, title="Sensorik 2027")
    authors = deal.history.order_by("history_id").values_list("history_user", flat=True)
    assert list(authors) == [head_of_sales.pk, kam.pk]
