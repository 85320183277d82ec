from celery import shared_task

from kam.queue import send
from webhooks import delivery

# A task sends at most this many messages of one record before handing on to a new task.
DRAIN = 100


@shared_task(acks_late=True)
def deliver(message_id: int) -> str:
    """One attempt; on success the messages of the same record waiting behind it follow."""
    outcome, following = delivery.attempt(message_id)
    for _ in range(DRAIN):
        if following is None:
            return outcome
        _next_outcome, following = delivery.attempt(following)
    if following is not None:
        send(deliver, following)
    return outcome


@shared_task
def send_due() -> int:
    """Beat: send what waits (a retry whose time came, a message queued while Redis was
    away, one that waited behind an older message of its record)."""
    return delivery.send_due()
