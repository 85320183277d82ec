"""The Celery app. Settings come from Django's settings (CELERY_* names)."""

import os
from datetime import UTC, datetime

from celery import Celery, Task
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
)
from celery.utils.log import ColorFormatter
from django.conf import settings
from django.db import close_old_connections

from kam import logs, metrics, request_id

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


@before_task_publish.connect
def carry_request_id(headers=None, **kwargs) -> None:
    """A task queued while a request runs carries its id to the worker."""
    rid = request_id.current.get()
    if headers is not None and rid != request_id.NONE:
        headers.setdefault(request_id.TASK_HEADER, rid)
    user_id = logs.current_user_id()
    if headers is not None and user_id is not None:
        headers.setdefault(logs.TASK_USER_HEADER, user_id)


@task_prerun.connect
def adopt_request_id(task=None, **kwargs) -> None:
    # A task run eagerly runs inside the request and has its id already.
    if task is None:
        return
    rid = getattr(task.request, request_id.TASK_HEADER, None) or (task.request.headers or {}).get(
        request_id.TASK_HEADER
    )
    if rid and request_id.is_sane(rid):
        task.request.request_id_token = request_id.current.set(rid)
    user_id = getattr(task.request, logs.TASK_USER_HEADER, None) or (
        task.request.headers or {}
    ).get(logs.TASK_USER_HEADER)
    if isinstance(user_id, int):
        task.request.user_id_token = logs.task_user_id.set(user_id)


@task_postrun.connect
def drop_request_id(task=None, **kwargs) -> None:
    token = getattr(task.request, "request_id_token", None) if task is not None else None
    if token is not None:
        request_id.current.reset(token)
        task.request.request_id_token = None
    user_token = getattr(task.request, "user_id_token", None) if task is not None else None
    if user_token is not None:
        logs.task_user_id.reset(user_token)
        task.request.user_id_token = None


@after_setup_logger.connect
@after_setup_task_logger.connect
def log_request_ids(logger=None, format=None, **kwargs) -> None:  # noqa: A002 - Celery's name
    """The worker's own handlers write the request id too (Celery replaces the root
    logger's handlers with its own in the worker)."""
    for handler in logger.handlers if logger is not None else ():
        handler.addFilter(request_id.RequestIdFilter())
        if settings.LOG_JSON:  # the same JSON lines as the web process, with the task's ids
            handler.setFormatter(logs.JsonFormatter())
            continue
        formatter = handler.formatter
        if format and isinstance(formatter, ColorFormatter):  # TaskFormatter too
            with_id = format.replace("%(message)s", "[%(request_id)s] %(message)s")
            handler.setFormatter(type(formatter)(with_id, use_color=formatter.use_color))


@task_success.connect
def count_success(sender=None, **kwargs) -> None:
    if sender is not None and not sender.request.is_eager:
        metrics.count_task(sender.name, "succeeded")


@task_failure.connect
def count_failure(sender=None, **kwargs) -> None:
    if sender is not None and not sender.request.is_eager:
        metrics.count_task(sender.name, "failed")


@task_retry.connect
def count_retry(sender=None, **kwargs) -> None:
    if sender is not None:
        metrics.count_task(sender.name, "retried")
