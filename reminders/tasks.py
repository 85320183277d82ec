"""Beat (CELERY_BEAT_SCHEDULE in kam/settings.py) runs `scan` once per rule (the rule's
key is its only argument, never object ids) and `send_digests` every quarter of an hour.
Both are idempotent: a rerun, a second beat or a task redelivered after a killed worker
creates and mails nothing twice. Nothing reads their results, so none are stored."""

from celery import shared_task

from kam import queue
from reminders import digests, services


def _queue_digests() -> None:
    # With the broker away the reminders are stored all the same; the digest of the next
    # quarter of an hour (beat) mails them.
    queue.send(send_digests)


@shared_task(ignore_result=True)
def scan(rule_key: str) -> int:
    return services.run_rule(rule_key, on_new=_queue_digests)


@shared_task(ignore_result=True)
def send_digests() -> int:
    return digests.send_digests()
