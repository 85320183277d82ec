"""Writes on customer issues and surveys.

Each write checks the "may change" predicate of accounts.access, runs the model
validation (the one set of rules that forms and API share) and runs in one transaction:
a detractor survey and the follow-up it creates are saved together or not at all.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import is_visible_contact_id, require_edit, visible_accounts
from accounts.models import Account, Contact
from activities.services import follow_up_create
from customer_care.models import CustomerIssue, Department, Survey, default_due_on
from kam import events
from kam.history import records_author
from kam.unset import UNSET, Unset, given
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
    title: str,
    department: Department,
    kind: str = CustomerIssue.Kind.COMPLAINT,
    severity: str = CustomerIssue.Severity.MEDIUM,
    owner: User | None = None,
    due_on: date | None = None,
    description: str = "",
    escalated: bool = False,
    status: str = CustomerIssue.Status.OPEN,
    resolution: str = "",
    opened_at: datetime | None = None,
    resolved_at: datetime | None = None,
) -> CustomerIssue:
    """Open an issue. Without a due date it is due after DUE_DAYS_BY_SEVERITY days; without
    an owner it belongs to the user who records it."""
    require_edit(actor, account)
    issue = CustomerIssue(
        account=account,
        title=title,
        description=description,
        kind=kind,
        severity=severity,
        department=department,
        owner=owner or actor,
        escalated=escalated,
        resolution=resolution,
        opened_at=opened_at or timezone.now(),
        created_by=actor,
    )
    if due_on is None:
        due_on = default_due_on(severity, timezone.localtime(issue.opened_at).date())
    issue.due_on = due_on
    _apply_status(issue, status, resolved_at)
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
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    severity: str | Unset = UNSET,
    department: Department | Unset = UNSET,
    owner: User | Unset = UNSET,
    due_on: date | None | Unset = UNSET,
    escalated: bool | Unset = UNSET,
    status: str | None | Unset = UNSET,
    resolution: str | Unset = UNSET,
    opened_at: datetime | Unset = UNSET,
) -> CustomerIssue:
    """Change an issue's given fields, status and resolution included (the same status
    rules as issue_change_status). The account of an issue does not change."""
    fields = given(
        title=title, description=description, kind=kind, severity=severity, department=department,
        owner=owner, due_on=due_on, escalated=escalated, status=status, resolution=resolution,
        opened_at=opened_at,
    )  # fmt: skip
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
    method: str = Survey.Method.EMAIL,
    nps: int | None = None,
    csat: int | None = None,
    contact: Contact | None = None,
    surveyed_on: date | None = None,
    comment: str = "",
) -> Survey:
    """Record a survey. A detractor score (NPS 0-6 or CSAT 1-2) creates a follow-up for
    the account owner in the same transaction; it is attached as `survey.follow_up`
    (None otherwise)."""
    require_edit(actor, account)
    survey = Survey(
        account=account,
        contact=contact,
        surveyed_on=surveyed_on or timezone.localdate(),
        method=method,
        nps=nps,
        csat=csat,
        comment=(comment or "").replace("\r\n", "\n").strip(),
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
