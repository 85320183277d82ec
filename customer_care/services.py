"""Writes on customer issues and surveys.

Each write checks the "may change" predicate of accounts.access, runs the model
validation (the one set of rules that forms and API share) and runs in one transaction:
a detractor survey and the follow-up it creates are saved together or not at all.
"""

from datetime import datetime, timedelta
from typing import Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import is_visible_contact_id, require_edit, visible_accounts
from accounts.models import Account
from activities.services import follow_up_create
from customer_care.fields import IssueFields, SurveyFields
from customer_care.models import CustomerIssue, Survey, default_due_on
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from users.models import User

# A detractor survey asks the account owner to call back within this many days.
FOLLOW_UP_DAYS = 3


def _check_owner(issue: CustomerIssue) -> None:
    """The owner must be able to open the account, or the issue would never reach their
    "My work" page."""
    owner = issue.owner
    if owner.is_active and not visible_accounts(owner).filter(pk=issue.account_id).exists():
        raise ValidationError({"owner": _("This user cannot see this account.")})


def _apply_status(issue: CustomerIssue, status: str, at: datetime | None) -> None:
    """Resolved and closed issues keep when they were resolved; reopening clears it."""
    issue.status = status
    if status in CustomerIssue.DONE_STATUSES:
        if issue.resolved_at is None:
            issue.resolved_at = at or timezone.now()
    else:
        issue.resolved_at = None


@transaction.atomic
@records_author
def issue_create(
    *,
    actor: User,
    account: Account,
    resolved_at: datetime | None = None,
    **given: Unpack[IssueFields],
) -> CustomerIssue:
    """Open an issue. Without a due date it is due after DUE_DAYS_BY_SEVERITY days; without
    an owner it belongs to the user who records it."""
    fields = given_fields(IssueFields, given)
    severity = fields.get("severity", CustomerIssue.Severity.MEDIUM)
    require_edit(actor, account)
    issue = CustomerIssue(
        account=account,
        title=fields.get("title", ""),
        description=fields.get("description", ""),
        kind=fields.get("kind", CustomerIssue.Kind.COMPLAINT),
        severity=severity,
        department=fields.get("department"),
        owner=fields.get("owner") or actor,
        escalated=fields.get("escalated", False),
        resolution=fields.get("resolution", ""),
        opened_at=fields.get("opened_at") or timezone.now(),
        created_by=actor,
    )
    due_on = fields.get("due_on")
    if due_on is None:
        due_on = default_due_on(severity, timezone.localtime(issue.opened_at).date())
    issue.due_on = due_on
    _apply_status(issue, fields.get("status", CustomerIssue.Status.OPEN), resolved_at)
    issue.full_clean()
    _check_owner(issue)
    issue.save()
    events.publish(events.IssueCreated(issue_id=issue.pk, account_id=issue.account_id))
    return issue


@transaction.atomic
@records_author
def issue_update(
    *,
    actor: User,
    issue: CustomerIssue,
    **given: Unpack[IssueFields],
) -> CustomerIssue:
    """Change an issue's given fields, status and resolution included (the same status
    rules as issue_change_status). The account of an issue does not change."""
    fields = given_fields(IssueFields, given)
    require_edit(actor, issue.account)
    issue = CustomerIssue.objects.select_for_update().select_related("account").get(pk=issue.pk)
    new_status = fields.pop("status", None)
    if fields.get("due_on", "unset") is None:
        # Cleared: follow the (possibly new) severity again.
        due_severity = fields.get("severity", issue.severity)
        fields["due_on"] = default_due_on(due_severity, timezone.localtime(issue.opened_at).date())
    for name, value in fields.items():
        setattr(issue, name, value)
    if new_status is not None:
        _apply_status(issue, new_status, None)
    issue.full_clean()
    if "owner" in fields:
        _check_owner(issue)
    issue.save()
    events.publish(events.IssueChanged(issue_id=issue.pk, account_id=issue.account_id))
    return issue


@transaction.atomic
@records_author
def issue_change_status(
    *,
    actor: User,
    issue: CustomerIssue,
    status: str,
    resolution: str | None = None,
    at: datetime | None = None,
) -> CustomerIssue:
    """Move an issue to another status. Resolving or closing needs a resolution; `at`
    (default now) is when it was resolved, for imports of older issues."""
    require_edit(actor, issue.account)
    issue = CustomerIssue.objects.select_for_update().select_related("account").get(pk=issue.pk)
    if resolution is not None:
        issue.resolution = resolution.replace("\r\n", "\n").strip()
    _apply_status(issue, status, at)
    issue.full_clean()
    issue.save()
    events.publish(events.IssueChanged(issue_id=issue.pk, account_id=issue.account_id))
    return issue


@transaction.atomic
@records_author
def survey_record(
    *,
    actor: User,
    account: Account,
    **given: Unpack[SurveyFields],
) -> Survey:
    """Record a survey. A detractor score (NPS 0-6 or CSAT 1-2) creates a follow-up for
    the account owner in the same transaction; it is attached as `survey.follow_up`
    (None otherwise)."""
    fields = given_fields(SurveyFields, given)
    contact = fields.get("contact")
    require_edit(actor, account)
    survey = Survey(
        account=account,
        contact=contact,
        surveyed_on=fields.get("surveyed_on") or timezone.localdate(),
        method=fields.get("method", Survey.Method.EMAIL),
        nps=fields.get("nps"),
        csat=fields.get("csat"),
        comment=(fields.get("comment") or "").replace("\r\n", "\n").strip(),
        recorded_by=actor,
    )
    survey.full_clean()
    if contact is not None and not is_visible_contact_id(actor, contact.pk):
        # Answered like an id that does not exist: no name, no hint.
        raise ValidationError({"contact": _("Not found.")})
    survey.save()
    survey.follow_up = None
    if survey.is_detractor:
        survey.follow_up = _detractor_follow_up(actor=actor, survey=survey)
        events.publish(events.SurveyDetractor(survey_id=survey.pk, account_id=account.pk))
    return survey


def _detractor_follow_up(*, actor: User, survey: Survey):
    who = str(survey.contact) if survey.contact_id else survey.account.name
    scores = []
    if survey.nps is not None:
        scores.append(_("NPS %(score)s") % {"score": survey.nps})
    if survey.csat is not None:
        scores.append(_("CSAT %(score)s") % {"score": survey.csat})
    notes = _("Survey of %(date)s: %(scores)s.") % {
        "date": date_format(survey.surveyed_on, "SHORT_DATE_FORMAT"),
        "scores": " / ".join(scores),
    }
    if survey.comment:
        notes += "\n" + survey.comment
    return follow_up_create(
        actor=actor,
        account=survey.account,
        owner=survey.account.owner,
        title=_("Detractor feedback from %(who)s: follow up") % {"who": who},
        due_on=timezone.localdate() + timedelta(days=FOLLOW_UP_DAYS),
        notes=notes,
        source="survey",
    )
