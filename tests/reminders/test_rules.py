"""Each rule with dates around its threshold: a day before, on it, a day after; and with
scans near midnight, where "today" is the date in Europe/Berlin, not in UTC."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts import services as account_services
from activities import services as activity_services
from contracts import services as contract_services
from customer_care import services as care_services
from customer_care.models import CustomerIssue, Department, ensure_default_departments
from deals import services as deal_services
from planning.account_plan import services as plan_services
from planning.action_plan import services as objective_services
from reminders.messages import reminder_message
from reminders.models import DepartmentLead, Reminder
from reminders.services import run_rule
from reviews import services as review_services
from tests.deals.conftest import ensure_default_stages
from tests.factories import UserFactory, make_account
from tests.reminders.conftest import at, at_utc, keys, scan
from users.models import Role

pytestmark = pytest.mark.django_db


# Follow-ups -----------------------------------------------------------------------------


def test_follow_up_is_reminded_from_its_due_day_on(kam, account, today, days):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Angebot nachfassen", due_on=days(3)
    )
    assert scan("follow_up_due", days(2)) == set()
    key = (follow_up.pk, days(3), kam.pk)
    assert scan("follow_up_due", days(3)) == {key}
    assert scan("follow_up_due", days(4)) == {key}  # overdue: the same reminder, not a second


def test_follow_up_due_today_in_berlin_while_utc_is_still_yesterday(kam, account, days):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Rückruf", due_on=days(3)
    )
    evening = datetime.combine(days(2), datetime.min.time()) + timedelta(hours=22, minutes=30)
    # 22:30 UTC in winter is 23:30 in Berlin: still the day before.
    run_rule("follow_up_due", when=at_utc(evening))
    assert keys("follow_up_due") == set()
    # 23:30 UTC is 00:30 the next day in Berlin: the follow-up is due today.
    run_rule("follow_up_due", when=at_utc(evening + timedelta(hours=1)))
    assert keys("follow_up_due") == {(follow_up.pk, days(3), kam.pk)}


def test_done_follow_up_is_not_reminded_and_done_clears_its_reminder(kam, account, days):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Rückruf", due_on=days(1)
    )
    scan("follow_up_due", days(1))
    reminder = Reminder.objects.get()
    assert reminder.is_unread
    activity_services.follow_up_complete(actor=kam, follow_up=follow_up)
    reminder.refresh_from_db()
    assert reminder.cleared_at is not None
    Reminder.objects.all().delete()
    assert scan("follow_up_due", days(2)) == set()


# Deal follow-ups ------------------------------------------------------------------------


def test_deal_next_step_is_reminded_from_its_date_on(kam, account, days):
    ensure_default_stages()
    deal = deal_services.opportunity_create(
        actor=kam, account=account, title="Flottenausstattung", value=Decimal("50000"),
        next_follow_up_on=days(5), next_follow_up_action="Angebot nachfassen",
    )  # fmt: skip
    assert scan("deal_follow_up_due", days(4)) == set()
    assert scan("deal_follow_up_due", days(5)) == {(deal.pk, days(5), kam.pk)}
    assert scan("deal_follow_up_due", days(6)) == {(deal.pk, days(5), kam.pk)}


def test_closed_deal_is_not_reminded(kam, account, days):
    stages = ensure_default_stages()
    deal_services.opportunity_create(
        actor=kam, account=account, title="Verloren", stage=stages["lost"],
        close_reason="Preis", next_follow_up_on=days(-1),
    )  # fmt: skip
    assert scan("deal_follow_up_due", days(0)) == set()


# Contract notice deadlines --------------------------------------------------------------


@pytest.fixture
def contract(kam, account, today):
    """Ends in a year and renews by a year; three months' notice: the deadline is nine
    months away."""
    end = today.replace(year=today.year + 1)
    return contract_services.contract_create(
        actor=kam, account=account, number="RV-1", title="Rahmenvertrag",
        start_on=today.replace(year=today.year - 1), end_on=end, notice_period_months=3,
        auto_renewal=True, status="active",
    )  # fmt: skip


@pytest.mark.parametrize("stage", [90, 30, 7])
def test_notice_deadline_is_reminded_at_each_stage(contract, kam, stage):
    deadline = contract.computed_notice_deadline
    stage_day = deadline - timedelta(days=stage)
    before = scan("contract_notice", stage_day - timedelta(days=1))
    assert (contract.pk, stage_day, kam.pk) not in before
    assert (contract.pk, stage_day, kam.pk) in scan("contract_notice", stage_day)
    assert (contract.pk, stage_day, kam.pk) in scan(
        "contract_notice", stage_day + timedelta(days=1)
    )


def test_notice_stages_each_remind_once_and_a_late_scan_only_the_nearest(contract, kam):
    deadline = contract.computed_notice_deadline
    # No scan ran for weeks (Redis was down): ten days before the deadline, only the
    # 30-day stage is due, not the 90-day one.
    assert scan("contract_notice", deadline - timedelta(days=10)) == {
        (contract.pk, deadline - timedelta(days=30), kam.pk)
    }
    reminder = Reminder.objects.get()
    assert reminder.params == {"deadline_on": deadline.isoformat()}


def test_notice_reminder_goes_to_contract_and_account_owner(contract, kam, account, other_kam):
    contract_services.contract_update(actor=kam, contract=contract, owner=other_kam)
    deadline = contract.computed_notice_deadline
    assert scan("contract_notice", deadline - timedelta(days=7)) == {
        (contract.pk, deadline - timedelta(days=7), other_kam.pk),
        (contract.pk, deadline - timedelta(days=7), kam.pk),
    }


def test_missed_notice_deadline_is_reported_once_with_the_next_one(kam, account, today):
    contract = contract_services.contract_create(
        actor=kam, account=account, number="LV-2", title="Liefervertrag",
        start_on=today.replace(year=today.year - 2), end_on=today + timedelta(days=40),
        notice_period_months=3, auto_renewal=True, renewal_term_months=12, status="active",
    )  # fmt: skip
    deadline = contract.computed_notice_deadline  # about 50 days ago
    assert deadline < today
    assert scan("contract_notice_missed", deadline) == set()
    found = scan("contract_notice_missed", today)
    assert found == {(contract.pk, deadline, kam.pk)}
    assert scan("contract_notice_missed", today + timedelta(days=1)) == found
    params = Reminder.objects.get(rule="contract_notice_missed").params
    next_term_end = contract.end_on.replace(year=contract.end_on.year + 1)
    assert params["next_deadline_on"] > today.isoformat()
    assert params["next_deadline_on"] < next_term_end.isoformat()


def test_terminated_contract_is_not_reminded(contract, kam, today):
    deadline = contract.computed_notice_deadline
    contract_services.contract_update(
        actor=kam, contract=contract, status="terminated", terminated_on=today
    )
    assert scan("contract_notice", deadline - timedelta(days=7)) == set()


# Contact silence ------------------------------------------------------------------------


@pytest.mark.parametrize(("tier", "limit"), [("A", 30), ("B", 60), ("C", 90)])
def test_key_account_silent_for_more_than_its_tier_days(kam, today, tier, limit):
    account = make_account(owner=kam, status="key_account", tier=tier)
    activity_services.activity_log(
        actor=kam, account=account, kind="call", subject="Telefonat",
        occurred_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    last = today - timedelta(days=2)
    due = last + timedelta(days=limit + 1)
    assert scan("contact_silence", due - timedelta(days=1)) == set()  # exactly `limit` days
    assert scan("contact_silence", due) == {(account.pk, due, kam.pk)}
    assert scan("contact_silence", due + timedelta(days=1)) == {(account.pk, due, kam.pk)}


def test_silence_only_for_key_accounts_and_honours_settings(kam, today, settings):
    settings.REMINDER_SILENCE_DAYS = {"A": 5, "B": 60, "C": 90}
    key = make_account(owner=kam, status="key_account", tier="A")
    make_account(owner=kam, status="standard", tier="A")
    created = timezone.localdate(key.created_at)
    due = created + timedelta(days=6)
    assert scan("contact_silence", due) == {(key.pk, due, kam.pk)}


# Plans ----------------------------------------------------------------------------------


def test_plan_not_reviewed_for_90_days(kam, account, today):
    plan = plan_services.plan_create(actor=kam, account=account, year=today.year, status="active")
    reviewed = timezone.now() - timedelta(days=1)
    plan_services.plan_mark_reviewed(actor=kam, plan=plan, at=reviewed)
    due = timezone.localdate(reviewed) + timedelta(days=90)
    assert scan("plan_not_reviewed", due - timedelta(days=1)) == set()
    assert scan("plan_not_reviewed", due) == {(plan.pk, due, kam.pk)}
    assert scan("plan_not_reviewed", due + timedelta(days=1)) == {(plan.pk, due, kam.pk)}


def test_objective_off_track_or_at_risk_is_reminded(kam, account, today):
    objective = objective_services.objective_create(
        actor=kam, account=account, year=today.year, kind="revenue", title="Umsatz +10 %",
        target_value=Decimal("100000"), due_on=today.replace(month=12, day=31),
    )  # fmt: skip
    assert scan("objective_at_risk", today) == {(objective.pk, objective.due_on, kam.pk)}
    assert Reminder.objects.get().params == {"verdict": "off_track"}


def test_objective_on_track_is_not_reminded(kam, account, today):
    objective_services.objective_create(
        actor=kam, account=account, year=today.year, kind="revenue", title="Umsatz halten",
        target_value=Decimal("100000"), due_on=today.replace(month=12, day=31),
    )  # fmt: skip
    account_services.figures_put(
        actor=kam, account=account, year=today.year, revenue=Decimal("100000")
    )
    assert scan("objective_at_risk", today) == set()


def test_plan_action_overdue_from_the_day_after_its_due_date(kam, account, today, days):
    objective = objective_services.objective_create(
        actor=kam, account=account, year=today.year, kind="relationship", title="Vorstand",
        due_on=today.replace(month=12, day=31),
    )  # fmt: skip
    action = objective_services.action_create(
        actor=kam, objective=objective, title="Termin beim CFO", due_on=days(2)
    )
    assert scan("plan_action_overdue", days(2)) == set()
    assert scan("plan_action_overdue", days(3)) == {(action.pk, days(2), kam.pk)}
    objective_services.action_complete(actor=kam, action=action)
    assert Reminder.objects.get().cleared_at is not None


# Customer issues ------------------------------------------------------------------------


@pytest.fixture
def department(db):
    ensure_default_departments()
    return Department.objects.get(key="logistics")


@pytest.fixture
def lead(department, kam, account):
    """The logistics lead, on the team of `account`."""
    user = UserFactory(username="lead1", role=Role.SALES_REP)
    DepartmentLead.objects.create(department=department, lead=user)
    account_services.team_member_set(
        actor=kam, account=account, user=user, role="logistics", can_edit=False
    )
    return user


def _issue(kam, account, department, *, severity: str, due_on):
    return care_services.issue_create(
        actor=kam, account=account, title="Lieferverzug", department=department,
        severity=severity, due_on=due_on,
    )  # fmt: skip


def test_overdue_issue_is_reminded_from_the_day_after_its_due_date(kam, account, department, days):
    issue = _issue(kam, account, department, severity="medium", due_on=days(1))
    assert scan("issue_overdue", days(1)) == set()
    assert scan("issue_overdue", days(2)) == {(issue.pk, days(1), kam.pk)}


@pytest.mark.parametrize(("severity", "after"), [("critical", 0), ("high", 1), ("low", 7)])
def test_issue_is_escalated_after_its_severity_days(
    kam, account, department, lead, head_of_sales, days, severity, after
):
    issue = _issue(kam, account, department, severity=severity, due_on=days(1))
    first = days(1) + timedelta(days=after + 1)
    assert scan("issue_escalated", first - timedelta(days=1)) == set()
    assert scan("issue_escalated", first) == {
        (issue.pk, days(1), lead.pk),
        (issue.pk, days(1), head_of_sales.pk),
    }
    issue.refresh_from_db()
    assert issue.escalated
    assert issue.history.latest().history_change_reason == "Automatisch eskaliert: überfällig"
    assert issue.history.filter(escalated=True).count() == 1
    # The next day nothing more happens: no second escalation, no new history entry.
    assert scan("issue_escalated", first + timedelta(days=1)) == keys("issue_escalated")
    assert issue.history.filter(escalated=True).count() == 1


def test_escalation_shows_in_the_issue_history_page(
    kam, account, department, lead, head_of_sales, days, kam_client
):
    issue = _issue(kam, account, department, severity="critical", due_on=days(1))
    run_rule("issue_escalated", when=at(days(3)))
    page = kam_client.get(issue.get_absolute_url()).content.decode()
    history = page[page.index('<ol class="history">') :]
    assert "Eskaliert: <del>nein</del> → <ins>ja</ins>" in history


def test_resolved_issue_is_neither_reminded_nor_escalated(
    kam, account, department, lead, head_of_sales, days
):
    issue = _issue(kam, account, department, severity="critical", due_on=days(1))
    care_services.issue_change_status(
        actor=kam, issue=issue, status="resolved", resolution="Nachgeliefert"
    )
    assert scan("issue_overdue", days(5)) == set()
    assert scan("issue_escalated", days(5)) == set()
    assert not CustomerIssue.objects.get(pk=issue.pk).escalated


# Recipients -----------------------------------------------------------------------------


def test_inactive_recipient_is_skipped_with_a_log_line(kam, account, days, caplog):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Rückruf", due_on=days(0)
    )
    kam.is_active = False
    kam.save(update_fields=["is_active"])
    with caplog.at_level("INFO", logger="reminders"):
        assert scan("follow_up_due", days(0)) == set()
    assert f"user {kam.pk} is inactive" in caplog.text
    assert follow_up.pk


# Annual reviews -------------------------------------------------------------------------


def test_key_account_without_a_review_for_twelve_months(kam, today):
    account = make_account(owner=kam, status="key_account", tier="A")
    held_on = date(today.year, 1, 15)
    review = review_services.review_create(
        actor=kam, account=account, year=today.year, meeting_on=held_on
    )
    review_services.review_update(actor=kam, review=review, status="held")
    due = date(today.year + 1, 1, 15)
    assert scan("review_missing", due - timedelta(days=1)) == set()
    assert scan("review_missing", due) == {(account.pk, due, kam.pk)}
    assert scan("review_missing", due + timedelta(days=1)) == {(account.pk, due, kam.pk)}


def test_never_reviewed_key_account_counts_from_its_creation(kam, today):
    account = make_account(owner=kam, status="key_account", tier="B")
    make_account(owner=kam, status="standard", tier="B")
    created = timezone.localdate(account.created_at)
    due = created.replace(year=created.year + 1)
    assert scan("review_missing", due - timedelta(days=1)) == set()
    assert scan("review_missing", due) == {(account.pk, due, kam.pk)}


def test_review_preparation_starts_thirty_days_before_the_meeting(kam, account, today):
    # Yesterday's meeting, scanned as from before it: a review is held only once its
    # meeting day has come.
    meeting = today - timedelta(days=1)
    review = review_services.review_create(
        actor=kam, account=account, year=meeting.year, meeting_on=meeting,
        backdate_reason="Nachgetragen",
    )  # fmt: skip
    start = meeting - timedelta(days=30)
    assert scan("review_preparation", start - timedelta(days=1)) == set()
    assert scan("review_preparation", start) == {(review.pk, start, kam.pk)}
    assert scan("review_preparation", start + timedelta(days=1)) == {(review.pk, start, kam.pk)}
    review_services.review_update(actor=kam, review=review, status="held")
    assert Reminder.objects.get(rule="review_preparation").cleared_at is not None


def test_a_planned_review_silences_the_missing_review_reminder(kam, today):
    account = make_account(owner=kam, status="key_account", tier="A")
    review_services.review_create(
        actor=kam, account=account, year=today.year + 1, meeting_on=date(today.year + 1, 6, 1)
    )
    later = timezone.localdate(account.created_at) + timedelta(days=400)
    assert scan("review_missing", later) == set()


# Contracts: every deadline, fixed terms (issue 27 items 17 and 18) ----------------------


def test_with_notice_longer_than_the_term_every_deadline_is_reminded_and_missed_next_day(
    kam, account
):
    # Ends 31.12.2026, 6 months' notice, renews by 3 months: deadlines 30.06.2026,
    # 30.09.2026, 31.12.2026, 31.03.2027, ... each one reminded, not only the first.
    contract = contract_services.contract_create(
        actor=kam, account=account, number="KV-6", title="Kurzlaufvertrag",
        start_on=date(2025, 1, 1), end_on=date(2026, 12, 31), notice_period_months=6,
        auto_renewal=True, renewal_term_months=3, status="active",
    )  # fmt: skip
    run_rule("contract_notice", when=at(date(2026, 12, 24)))
    run_rule("contract_notice", when=at(date(2027, 3, 24)))
    assert keys("contract_notice") >= {
        (contract.pk, date(2026, 12, 24), kam.pk),  # 7 days before 31.12.2026
        (contract.pk, date(2027, 3, 24), kam.pk),  # 7 days before 31.03.2027
    }
    # 31.12.2026 missed: reported on 01.01.2027, not three months later.
    assert scan("contract_notice_missed", date(2027, 1, 1)) == {
        (contract.pk, date(2026, 12, 31), kam.pk)
    }
    params = Reminder.objects.get(rule="contract_notice_missed").params
    assert params["next_deadline_on"] == "2027-03-31"


def test_fixed_term_contract_is_reminded_of_its_end_not_of_a_notice_deadline(kam, account):
    contract = contract_services.contract_create(
        actor=kam, account=account, number="FV-1", title="Projektvertrag",
        start_on=date(2026, 1, 1), end_on=date(2027, 6, 30), notice_period_months=3,
        status="active",
    )  # fmt: skip
    # Its notice deadline would be 31.03.2027: neither reminded nor reported as missed.
    assert scan("contract_notice", date(2027, 3, 24)) == set()
    assert scan("contract_notice_missed", date(2027, 4, 1)) == set()
    # Its end: 90 and 30 days ahead.
    assert scan("contract_end", date(2027, 3, 31)) == set()
    assert scan("contract_end", date(2027, 4, 1)) == {(contract.pk, date(2027, 4, 1), kam.pk)}
    assert scan("contract_end", date(2027, 5, 31)) == {
        (contract.pk, date(2027, 4, 1), kam.pk),
        (contract.pk, date(2027, 5, 31), kam.pk),
    }
    reminder = Reminder.objects.filter(rule="contract_end").first()
    with translation.override("de"):
        assert "endet am 30.06.2027" in reminder_message(reminder, today=date(2027, 5, 31))


# Reviews: overdue, group reviews (issue 27 items 19 and 20) ------------------------------


def test_a_review_in_preparation_with_a_past_date_is_itself_due(kam, today):
    account = make_account(owner=kam, status="key_account", tier="A")
    meeting = today + timedelta(days=20)
    review = review_services.review_create(
        actor=kam, account=account, year=meeting.year, meeting_on=meeting
    )
    assert scan("review_overdue", meeting) == set()
    assert scan("review_overdue", meeting + timedelta(days=1)) == {(review.pk, meeting, kam.pk)}
    # Still due years later: nothing silences it for good.
    assert scan("review_overdue", meeting + timedelta(days=900)) == {(review.pk, meeting, kam.pk)}
    # Held on the day it took place (a review cannot be held before its meeting day).
    review_services.review_update(actor=kam, review=review, status="held", meeting_on=today)
    assert Reminder.objects.get(rule="review_overdue").cleared_at is not None


def test_a_group_review_covers_its_subsidiaries(kam, today):
    group = make_account(owner=kam, status="key_account", tier="A", name="Gruppe AG")
    subsidiary = make_account(
        owner=kam, status="key_account", tier="A", name="Tochter GmbH", parent=group
    )
    alone = make_account(owner=kam, status="key_account", tier="A", name="Allein GmbH")
    review = review_services.review_create(
        actor=kam, account=group, year=today.year, meeting_on=today
    )
    review_services.review_update(actor=kam, review=review, status="held")
    # A year on, the group and the account without a group are due; the subsidiary had
    # its review with the group's.
    found = scan("review_missing", today + timedelta(days=400))
    assert {key[0] for key in found} == {group.pk, alone.pk}
    assert subsidiary.pk not in {key[0] for key in found}


# Scope of the recipient (issue 29 item 6) -----------------------------------------------


def test_a_lead_who_cannot_see_the_account_gets_no_escalation(
    kam, account, department, head_of_sales, days
):
    outsider = UserFactory(username="lead2", role=Role.SALES_REP)
    DepartmentLead.objects.create(department=department, lead=outsider)
    issue = _issue(kam, account, department, severity="critical", due_on=days(1))
    assert scan("issue_escalated", days(2)) == {(issue.pk, days(1), head_of_sales.pk)}
