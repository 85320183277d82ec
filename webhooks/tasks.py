from celery import shared_task

from kam.queue import send
from webhooks import delivery


@shared_task(acks_late=True)
def deliver(message_id: int) -> str:
    """One attempt; on success the messages of the same record waiting behind it follow
    (a hundred, then a new task takes over)."""
    outcomes, left = delivery.send_in_line(message_id)
    if left is not None:
        send(deliver, left)
    return outcomes[0]


@shared_task
def send_due() -> int:
    """Beat: send what waits (a retry whose time came, a message queued while Redis was
    away, one that waited behind an older message of its record)."""
    return delivery.send_due()
