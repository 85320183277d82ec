"""The managers' dashboard: every figure an aggregate in SQL over the accounts in scope
and filters, and every figure's accounts for the drill-down list.

- revenue / margin against target: sums of the year's figures;
- actual + weighted pipeline: actual revenue + weighted open pipeline (value × probability
  / 100 of open deals expected to close in the year); not a forecast (that name is the
  objectives' target forecast, which adds won deals not yet invoiced and the run-rate);
- pipeline coverage: weighted pipeline / (revenue target − actual revenue), when there
  is a gap left;
- accounts without contact: last contact (any activity) older than the tier's limit
  (`REMINDER_SILENCE_DAYS`, the reminders' limit too: A 30, B 60, C 90 days) or never;
  former customers and prospects are left out;
- health distribution: the latest stored score of each account in four bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import cast

from django import forms
from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import revenue_key
from accounts.access import visible_accounts
from accounts.models import Account, YearlyFigures, this_year
from deals.models import Opportunity
from deals.selectors import OPEN, WEIGHTED
from kam import versioned_cache
from kam.filters import NO_MATCH, IdChoiceField
from kam.forms import choice_field
from portfolio.models import HealthSnapshot
from users.models import Role, User

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
CUSTOMERS = [Account.Status.KEY_ACCOUNT, Account.Status.POTENTIAL, Account.Status.STANDARD]
HEALTH_BANDS = [(0, 40), (40, 60), (60, 80), (80, 101)]  # upper bound exclusive
HEALTH_EDGES = [0, 40, 60, 80, 100]


ALL = settings.FILTERS_EMPTY_CHOICE_LABEL  # "– all –", as in every list filter


class AnyRegionField(forms.ChoiceField):
    """The regions offered, but any region is taken: one without accounts (or typed by an
    integration) shows no rows rather than an error, as every list filter does."""

    def valid_value(self, value):
        return True


class DashboardFilter(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    region = AnyRegionField(label=_("Region"), required=False)
    owner = IdChoiceField(
        label=_("Key account manager"), queryset=User.objects.none(), required=False,
        empty_label=ALL,
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", ALL), *Account.Status.choices]
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", ALL), *Account.Tier.choices]
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            ("", ALL),
            *[(r, r) for r in regions],
        ]
        choice_field(self, "owner").queryset = User.objects.filter(
            role__in=[Role.KEY_ACCOUNT_MANAGER, Role.HEAD_OF_SALES, Role.ADMIN], is_active=True
        ).order_by("last_name", "first_name")

    def apply(self, accounts: QuerySet[Account]) -> QuerySet[Account]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("region"):
            accounts = accounts.filter(region=data["region"])
        if data.get("owner") is NO_MATCH:
            return accounts.none()
        if data.get("owner"):
            accounts = accounts.filter(owner=data["owner"])
        if data.get("status"):
            accounts = accounts.filter(status=data["status"])
        if data.get("tier"):
            accounts = accounts.filter(tier=data["tier"])
        return accounts


def regions(user: User) -> list[str]:
    """The regions of the user's accounts, for the filter: read from every account, so
    kept in the figures cache until an account (or a team) changes."""

    def compute() -> list[str]:
        return list(
            visible_accounts(user).exclude(region="").order_by("region")
            .values_list("region", flat=True).distinct()
        )  # fmt: skip

    return versioned_cache.cached(
        "regions", (versioned_cache.scope_key(user),), compute, rests_on=versioned_cache.FIGURES
    )


def no_contact_filter(now=None) -> Q:
    """Accounts whose last contact is older than their tier's limit, or who had none."""
    now = now or timezone.now()
    condition = Q(last_contacted_at__isnull=True)
    for tier, days in settings.REMINDER_SILENCE_DAYS.items():
        condition |= Q(tier=tier, last_contacted_at__lt=now - timedelta(days=days))
    return Q(status__in=CUSTOMERS) & condition


def latest_health() -> Subquery:
    return Subquery(
        HealthSnapshot.objects.filter(account=OuterRef("pk")).order_by("-week").values("score")[:1],
        output_field=IntegerField(),
    )


@dataclass
class Totals:
    revenue: Decimal
    margin: Decimal
    revenue_target: Decimal
    margin_target: Decimal
    weighted_pipeline: Decimal
    accounts: int
    without_contact: int

    @property
    def actual_and_pipeline(self) -> Decimal:
        """Actual revenue + weighted open pipeline. Not called a forecast: the forecast is
        the objectives' (planning.forecast_math, with won deals not invoiced and the
        run-rate); this is the part of it the pipeline gives."""
        return self.revenue + self.weighted_pipeline

    @property
    def gap(self) -> Decimal:
        return max(self.revenue_target - self.revenue, Decimal(0))

    @property
    def coverage(self) -> Decimal | None:
        """Weighted pipeline per euro still missing to the target (1.0 = exactly)."""
        if not self.gap:
            return None
        return (self.weighted_pipeline / self.gap).quantize(Decimal("0.01"))

    @staticmethod
    def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
        return (part * 100 / whole).quantize(Decimal("0.1")) if whole else None

    @property
    def revenue_attainment(self) -> Decimal | None:
        return self._percent(self.revenue, self.revenue_target)

    @property
    def margin_attainment(self) -> Decimal | None:
        return self._percent(self.margin, self.margin_target)

    @property
    def actual_and_pipeline_attainment(self) -> Decimal | None:
        return self._percent(self.actual_and_pipeline, self.revenue_target)


