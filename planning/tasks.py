from celery import shared_task
from django.db import transaction

from kam import events, queue
from planning.action_plan import forecast_store
from planning.models import Objective


@shared_task(ignore_result=True)
def refresh_forecasts() -> int:
    """Every night: the stored forecast of this and last year's open objectives (the
    run-rate counts the months still to come, so it moves with the calendar)."""
    return forecast_store.refresh_open_forecasts()


@shared_task(ignore_result=True)
def refresh_objective_forecasts(objective_ids: list[int]) -> int:
    """The stored forecast of these objectives, after a committed write they read (queued
    by forecast_store.refresh_after)."""
    return forecast_store.refresh_forecasts(Objective.objects.filter(pk__in=objective_ids))


def stage_changed(event: events.StagesChanged) -> None:
    """A stage that starts or stops counting as won or lost changes every deal on it: the
    open objectives refresh in the worker, not in the admin's request (planning.apps
    subscribes this to StagesChanged, which runs after commit). With the broker away, the
    nightly run catches up."""
    transaction.on_commit(queue.sender(refresh_forecasts))
