"""Reads of business cases, each starting from the access scope."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.access import scoped
from accounts.models import Account
from planning.business_cases.arithmetic import scenario_result
from planning.models import BusinessCase, Scenario


def visible_cases(user) -> QuerySet[BusinessCase]:
    """Cases of the accounts the user may see, with account, opportunity and creator
    preloaded and the scenarios prefetched in one more query (with their results attached
    by `with_results`)."""
    return (
        scoped(user, BusinessCase.objects.all())
        .select_related("account", "opportunity", "created_by")
        .prefetch_related(
            Prefetch("scenarios", queryset=Scenario.objects.order_by("position", "pk"))
        )
    )


def with_results(case: BusinessCase) -> BusinessCase:
    """Attach `result` (planning.business_cases.arithmetic.ScenarioResult) to each
    prefetched scenario; no queries beyond the prefetch."""
    for scenario in case.scenarios.all():
        scenario.result = scenario_result(  # type: ignore[attr-defined]
            scenario, case.horizon_years, case.discount_rate_pct
        )
    return case


def get_case_for(user, pk) -> BusinessCase:
    """One case with its scenarios and their results; 404 outside the user's scope."""
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return with_results(case)


def account_cases(account: Account) -> QuerySet[BusinessCase]:
    """The account's cases, newest first, with the opportunity preloaded and the number of
    scenarios annotated (`scenario_count`): one query."""
    return (
        BusinessCase.objects.filter(account=account)
        .select_related("opportunity", "created_by")
        .annotate(scenario_count=Count("scenarios"))
        .order_by("-created_at", "-pk")
    )
