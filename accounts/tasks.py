from celery import shared_task

from accounts import revenue_key


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def roll_over_revenue_keys() -> int:
    """At New Year, every account's revenue sort key moves to the new year's figures. Run
    nightly, so that a missed New Year night is made up the next; on other nights it finds
    nothing to do."""
    return revenue_key.refresh()
