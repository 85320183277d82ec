"""Opening and resolving issues, recording surveys: the rules a user meets on page and API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.models import FollowUp
from customer_care import services
from customer_care.models import DUE_DAYS_BY_SEVERITY, CustomerIssue, Survey
from tests.customer_care.conftest import open_issue, record
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role

# --- Issues -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "days"), [("critical", 1), ("high", 3), ("medium", 7), ("low", 14)]
)
def test_due_date_defaults_from_severity(account, severity, days):
    issue = open_issue(account, severity=severity)
    assert DUE_DAYS_BY_SEVERITY[severity] == days
    assert issue.due_on == timezone.localdate() + timedelta(days=days)


def test_due_date_of_an_older_issue_counts_from_when_it_was_opened(account):
    opened = timezone.now() - timedelta(days=30)
    issue = open_issue(account, severity="high", opened_at=opened)
    assert issue.due_on == timezone.localtime(opened).date() + timedelta(days=3)
    assert issue.is_overdue


def test_an_explicit_due_date_is_kept(account):
    due = timezone.localdate() + timedelta(days=40)
    assert open_issue(account, severity="critical", due_on=due).due_on == due


def test_owner_defaults_to_who_opens_it_and_history_records_the_opening(kam, account, quality):
    issue = open_issue(account, department=quality, kind="risk", title="Aktienkurs eingebrochen")
    assert issue.owner == kam and issue.created_by == kam
    assert issue.status == "open" and issue.resolved_at is None
    assert issue.history.count() == 1


def test_resolving_needs_a_resolution_and_nothing_changes_without_one(account):
    issue = open_issue(account)
    for status in ("resolved", "closed"):
        with pytest.raises(ValidationError) as exc:
            services.issue_change_status(actor=account.owner, issue=issue, status=status)
        assert set(exc.value.message_dict) == {"resolution"}
        with pytest.raises(ValidationError):
            services.issue_change_status(
                actor=account.owner, issue=issue, status=status, resolution="   "
            )
    issue.refresh_from_db()
    assert issue.status == "open" and issue.resolved_at is None
    assert issue.history.count() == 1


def test_resolving_sets_resolved_at_closing_keeps_it_and_reopening_clears_it(account):
    issue = open_issue(account)
    issue = services.issue_change_status(
        actor=account.owner, issue=issue, status="resolved", resolution="Ersatz geliefert."
    )
    resolved_at = issue.resolved_at
    assert resolved_at is not None and issue.resolution == "Ersatz geliefert."
    issue = services.issue_change_status(actor=account.owner, issue=issue, status="closed")
    assert issue.resolved_at == resolved_at
    issue = services.issue_change_status(actor=account.owner, issue=issue, status="in_progress")
    assert issue.resolved_at is None
    assert [h.status for h in issue.history.order_by("history_id")] == [
        "open", "resolved", "closed", "in_progress",
    ]  # fmt: skip


def test_issue_update_applies_the_same_status_rules(account):
    issue = open_issue(account)
    with pytest.raises(ValidationError) as exc:
        services.issue_update(actor=account.owner, issue=issue, status="closed")
    assert "resolution" in exc.value.message_dict
    issue = services.issue_update(
        actor=account.owner, issue=issue, status="closed", resolution="Gutschrift", escalated=True
    )
    assert issue.status == "closed" and issue.resolved_at and issue.escalated


def test_clearing_the_due_date_follows_the_new_severity(account):
    issue = open_issue(account, severity="low")
    issue = services.issue_update(
        actor=account.owner, issue=issue, severity="critical", due_on=None
    )
    assert issue.due_on == timezone.localtime(issue.opened_at).date() + timedelta(days=1)


def test_reader_and_outsider_may_not_open_or_change_issues(account, reader, outsider):
    for user in (reader, outsider):
        with pytest.raises(PermissionDenied):
            open_issue(account, actor=user)
    issue = open_issue(account)
    with pytest.raises(PermissionDenied):
        services.issue_change_status(actor=reader, issue=issue, status="in_progress")
    assert CustomerIssue.objects.count() == 1


def test_owner_must_be_able_to_see_the_account(account, outsider, reader):
    with pytest.raises(ValidationError) as exc:
        open_issue(account, owner=outsider)
    assert set(exc.value.message_dict) == {"owner"}
    assert open_issue(account, owner=reader).owner == reader
    assert CustomerIssue.objects.count() == 1


def test_an_inactive_owner_is_refused(account):
    gone = UserFactory(role=Role.KEY_ACCOUNT_MANAGER, is_active=False)
    with pytest.raises(ValidationError) as exc:
        open_issue(account, owner=gone)
    assert "owner" in exc.value.message_dict


def test_due_date_before_opening_and_opening_in_the_future_are_refused(account):
    with pytest.raises(ValidationError) as exc:
        open_issue(account, due_on=timezone.localdate() - timedelta(days=1))
    assert "due_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        open_issue(account, opened_at=timezone.now() + timedelta(days=2))
    assert "opened_at" in exc.value.message_dict
    assert not CustomerIssue.objects.exists()


# --- Surveys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "fields"),
    [
        ({"nps": 11}, {"nps"}),
        ({"csat": 0}, {"csat"}),
        ({"csat": 6}, {"csat"}),
        ({}, {"nps", "csat"}),
        ({"nps": None, "csat": None}, {"nps", "csat"}),
    ],
)
def test_invalid_scores_are_refused_and_nothing_is_saved(account, scores, fields):
    with pytest.raises(ValidationError) as exc:
        record(account, **scores)
    assert set(exc.value.message_dict) == fields
    assert not Survey.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_detractor_survey_that_is_invalid_creates_no_follow_up(account):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        record(account, nps=2, surveyed_on=tomorrow)
    assert set(exc.value.message_dict) == {"surveyed_on"}
    assert not Survey.objects.exists() and not FollowUp.objects.exists()


def test_the_contact_must_belong_to_the_account_or_its_group(account, other_account):
    stranger = make_contact(account=other_account, last_name="Fremd")
    with pytest.raises(ValidationError) as exc:
        record(account, nps=9, contact=stranger)
    assert set(exc.value.message_dict) == {"contact"}
    subsidiary = make_account(owner=account.owner, parent=account, name="Werk Süd")
    group_buyer = make_contact(account=account, last_name="Konzern")
    assert record(subsidiary, nps=9, contact=group_buyer).contact == group_buyer


@pytest.mark.parametrize(
    ("scores", "follow_up"),
    [
        ({"nps": 6}, True),
        ({"nps": 0}, True),
        ({"nps": 7}, False),
        ({"nps": 10}, False),
        ({"csat": 2}, True),
        ({"csat": 1}, True),
        ({"csat": 3}, False),
        ({"nps": 9, "csat": 2}, True),
        ({"nps": 8, "csat": 4}, False),
    ],
)
def test_which_scores_create_a_follow_up(account, scores, follow_up):
    survey = record(account, **scores)
    assert survey.is_detractor is follow_up
    assert FollowUp.objects.exists() is follow_up
    assert (survey.follow_up is not None) is follow_up


def test_a_detractor_creates_a_follow_up_for_the_account_owner(kam, account, contact, sales_rep):
    # An editor on the team records it; the owner of the account is who must act.
    from accounts import services as account_services

    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=True
    )
    survey = record(account, actor=sales_rep, nps=3, contact=contact, comment="Zu langsam.")
    follow_up = FollowUp.objects.get()
    assert survey.follow_up == follow_up
    assert follow_up.owner == kam and follow_up.account == account
    assert follow_up.source == "survey"
    assert follow_up.due_on == timezone.localdate() + timedelta(days=3)
    assert "Jana Krüger" in follow_up.title
    assert "Zu langsam." in follow_up.notes
    assert survey.recorded_by == sales_rep


def test_survey_and_follow_up_are_one_transaction(account, monkeypatch):
    def broken(**kwargs):
        raise ValidationError({"title": "kaputt"})

    monkeypatch.setattr(services, "follow_up_create", broken)
    with pytest.raises(ValidationError):
        record(account, nps=2)
    assert not Survey.objects.exists()


def test_reader_may_not_record_a_survey(account, reader):
    with pytest.raises(PermissionDenied):
        record(account, actor=reader, nps=2)
    assert not Survey.objects.exists() and not FollowUp.objects.exists()


def test_survey_date_defaults_to_today(account):
    assert record(account, csat=4).surveyed_on == timezone.localdate()
