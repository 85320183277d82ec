"""Reads of account plans that more than one page uses: the stale rule and its list."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import scoped
from planning.account_plan.services import SWOT_FIELDS
from planning.models import AccountPlan

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ReviewAge(TypedDict):
    reviewed_or_created: datetime


LIVING = (AccountPlan.Status.DRAFT, AccountPlan.Status.ACTIVE)


def stale_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.PLAN_STALE_DAYS)


def is_stale(plan: AccountPlan, now: datetime | None = None) -> bool:
    """A draft or active plan not reviewed for PLAN_STALE_DAYS days. A plan never reviewed
    counts from its creation: a draft started yesterday is not stale yet."""
    if plan.status not in LIVING:
        return False
    since = plan.last_reviewed_at or plan.created_at
    return since is None or since < stale_cutoff(now)


def stale_filter(now: datetime | None = None) -> Q:
    """is_stale() in SQL; needs the `reviewed_or_created` annotation of with_review_age()."""
    return Q(status__in=LIVING, reviewed_or_created__lt=stale_cutoff(now))


def with_review_age(
    queryset: QuerySet[AccountPlan],
) -> "QuerySet[WithAnnotations[AccountPlan, ReviewAge]]":
    return queryset.annotate(reviewed_or_created=Coalesce("last_reviewed_at", "created_at"))


def stale_plans(user) -> QuerySet[AccountPlan, Any]:
    """Draft and active plans of the user's accounts not reviewed for PLAN_STALE_DAYS days
    (or, never reviewed, created that long ago); the longest unreviewed first.
    Preloads the account, its owner and the last reviewer."""
    plans = with_review_age(scoped(user, AccountPlan.objects.all()))
    return (
        plans.filter(stale_filter())
        .select_related("account", "account__owner", "last_reviewed_by")
        .order_by("reviewed_or_created", "account__name", "pk")
    )


def plan_list(user) -> QuerySet[AccountPlan]:
    """Plans of the user's accounts; preloads the account and the people named on them."""
    return scoped(user, AccountPlan.objects.all()).select_related(
        "account", "last_reviewed_by", "created_by"
    )


def swot_items(plan: AccountPlan) -> dict[str, list[str]]:
    """The four SWOT lists as lists of lines."""
    return {
        name: [line for line in getattr(plan, name).splitlines() if line.strip()]
        for name in SWOT_FIELDS
    }
