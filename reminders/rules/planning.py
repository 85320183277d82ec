"""Plans: account plans not reviewed for PLAN_STALE_DAYS days, objectives whose stored
forecast says at risk or off track, and overdue plan actions."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.account_plan.selectors import LIVING, with_review_age
from planning.action_plan.selectors import (
    AT_RISK,
    CLOSED_OBJECTIVE,
    OFF_TRACK,
    OPEN_ACTION,
    VERDICT_LABELS,
)
from planning.models import AccountPlan, Action, Objective
from reminders.registry import Due, Rule, When
from reminders.rules import link


def stale_plans(when: When):
    """The planning pages' stale rule by calendar day: a plan reviewed on day R is due for
    review on day R + PLAN_STALE_DAYS, whatever the hour of the scan."""
    url = link("planning:account_plan_detail")
    first_fresh_day = when.today - timedelta(days=settings.PLAN_STALE_DAYS - 1)
    cutoff = timezone.make_aware(datetime.combine(first_fresh_day, time.min))
    rows = (
        with_review_age(AccountPlan.objects.all())
        .filter(status__in=LIVING, reviewed_or_created__lt=cutoff)
        .values_list("pk", "reviewed_or_created", "account__owner_id", "account__name", "year",
                     "account_id")
        .order_by()
    )  # fmt: skip
    for pk, since, owner_id, name, year, account_id in rows.iterator(chunk_size=5000):
        since_on = timezone.localdate(since)
        yield Due(
            object_id=pk,
            due_on=since_on + timedelta(days=settings.PLAN_STALE_DAYS),
            recipient_id=owner_id,
            subject=f"{name} {year}",
            url=url(pk),
            account_id=account_id,
            params={"since_on": since_on.isoformat(), "days": settings.PLAN_STALE_DAYS},
        )


def objectives_at_risk(when: When):
    url = link("accounts:detail")
    # The stored forecast (planning.action_plan.forecast_store), as on the Plans page.
    rows = (
        Objective.objects.exclude(status__in=CLOSED_OBJECTIVE)
        .filter(stored_forecast_verdict__in=[AT_RISK, OFF_TRACK])
        .values_list("pk", "due_on", "owner_id", "title", "account_id", "stored_forecast_verdict")
        .order_by()
    )
    for pk, due_on, owner_id, title, account_id, verdict in rows.iterator(chunk_size=5000):
        # Once per objective: its due date is the key's date, whatever the verdict.
        yield Due(
            object_id=pk,
            due_on=due_on,
            recipient_id=owner_id,
            subject=title,
            url=url(account_id),
            account_id=account_id,
            params={"verdict": verdict},
        )


def overdue_actions(when: When):
    url = link("accounts:detail")
    rows = (
        Action.objects.filter(status__in=OPEN_ACTION, due_on__lt=when.today)
        .values_list("pk", "due_on", "owner_id", "title", "objective__account_id")
        .order_by()
    )
    for pk, due_on, owner_id, title, account_id in rows.iterator(chunk_size=5000):
        yield Due(
            object_id=pk,
            due_on=due_on,
            recipient_id=owner_id,
            subject=title,
            url=url(account_id),
            account_id=account_id,
        )


RULES = [
    Rule(
        key="plan_not_reviewed",
        label=_("Account plans not reviewed"),
        model="planning.accountplan",
        message=_("The account plan %(subject)s has not been reviewed since %(since_on)s."),
        scan=stale_plans,
        settled=lambda plan: (
            plan.status == AccountPlan.Status.ARCHIVED
            or (
                plan.last_reviewed_at is not None
                and plan.last_reviewed_at
                > timezone.now() - timedelta(days=settings.PLAN_STALE_DAYS)
            )
        ),
        order=50,
    ),
    Rule(
        key="objective_at_risk",
        label=_("Objectives at risk"),
        model="planning.objective",
        message=_("The objective “%(subject)s” (due %(due_on)s) is %(verdict)s."),
        scan=objectives_at_risk,
        settled=lambda objective: objective.status in CLOSED_OBJECTIVE,
        param_labels={"verdict": VERDICT_LABELS},
        order=51,
    ),
    Rule(
        key="plan_action_overdue",
        label=_("Overdue plan actions"),
        model="planning.action",
        message=_("The plan action “%(subject)s” was due on %(due_on)s."),
        scan=overdue_actions,
        settled=lambda action: action.status not in OPEN_ACTION,
        order=52,
    ),
]
