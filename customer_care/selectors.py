"""Reads of issues and surveys shared by pages, API, "My work" and the timeline. Each
starts from the access scope."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractYear, NullIf

from accounts.access import scoped
from accounts.models import Account
from customer_care.models import CustomerIssue, Survey
from users.models import User

OPEN = CustomerIssue.OPEN_STATUSES
MY_WORK_LIMIT = 50
SEVERITY_RANK = Case(
    When(severity=CustomerIssue.Severity.CRITICAL, then=Value(4)),
    When(severity=CustomerIssue.Severity.HIGH, then=Value(3)),
    When(severity=CustomerIssue.Severity.MEDIUM, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


def issue_list(user) -> QuerySet[CustomerIssue]:
    """Issues within the user's scope with account, department and owner preloaded and
    `severity_rank` (4 = critical … 1 = low) annotated for sorting."""
    return (
        scoped(user, CustomerIssue.objects.all())
        .select_related("account", "department", "owner")
        .annotate(severity_rank=SEVERITY_RANK)
    )


def open_issues_owned_by(user) -> QuerySet[CustomerIssue]:
    """The unresolved issues (open, in progress, waiting) the user owns on accounts they
    can see, soonest due first; account and department preloaded ("My work")."""
    return (
        scoped(user, CustomerIssue.objects.filter(owner=user, status__in=OPEN))
        .select_related("account", "department")
        .order_by("due_on", "-opened_at", "pk")
    )


def open_issues_for_account(account: Account) -> QuerySet[CustomerIssue]:
    """An account's unresolved issues, most severe and soonest due first; department and
    owner preloaded. The caller has fetched the account through the scope."""
    return (
        account.customer_issues.filter(status__in=OPEN)
        .select_related("department", "owner")
        .annotate(severity_rank=SEVERITY_RANK)
        .order_by("-severity_rank", "due_on", "pk")
    )


def recent_closed_issues_for_account(account: Account, *, limit: int = 10) -> list:
    """An account's latest resolved or closed issues; department and owner preloaded."""
    return list(
        account.customer_issues.filter(status__in=CustomerIssue.DONE_STATUSES)
        .select_related("department", "owner")
        .order_by("-resolved_at", "-pk")[:limit]
    )


def open_issue_counts(user, account_ids: list[int] | None = None) -> dict[int, int]:
    """Per visible account, how many issues are unresolved (one grouped query)."""
    issues = scoped(user, CustomerIssue.objects.filter(status__in=OPEN))
    if account_ids is not None:
        issues = issues.filter(account_id__in=account_ids)
    rows = issues.values("account_id").annotate(count=Count("pk")).order_by()
    return {row["account_id"]: row["count"] for row in rows}


def survey_list(user) -> QuerySet[Survey]:
    """Surveys within the user's scope with account, contact and recorder preloaded."""
    return scoped(user, Survey.objects.all()).select_related("account", "contact", "recorded_by")


def _nps_rows(surveys: QuerySet[Survey], *group_by: str) -> list[dict]:
    responses = Count("pk", filter=Q(nps__isnull=False))
    promoters = Count("pk", filter=Q(nps__gte=9))
    detractors = Count("pk", filter=Q(nps__lte=6))
    rows = (
        surveys.annotate(year=ExtractYear("surveyed_on"))
        .values(*group_by, "year")
        .annotate(
            surveys=Count("pk"),
            responses=responses,
            promoters=promoters,
            passives=Count("pk", filter=Q(nps__gte=7, nps__lte=8)),
            detractors=detractors,
            nps=Cast(promoters - detractors, FloatField())
            * Value(100.0)
            / NullIf(Cast(responses, FloatField()), Value(0.0)),
            csat_average=Avg("csat"),
            csat_responses=Count("csat"),
        )
        .order_by(*group_by, "year")
    )
    return [
        row
        | {
            "nps": None if row["nps"] is None else round(row["nps"], 1),
            "csat_average": None
            if row["csat_average"] is None
            else round(float(row["csat_average"]), 2),
        }
        for row in rows
    ]


def nps_by_year(account_ids) -> list[dict]:
    """Per account and year: responses, promoters (9-10), passives (7-8), detractors
    (0-6), the NPS (% promoters − % detractors, None without NPS answers), the number of
    surveys and the CSAT average, all counted in SQL with conditional aggregation.

    Rows are ordered by account and year (oldest first)."""
    return _nps_rows(Survey.objects.filter(account_id__in=account_ids), "account_id")


@dataclass(frozen=True)
class NpsYear:
    year: int
    surveys: int
    responses: int  # NPS answers
    promoters: int
    passives: int
    detractors: int
    nps: float | None
    csat_average: float | None
    csat_responses: int
    change: float | None  # against the previous year with an NPS, if both have enough answers
    trend: str  # "up", "down", "flat" or "" (nothing to compare with)
    too_few_answers: bool = False  # fewer NPS answers than settings.NPS_MIN_ANSWERS

    @property
    def change_points(self) -> int:
        """The change as a whole number of points, without its sign (for the words)."""
        return abs(round(self.change)) if self.change is not None else 0


def _with_trend(rows: list[dict]) -> list[NpsYear]:
    """Newest first, each with the change against the previous year that had NPS answers;
    no trend where either year has fewer answers than settings.NPS_MIN_ANSWERS (one answer
    moving a score by 200 points is no trend)."""
    minimum = settings.NPS_MIN_ANSWERS
    years: list[NpsYear] = []
    previous: dict | None = None
    for row in rows:
        change, trend = None, ""
        enough = row["responses"] >= minimum
        comparable = previous is not None and previous["responses"] >= minimum
        if row["nps"] is not None and enough and previous is not None and comparable:
            change = round(row["nps"] - previous["nps"], 1)
            trend = "up" if change > 0 else "down" if change < 0 else "flat"
        if row["nps"] is not None:
            previous = row
        fields = {key: row[key] for key in NpsYear.__dataclass_fields__ if key in row}
        years.append(
            NpsYear(
                **fields,
                change=change,
                trend=trend,
                too_few_answers=row["nps"] is not None and not enough,
            )
        )
    return list(reversed(years))


def nps_trend(account: Account) -> list[NpsYear]:
    """The account's own NPS per year, newest first, with the year-over-year trend."""
    return _with_trend(_nps_rows(Survey.objects.filter(account=account)))


def group_nps_trend(account: Account) -> list[NpsYear]:
    """The NPS per year of the account and every subsidiary below it, all answers together,
    newest first, with the trend."""
    return _with_trend(_nps_rows(Survey.objects.filter(account__path__startswith=account.path)))


def nps_score(scores: list[int]) -> float | None:
    """The NPS of a list of scores, for checks and reports outside the database."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round((promoters - detractors) * 100 / len(scores), 1)


def header_open_issues(*, account: Account, group_ids: list[int], user: User) -> dict:
    """The account header's count of the account's unresolved issues."""
    return {"count": open_issues_for_account(account).count()}


def my_work_issues(*, user: User) -> dict:
    """The open issues the user owns, for "My work" (at most MY_WORK_LIMIT)."""
    return {"issues": list(open_issues_owned_by(user)[:MY_WORK_LIMIT])}
