from celery import shared_task

from planning.action_plan import forecast_store


@shared_task(ignore_result=True)
def refresh_forecasts() -> int:
    """Every night: the stored forecast of this and last year's open objectives (the
    run-rate counts the months still to come, so it moves with the calendar)."""
    return forecast_store.refresh_open_forecasts()
