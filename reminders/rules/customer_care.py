"""Customer issues: overdue ones for their owner; after REMINDER_ESCALATION_DAYS (by
severity) past the due date, escalated to the department's lead and the heads of sales,
and the escalation recorded in the issue's history."""

from datetime import timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from accounts.access import visible_accounts
from customer_care.models import CustomerIssue
from reminders.models import DepartmentLead
from reminders.registry import Due, Rule, When
from reminders.rules import link
from users.models import Role, User


def overdue_issues(when: When):
    url = link("customer_care:issue_detail")
    rows = (
        CustomerIssue.objects.filter(status__in=CustomerIssue.OPEN_STATUSES, due_on__lt=when.today)
        .values_list("pk", "due_on", "owner_id", "title", "account_id", "severity")
        .order_by()
    )
    for pk, due_on, owner_id, title, account_id, severity in rows.iterator(chunk_size=5000):
        yield Due(
            object_id=pk,
            due_on=due_on,
            recipient_id=owner_id,
            subject=title,
            url=url(pk),
            account_id=account_id,
            params={"severity": severity},
        )


def escalation_filter(today) -> Q:
    """Open, not yet escalated, and overdue by the severity's days or more."""
    overdue = Q()
    for severity, days in settings.REMINDER_ESCALATION_DAYS.items():
        overdue |= Q(severity=severity, due_on__lt=today - timedelta(days=days))
    return Q(status__in=CustomerIssue.OPEN_STATUSES, escalated=False) & overdue


def _seen_by_leads(rows: list[tuple]) -> set[tuple[int, int]]:
    """(lead, account) pairs where the lead may see the account (accounts.access decides):
    one query per lead, and there is at most one lead per department."""
    accounts_of: dict[int, set[int]] = {}
    for row in rows:
        if row[2] is not None:
            accounts_of.setdefault(row[2], set()).add(row[4])
    leads = User.objects.filter(pk__in=accounts_of, is_active=True)
    return {
        (lead.pk, account_id)
        for lead in leads
        for account_id in visible_accounts(lead)
        .filter(pk__in=accounts_of[lead.pk])
        .values_list("pk", flat=True)
    }


def issues_to_escalate(when: When):
    """One query for the issues (with their department's lead); one for the heads of
    sales, who receive every escalation; one per department lead, who receives only the
    escalations of accounts in their scope."""
    url = link("customer_care:issue_detail")
    lead = DepartmentLead.objects.filter(department=OuterRef("department_id")).values("lead_id")
    heads = list(
        User.objects.filter(role=Role.HEAD_OF_SALES, is_active=True).values_list("pk", flat=True)
    )
    rows = list(
        CustomerIssue.objects.filter(escalation_filter(when.today))
        .annotate(lead_id=Subquery(lead[:1]))
        .values_list("pk", "due_on", "lead_id", "title", "account_id", "severity")
        .order_by()
    )
    seen = _seen_by_leads(rows)
    for pk, due_on, lead_id, title, account_id, severity in rows:
        if (lead_id, account_id) not in seen:
            lead_id = None
        recipients = dict.fromkeys([lead_id, *heads])  # ordered, without doubles
        recipients.pop(None, None)
        for recipient in recipients:
            yield Due(
                object_id=pk,
                due_on=due_on,
                recipient_id=recipient,
                subject=title,
                url=url(pk),
                account_id=account_id,
                params={"severity": severity},
            )


def mark_escalated(items: list[Due], when: When) -> None:
    """Set `escalated` on the issues, each with a history entry that says why. Only issues
    still not escalated are changed: a concurrent scan waits for the rule's lock and
    then finds them escalated already."""
    ids = {item.object_id for item in items}
    if not ids:
        return
    issues = list(CustomerIssue.objects.filter(pk__in=ids, escalated=False))
    for issue in issues:
        issue.escalated = True
    with translation.override(settings.LANGUAGE_CODE):  # history is kept in one language
        reason = gettext("Escalated automatically: overdue")
    bulk_update_with_history(
        issues,
        CustomerIssue,
        ["escalated"],
        batch_size=1000,
        default_change_reason=reason,
        default_date=when.now,
    )


RULES = [
    Rule(
        key="issue_overdue",
        label=_("Overdue customer issues"),
        model="customer_care.customerissue",
        message=_("The customer issue “%(subject)s” (%(severity)s) was due on %(due_on)s."),
        scan=overdue_issues,
        settled=lambda issue: issue.status not in CustomerIssue.OPEN_STATUSES,
        param_labels={"severity": dict(CustomerIssue.Severity.choices)},
        order=60,
    ),
    Rule(
        key="issue_escalated",
        label=_("Escalated customer issues"),
        model="customer_care.customerissue",
        message=_(
            "Escalated to you: the customer issue “%(subject)s” (%(severity)s) is overdue "
            "since %(due_on)s."
        ),
        scan=issues_to_escalate,
        settled=lambda issue: issue.status not in CustomerIssue.OPEN_STATUSES,
        after_scan=mark_escalated,
        param_labels={"severity": dict(CustomerIssue.Severity.choices)},
        order=61,
    ),
]
