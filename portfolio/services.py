"""Writes of the portfolio view. Each checks the "may change" predicate of the access
scope (or the role, for company-wide figures) and runs in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.access import can_edit_account
from accounts.models import Account, YearlyFigures
from kam import events
from kam.fields import given_fields
from kam.formats import money
from kam.history import records_author
from kam.tombstones import bury
from portfolio import classification, health, matrix
from portfolio.fields import CompanyTotalsFields, ReadinessFields
from portfolio.latest_health import mark_latest
from portfolio.models import (
    AccountPortfolio,
    CompanyTotals,
    HealthSnapshot,
    MatrixScore,
    ReadinessAssessment,
    SuggestionDecision,
)
from portfolio.sentences import suggestion_sentence
from users.models import User


def _require_company_figures_right(actor: User) -> None:
    if not actor.sees_all_accounts:
        raise PermissionDenied(_("Only administrators and heads of sales change company totals."))


def _refuse_totals_below_accounts(
    year: int, *, revenue: Decimal, contribution_margin: Decimal
) -> None:
    sums = YearlyFigures.objects.filter(year=year).aggregate(
        revenue=Sum("revenue"), margin=Sum("contribution_margin")
    )
    errors = {}
    for field, given, accounts in (
        ("revenue", revenue, sums["revenue"]),
        ("contribution_margin", contribution_margin, sums["margin"]),
    ):
        accounts = accounts or Decimal(0)
        if given < accounts or (field == "revenue" and given <= 0):
            errors[field] = _(
                "The company total must include every account kept here: at least"
                " %(sum)s (the sum of the accounts' figures of %(year)s), and above 0."
            ) % {"sum": money(accounts, 2), "year": year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@records_author
def company_totals_put(
    *, actor: User, year: int, **given: Unpack[CompanyTotalsFields]
) -> tuple[CompanyTotals, bool]:
    """Create or replace the company's totals of one year (idempotent for ERP pushes).
    Totals below the sum over the accounts kept here are refused: they are the
    denominator of every share (a share above 100 %, an HHI above 10,000)."""
    fields = given_fields(CompanyTotalsFields, given)
    revenue: Decimal = fields["revenue"]
    contribution_margin: Decimal = fields["contribution_margin"]
    _require_company_figures_right(actor)
    _refuse_totals_below_accounts(year, revenue=revenue, contribution_margin=contribution_margin)
    totals = CompanyTotals.objects.select_for_update().filter(year=year).first()
    created = totals is None
    totals = totals or CompanyTotals(year=year)
    totals.revenue = revenue
    totals.contribution_margin = contribution_margin
    totals.updated_by = actor
    totals.full_clean()
    totals.save()
    events.publish(events.CompanyTotalsChanged(year=year))
    return totals, created


@transaction.atomic
@records_author
def company_totals_delete(*, actor: User, year: int) -> bool:
    _require_company_figures_right(actor)
    totals = CompanyTotals.objects.filter(year=year).first()
    if totals is None:
        return False
    bury(totals, kind="company_totals")  # no account: read by those who see every account
    totals.delete()
    events.publish(events.CompanyTotalsChanged(year=year))
    return True


@transaction.atomic
@records_author
def portfolio_facts_update(
    *, actor: User, account: Account, supplier_rank: int | None, strategic_fit: int | None
) -> AccountPortfolio:
    if not can_edit_account(actor, account):
        raise PermissionDenied(_("You may not change this account."))
    facts = AccountPortfolio.objects.filter(account=account).first() or AccountPortfolio(
        account=account
    )
    facts.supplier_rank = supplier_rank
    facts.strategic_fit = strategic_fit
    facts.full_clean()
    facts.save()
    events.publish(events.ClassificationChanged(account_id=account.pk))
    return facts


class NoSuggestion(ValidationError):
    """The account has no status suggestion (any more) for the year: a state, not bad
    input (the API answers 409)."""


def _current_suggestion(account: Account, year: int) -> classification.Suggestion:
    suggestion = classification.suggestion_for(account, year=year)
    if suggestion is None or not suggestion.differs:
        raise NoSuggestion(_("There is no status suggestion for this account any more."))
    return suggestion


@transaction.atomic
@records_author
def suggestion_accept(*, actor: User, account: Account, year: int) -> SuggestionDecision:
    """Set the suggested status through the account service (its history records the
    change) and keep the decision."""
    if not can_edit_account(actor, account):
        raise PermissionDenied(_("You may not change this account."))
    suggestion = _current_suggestion(account, year)
    previous = account.status
    account_services.account_update(
        actor=actor, account=account, status=suggestion.suggested_status
    )
    events.publish(events.ClassificationChanged(account_id=account.pk))
    return SuggestionDecision.objects.create(
        account=account,
        year=year,
        previous_status=previous,
        suggested_status=suggestion.suggested_status,
        decision=SuggestionDecision.Decision.ACCEPTED,
        sentence=suggestion_sentence(suggestion),
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
@records_author
def suggestion_reject(
    *, actor: User, account: Account, year: int, reason: str
) -> SuggestionDecision:
    """Keep the current status; the reason is kept and the suggestion is not shown again
    for this year."""
    if not can_edit_account(actor, account):
        raise PermissionDenied(_("You may not change this account."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the suggestion does not fit.")})
    suggestion = _current_suggestion(account, year)
    events.publish(events.ClassificationChanged(account_id=account.pk))
    return SuggestionDecision.objects.create(
        account=account,
        year=year,
        previous_status=account.status,
        suggested_status=suggestion.suggested_status,
        decision=SuggestionDecision.Decision.REJECTED,
        reason=reason,
        sentence=suggestion_sentence(suggestion),
        decided_by=actor,
        decided_at=timezone.now(),
    )


def health_store_week(*, today: date | None = None, chunk: int = 1000) -> int:
    """Compute every account's health score and store it as this week's snapshot
    (replacing one stored earlier in the same week). Returns the number stored."""
    today = today or timezone.localdate()
    week = health.week_of(today)
    weights = health.weights()
    stored = 0
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        accounts = health.health_facts(
            Account.objects.filter(pk__in=ids[start : start + chunk]), today=today
        )
        snapshots = []
        for account in accounts:
            result = health.score(account, weights=weights, today=today)
            snapshots.append(
                HealthSnapshot(
                    account=account, week=week, score=result.score, parts=result.as_json()
                )
            )
        HealthSnapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["account", "week"],
            update_fields=["score", "parts", "computed_at"],
        )
        mark_latest([snapshot.account_id for snapshot in snapshots], since=week)
        stored += len(snapshots)
    events.publish(events.HealthRecorded())
    return stored


def matrix_store_year(*, year: int | None = None) -> int:
    """Compute every account's place in the portfolio matrix of `year` (default: this
    year) and keep it per year, so the movement over the years can be drawn."""
    year = year or timezone.localdate().year
    rows = []
    for account in matrix.matrix_facts(Account.objects.all(), year=year):
        attractiveness, position, parts = matrix.scores(account)
        rows.append(
            MatrixScore(
                account=account,
                year=year,
                attractiveness=attractiveness,
                position=position,
                revenue=account.m_revenue,  # type: ignore[attr-defined]
                status=account.status,
                parts=parts,
            )
        )
    MatrixScore.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["account", "year"],
        update_fields=["attractiveness", "position", "revenue", "status", "parts", "computed_at"],
    )
    return len(rows)


@transaction.atomic
@records_author
def readiness_assess(
    *,
    actor: User,
    **given: Unpack[ReadinessFields],
) -> ReadinessAssessment:
    """Keep a new self-assessment against the KAM readiness checklist."""
    fields = given_fields(ReadinessFields, given)
    if not actor.sees_all_accounts:
        raise PermissionDenied(_("Only administrators and heads of sales assess readiness."))
    assessment = ReadinessAssessment(
        cross_selling=fields["cross_selling"],
        needs_advice=fields["needs_advice"],
        team_capacity=fields["team_capacity"],
        financial_resources=fields["financial_resources"],
        know_how=fields["know_how"],
        travel=fields["travel"],
        management_backing=fields["management_backing"],
        notes=fields.get("notes", "").strip(),
        assessed_by=actor,
        assessed_at=timezone.now(),
    )
    assessment.full_clean()
    assessment.save()
    return assessment
