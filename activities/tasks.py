from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from activities import services

# Run hourly; a day of overlap means an hour or two without beat loses nothing.
LOOKBACK = timedelta(days=1)


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def refresh_due_last_contacts() -> int:
    """Planned activities whose time has passed become the contacts' last contact."""
    return services.refresh_last_contacted_since(since=timezone.now() - LOOKBACK)
