from celery import shared_task
from django.utils import timezone

from contracts import services


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def refresh_passed_notice_deadlines() -> int:
    """Daily: stored next notice deadlines that have passed move on to the next one. The
    lists stay exact before it runs (they compute those dates); this keeps them few."""
    return services.refresh_passed_notice_deadlines(today=timezone.localdate())
