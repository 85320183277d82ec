"""The Celery app. Settings come from Django's settings (CELERY_* names)."""

import os
from datetime import UTC, datetime

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")


class KamTask(Task):
    """Refuses an ETA or countdown beyond the broker's visibility timeout: Redis hands an
    unacknowledged message to another worker once that time has passed, and a task that
    waits for its ETA is unacknowledged, so it would run twice. Use beat for later work."""

    def apply_async(self, args=None, kwargs=None, **options):
        limit = self.app.conf.broker_transport_options.get("visibility_timeout")
        delay = options.get("countdown") or 0
        eta = options.get("eta")
        if isinstance(eta, datetime):
            now = datetime.now(eta.tzinfo) if eta.tzinfo else datetime.now(UTC).replace(tzinfo=None)
            delay = max(delay, (eta - now).total_seconds())
        if limit and delay > limit:
            raise ValueError(
                f"{self.name}: an ETA or countdown of {delay:.0f} s is beyond the broker's "
                f"visibility timeout ({limit} s); the task would run twice"
            )
        return super().apply_async(args, kwargs, **options)


app = Celery("kam", task_cls=KamTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_stale_db_connections(task=None, **kwargs) -> None:
    # A worker lives for days; drop connections the database may have closed meanwhile,
    # exactly as Django does around each web request. A task run eagerly (no Redis) runs
    # inside the caller's request or transaction, whose connection must stay open.
    if task is not None and task.request.is_eager:
        return
    close_old_connections()