def _sum(field: str, year: int):
    return Coalesce(Sum(f"figures__{field}", filter=Q(figures__year=year)), ZERO)


def totals(accounts: QuerySet[Account], *, year: int) -> Totals:
    """Two aggregate queries: figures and contact over the accounts, and their pipeline."""
    figures = YearlyFigures.objects.filter(account__in=accounts.values("pk"), year=year).aggregate(
        revenue=Coalesce(Sum("revenue"), ZERO),
        margin=Coalesce(Sum("contribution_margin"), ZERO),
        revenue_target=Coalesce(Sum("revenue_target"), ZERO),
        margin_target=Coalesce(Sum("margin_target"), ZERO),
        accounts=Count("account", distinct=True),
    )
    pipeline = Opportunity.objects.filter(
        OPEN, account__in=accounts.values("pk"), expected_close_date__year=year
    ).aggregate(weighted=Coalesce(Sum(WEIGHTED), ZERO))
    without_contact = accounts.filter(no_contact_filter()).count()
    return Totals(
        revenue=figures["revenue"],
        margin=figures["margin"],
        revenue_target=figures["revenue_target"],
        margin_target=figures["margin_target"],
        weighted_pipeline=pipeline["weighted"],
        accounts=figures["accounts"],
        without_contact=without_contact,
    )


def attainment_by(accounts: QuerySet[Account], *, year: int, by: str) -> list[dict]:
    """Revenue, target and attainment per `by` ("owner" or "region"), biggest first; one
    query."""
    key = "owner" if by == "owner" else "region"
    fields = ["owner", "owner__first_name", "owner__last_name"] if key == "owner" else ["region"]
    rows = (
        YearlyFigures.objects.filter(account__in=accounts.values("pk"), year=year)
        .values(*[f"account__{f}" for f in fields])
        .annotate(
            revenue=Coalesce(Sum("revenue"), ZERO),
            target=Coalesce(Sum("revenue_target"), ZERO),
            accounts=Count("account", distinct=True),
        )
        .order_by("-revenue")
    )
    result = []
    for row in rows:
        revenue, target = row["revenue"], row["target"]
        entry = {
            "revenue": revenue,
            "target": target,
            "accounts": row["accounts"],
            "attainment": (revenue * 100 / target).quantize(Decimal("0.1")) if target else None,
        }
        if key == "owner":
            entry["owner_id"] = row["account__owner"]
            entry["label"] = (
                f"{row['account__owner__first_name']} {row['account__owner__last_name']}".strip()
            )
        else:
            entry["region"] = row["account__region"]
            entry["label"] = row["account__region"] or "–"
        result.append(entry)
    return result


def health_distribution(accounts: QuerySet[Account]) -> list[int]:
    """How many accounts' latest stored score falls into each band; one query."""
    scored = accounts.annotate(latest=latest_health())
    counts = scored.aggregate(
        **{
            f"b{index}": Count("pk", filter=Q(latest__gte=low, latest__lt=high))
            for index, (low, high) in enumerate(HEALTH_BANDS)
        }
    )
    return [counts[f"b{index}"] for index in range(len(HEALTH_BANDS))]


DRILLS = {"revenue", "below_target", "no_contact", "health", "owner", "region"}


def drill_down(accounts: QuerySet[Account], *, year: int, metric: str, value: str = "") -> QuerySet:
    """The accounts behind a figure, with revenue, target, last contact and latest health
    annotated; one query per page."""

    def figure(name):
        return Subquery(
            YearlyFigures.objects.filter(account=OuterRef("pk"), year=year).values(name)[:1],
            output_field=MONEY,
        )

    rows = accounts.select_related("owner").annotate(
        year_revenue=figure("revenue"),
        year_target=figure("revenue_target"),
        health_score=latest_health(),
    )
    if metric == "revenue":
        rows = rows.filter(year_revenue__gt=0)
    elif metric == "below_target":
        rows = rows.filter(year_target__gt=0, year_revenue__lt=F("year_target"))
    elif metric == "no_contact":
        rows = rows.filter(no_contact_filter())
    elif metric == "health" and value.isdigit() and int(value) < len(HEALTH_BANDS):
        low, high = HEALTH_BANDS[int(value)]
        rows = rows.filter(health_score__gte=low, health_score__lt=high)
    elif metric == "owner" and value.isdigit():
        rows = rows.filter(owner_id=int(value), year_revenue__isnull=False)
    elif metric == "region":
        rows = rows.filter(region=value, year_revenue__isnull=False)
    attainment = Case(
        When(year_target__gt=0, then=ExpressionWrapper(
            F("year_revenue") * 100 / F("year_target"), output_field=MONEY
        )),
        default=None,
        output_field=MONEY,
    )  # fmt: skip
    # This year's revenue is also stored on the account (accounts.revenue_key), with an
    # index in this order: the biggest first without ranking every account that matches.
    by = "year_revenue"
    if year == this_year():
        by = revenue_key.sort_field(year)
    return rows.annotate(attainment=attainment).order_by(F(by).desc(nulls_last=True), "name", "pk")
