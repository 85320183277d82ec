"""The account timeline's customer-care events: issues opened and resolved, surveys
recorded. Two queries whatever the number of rows (see kam.timeline for the contract)."""

from datetime import UTC, datetime, time

from django.db.models import CharField, DateTimeField, F, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from customer_care.models import CustomerIssue, Survey
from kam.timeline import TimelineEvent

# A survey has a date, not a time: it shows at noon of that day.
SURVEY_TIME = time(12, 0)


def _survey_when(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, SURVEY_TIME))


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if limit <= 0 or not account_ids:
        return []
    return sorted(
        [*_issue_events(account_ids, before, limit), *_survey_events(account_ids, before, limit)],
        key=lambda event: event.when,
        reverse=True,
    )[:limit]


def _issue_events(account_ids: list[int], before: datetime | None, limit: int) -> list:
    """One query: a UNION of the openings and the resolutions, newest first."""
    issues = CustomerIssue.objects.filter(account_id__in=account_ids).order_by()
    opened = issues.filter(Q(opened_at__lt=before) if before else Q())
    resolved = issues.filter(resolved_at__isnull=False)
    if before:
        resolved = resolved.filter(resolved_at__lt=before)
    columns = ["pk", "account_id", "title", "kind", "severity", "status", "when", "event"]
    opened_rows = opened.annotate(
        when=F("opened_at"), event=Value("opened", output_field=CharField())
    ).values_list(*columns)
    resolved_rows = resolved.annotate(
        when=F("resolved_at"), event=Value("resolved", output_field=CharField())
    ).values_list(*columns)
    rows = opened_rows.union(resolved_rows, all=True).order_by("-when", "-pk")[:limit]
    result = []
    kinds = dict(CustomerIssue.Kind.choices)
    severities = dict(CustomerIssue.Severity.choices)
    statuses = dict(CustomerIssue.Status.choices)
    for pk, account_id, title, kind, severity, status, when, event in rows:
        if isinstance(when, str):  # SQLite hands back UNION columns without conversion
            when = DateTimeField().to_python(when)
        if timezone.is_naive(when):
            when = timezone.make_aware(when, UTC)
        if event == "opened":
            label = _("Issue opened")
            detail = f"{kinds.get(kind, kind)} · {severities.get(severity, severity)}"
        else:
            label = _("Issue resolved") if status == "resolved" else _("Issue closed")
            detail = str(statuses.get(status, status))
        result.append(
            TimelineEvent(
                when=when,
                kind=f"issue.{event}",
                label=label,
                title=title,
                account_id=account_id,
                detail=detail,
                url=reverse("customer_care:issue_detail", args=[pk]),
            )
        )
    return result


def _survey_events(account_ids: list[int], before: datetime | None, limit: int) -> list:
    surveys = Survey.objects.filter(account_id__in=account_ids).select_related("contact")
    if before:
        local = timezone.localtime(before)
        # All surveys of a day show at noon: that day counts only if noon is before `before`.
        if local.time() > SURVEY_TIME:
            surveys = surveys.filter(surveyed_on__lte=local.date())
        else:
            surveys = surveys.filter(surveyed_on__lt=local.date())
    result = []
    for survey in surveys.order_by("-surveyed_on", "-pk")[:limit]:
        scores = []
        if survey.nps is not None:
            scores.append(_("NPS %(score)s") % {"score": survey.nps})
        if survey.csat is not None:
            scores.append(_("CSAT %(score)s") % {"score": survey.csat})
        label = _("Survey recorded (%(scores)s)") % {"scores": " / ".join(scores)}
        url = reverse("accounts:detail", args=[survey.account_id]) + "?tab=satisfaction"
        result.append(
            TimelineEvent(
                when=_survey_when(survey.surveyed_on),
                kind="survey.detractor" if survey.is_detractor else "survey.recorded",
                all_day=True,
                label=label,
                # A contact of a group account above these is not named: the viewer may
                # not see it.
                title=str(survey.contact)
                if survey.contact is not None and survey.contact.account_id in account_ids
                else survey.get_method_display(),
                account_id=survey.account_id,
                detail=survey.comment[:200],
                url=url,
            )
        )
    return result
