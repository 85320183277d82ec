from celery import shared_task
from django.utils import timezone

from contracts import services


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def refresh_passed_notice_deadlines() -> int:
    """Daily: contracts whose stored dates no longer hold (a term end or deadline has
    passed) get today's. The lists stay exact before it runs (they bring the stale ones up
    to date first); this keeps that work off the first request of the day."""
    return services.roll_dates_forward(today=timezone.localdate())
