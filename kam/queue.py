"""Handing work to the Celery broker without letting a Redis outage reach the user.

Work that must happen is recorded in the database first (a folder version "queued", a
reminder waiting for its digest); the task is only the nudge that does it now. `send`
hands a task to the broker and answers False, with a logged warning, when the broker
cannot be reached: the broker's retries are bounded in the settings (about a second), so
a request never hangs on it, and a periodic scan (beat) queues what was recorded but not
handed over once Redis is back.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# What the user reads when the work is recorded but could not be queued (page and API).
QUEUE_UNAVAILABLE = _(
    "The task queue cannot be reached right now. Your request is saved and will be "
    "carried out as soon as the queue is back; there is no need to send it again."
)


def send(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Queue `task`; False when the broker cannot be reached (logged, never raised).

    Tasks run in process (no Redis configured) are not wrapped: their own errors are the
    caller's to see, as with any function call."""
    if task.app.conf.task_always_eager:
        task.apply_async(args, kwargs)
        return True
    try:
        task.apply_async(args, kwargs)
    except Exception as exc:  # noqa: BLE001 - any failure to hand over means "not queued"
        log.warning("Could not queue %s%r (%s); a scan queues it later", task.name, args, exc)
        return False
    return True


def sender(task: Task, *args: Any, **kwargs: Any) -> Callable[[], bool]:
    """`send` as a callable for `transaction.on_commit`."""
    return lambda: send(task, *args, **kwargs)
