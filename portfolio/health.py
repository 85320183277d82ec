"""The account health score: 0-100 from five parts with configurable weights.

`health_facts()` gathers the facts of many accounts in one query (subqueries per row);
`score()` turns one account's facts into points, a pure function (README "Health score"
gives the table):

- relationship coverage (100): decision maker 20, champion 20, executive sponsor 20
  (active contacts with that buying role), a supporter among the contacts 15, a contact
  with relationship strength 3 or more 10, contacted in the last
  `PORTFOLIO_HEALTH_CONTACT_DAYS` days 15;
- satisfaction (100): NPS of the last 12 months mapped to 0-70 ((NPS + 100) × 70 / 200),
  plus 30 unless it fell against the 12 months before (no trend when those had fewer than
  `NPS_MIN_ANSWERS` answers); with fewer answers than `NPS_MIN_ANSWERS` (5) in the last 12
  months the part is "not enough answers" and does not count: its weight is spread over
  the other parts;
- commercial (100): revenue attainment of the year up to 100 % mapped to 0-50 (25 without
  a target), share of wallet not below last year's 25 (25 when unknown), no contract
  whose notice deadline falls in the next 90 days 25;
- service (100): 100 minus 40 per open critical issue and 20 per other overdue open
  issue, at least 0;
- plan hygiene (100): a draft or active plan of the year reviewed within
  `PLAN_STALE_DAYS` days 50, plus 50 minus 10 per overdue plan action, at least 0.
The score is the weighted mean of the parts that count; all points round half up
(kam.numbers, as the business cases do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Account, Contact, YearlyFigures
from contracts.models import Contract
from contracts.selectors import notice_within
from contracts.terms import holding_on
from customer_care.models import CustomerIssue, Survey
from kam.numbers import round_half_up, round_points
from planning.models import AccountPlan, Action
from portfolio.models import HealthWeight

Part = HealthWeight.Part
NOTICE_DAYS = 90
MONEY = DecimalField(max_digits=18, decimal_places=2)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (already filtered on OuterRef)."""
    counted = queryset.order_by().values("account_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _figure(year: int, name: str) -> Subquery:
    return Subquery(
        YearlyFigures.objects.filter(account=OuterRef("pk"), year=year).values(name)[:1],
        output_field=MONEY,
    )


def health_facts(accounts: QuerySet[Account], *, today: date | None = None) -> QuerySet[Account]:
    """`accounts` with every fact of the score annotated: one query for any number."""
    today = today or timezone.localdate()
    year = today.year
    contacts = Contact.objects.filter(account=OuterRef("pk"), is_active=True)
    role = Contact.BuyingRole
    year_ago, two_years_ago = today - timedelta(days=365), today - timedelta(days=730)
    surveys = Survey.objects.filter(account=OuterRef("pk"), nps__isnull=False)
    recent = surveys.filter(surveyed_on__gt=year_ago, surveyed_on__lte=today)
    before = surveys.filter(surveyed_on__gt=two_years_ago, surveyed_on__lte=year_ago)
    issues = CustomerIssue.objects.filter(
        account=OuterRef("pk"), status__in=CustomerIssue.OPEN_STATUSES
    )
    contracts = notice_within(
        holding_on(Contract.objects.filter(account=OuterRef("pk")), today=today),
        NOTICE_DAYS,
        today=today,
    )
    stale_before = timezone.now() - timedelta(days=settings.PLAN_STALE_DAYS)
    fresh_plans = AccountPlan.objects.filter(
        account=OuterRef("pk"),
        year=year,
        status__in=[AccountPlan.Status.DRAFT, AccountPlan.Status.ACTIVE],
    ).filter(
        Q(last_reviewed_at__gte=stale_before)
        | Q(last_reviewed_at__isnull=True, created_at__gte=stale_before)
    )
    overdue_actions = Action.objects.filter(
        objective__account=OuterRef("pk"),
        due_on__lt=today,
        status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
    ).values("objective__account_id")
    return accounts.annotate(
        f_decision_maker=Exists(contacts.filter(buying_role=role.DECISION_MAKER)),
        f_champion=Exists(contacts.filter(buying_role=role.CHAMPION)),
        f_sponsor=Exists(contacts.filter(buying_role=role.EXECUTIVE_SPONSOR)),
        f_supporter=Exists(contacts.filter(attitude=Contact.Attitude.SUPPORTER)),
        f_strong=Exists(contacts.filter(relationship_strength__gte=3)),
        f_answers=_count(recent),
        f_promoters=_count(recent.filter(nps__gte=9)),
        f_detractors=_count(recent.filter(nps__lte=6)),
        f_answers_before=_count(before),
        f_promoters_before=_count(before.filter(nps__gte=9)),
        f_detractors_before=_count(before.filter(nps__lte=6)),
        f_revenue=_figure(year, "revenue"),
        f_target=_figure(year, "revenue_target"),
        f_potential=_figure(year, "revenue_potential"),
        f_revenue_before=_figure(year - 1, "revenue"),
        f_potential_before=_figure(year - 1, "revenue_potential"),
        f_notice_contracts=_count(contracts),
        f_critical_issues=_count(issues.filter(severity=CustomerIssue.Severity.CRITICAL)),
        f_overdue_issues=_count(
            issues.exclude(severity=CustomerIssue.Severity.CRITICAL).filter(due_on__lt=today)
        ),
        f_fresh_plan=Exists(fresh_plans),
        f_overdue_actions=Coalesce(
            Subquery(
                overdue_actions.annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


@dataclass(frozen=True)
class Fact:
    """One fact behind a part: its label key (templates word it), the value, the points."""

    key: str
    points: int
    value: object = None


@dataclass
class PartScore:
    part: str
    points: int | None  # 0-100; None: not enough data, the part does not count
    weight: int
    facts: list[Fact] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.points is not None


@dataclass
class HealthScore:
    score: int
    parts: list[PartScore]

    def as_json(self) -> dict:
        return {
            p.part: {
                "points": p.points,
                "counted": p.counted,
                "weight": p.weight,
                "facts": [
                    {"key": f.key, "points": f.points, "value": _plain(f.value)} for f in p.facts
                ],
            }
            for p in self.parts
        }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _nps(promoters: int, detractors: int, answers: int) -> int | None:
    """The NPS, or None below settings.NPS_MIN_ANSWERS answers (as the NPS page says "too
    few answers": one answer is no score)."""
    if not answers or answers < settings.NPS_MIN_ANSWERS:
        return None
    return round_points(Decimal((promoters - detractors) * 100) / answers)


def _relationship(a, today: date) -> PartScore:
    days = settings.PORTFOLIO_HEALTH_CONTACT_DAYS
    last = a.last_contacted_at
    recent = last is not None and timezone.localdate(last) >= today - timedelta(days=days)
    facts = [
        Fact("decision_maker", 20 if a.f_decision_maker else 0, a.f_decision_maker),
        Fact("champion", 20 if a.f_champion else 0, a.f_champion),
        Fact("sponsor", 20 if a.f_sponsor else 0, a.f_sponsor),
        Fact("supporter", 15 if a.f_supporter else 0, a.f_supporter),
        Fact("strong", 10 if a.f_strong else 0, a.f_strong),
        Fact("contacted", 15 if recent else 0, timezone.localdate(last) if last else None),
    ]
    return PartScore(Part.RELATIONSHIP, sum(f.points for f in facts), 0, facts)


def _satisfaction(a) -> PartScore:
    nps = _nps(a.f_promoters, a.f_detractors, a.f_answers)
    before = _nps(a.f_promoters_before, a.f_detractors_before, a.f_answers_before)
    if nps is None:
        return PartScore(Part.SATISFACTION, None, 0, [Fact("too_few_answers", 0, a.f_answers)])
    level = round_points(Decimal((nps + 100) * 70) / 200)
    not_falling = before is None or nps >= before
    facts = [
        Fact("nps", level, nps),
        Fact("nps_trend", 30 if not_falling else 0, nps - before if before is not None else None),
    ]
    return PartScore(Part.SATISFACTION, sum(f.points for f in facts), 0, facts)


def _share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole), Decimal("0.1"))


def _commercial(a) -> PartScore:
    attainment = _share(a.f_revenue, a.f_target)
    if attainment is None:
        facts = [Fact("no_target", 25)]
    else:
        facts = [Fact("attainment", round_points(min(attainment, Decimal(100)) / 2), attainment)]
    wallet, wallet_before = (
        _share(a.f_revenue, a.f_potential),
        _share(a.f_revenue_before, a.f_potential_before),
    )
    if wallet is None or wallet_before is None:
        facts.append(Fact("wallet_unknown", 25, wallet))
    else:
        facts.append(
            Fact("wallet_trend", 25 if wallet >= wallet_before else 0, wallet - wallet_before)
        )
    facts.append(Fact("notice", 0 if a.f_notice_contracts else 25, a.f_notice_contracts))
    return PartScore(Part.COMMERCIAL, sum(f.points for f in facts), 0, facts)


def _service(a) -> PartScore:
    critical = -40 * a.f_critical_issues
    overdue = -20 * a.f_overdue_issues
    points = max(0, 100 + critical + overdue)
    facts = [
        Fact("critical_issues", critical, a.f_critical_issues),
        Fact("overdue_issues", overdue, a.f_overdue_issues),
    ]
    return PartScore(Part.SERVICE, points, 0, facts)


def _plan(a) -> PartScore:
    facts = [
        Fact("fresh_plan", 50 if a.f_fresh_plan else 0, a.f_fresh_plan),
        Fact("overdue_actions", max(0, 50 - 10 * a.f_overdue_actions), a.f_overdue_actions),
    ]
    return PartScore(Part.PLAN, sum(f.points for f in facts), 0, facts)


def weights() -> dict[str, int]:
    """The configured weights; parts without a row weigh 0. One query."""
    return dict(HealthWeight.objects.values_list("part", "weight"))


def score(account, *, weights: dict[str, int], today: date | None = None) -> HealthScore:
    """The score of one account annotated by `health_facts()`; no query."""
    today = today or timezone.localdate()
    parts = [
        _relationship(account, today),
        _satisfaction(account),
        _commercial(account),
        _service(account),
        _plan(account),
    ]
    for part in parts:
        part.weight = weights.get(part.part, 0)
    # A part without enough data does not count: its weight goes to the others.
    counted = [p for p in parts if p.points is not None]
    total_weight = sum(p.weight for p in counted)
    weighted = sum(p.points * p.weight for p in counted if p.points is not None)
    value = round_points(Decimal(weighted) / total_weight) if total_weight else 0
    return HealthScore(score=value, parts=parts)


def week_of(day: date) -> date:
    """The Monday of the day's week: the key of the weekly snapshots."""
    return day - timedelta(days=day.weekday())
