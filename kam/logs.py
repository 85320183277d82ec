"""Log lines as JSON (LOG_FORMAT=json): one object per line, for a log collector.

Every line has the time, level, logger, message and the request id; a line written while
a request runs (or by a task a request queued) also has the user id, and a line written in
a Celery task its name and id. The request line (kam.middleware.RequestIdMiddleware) adds
method, path, status, duration_ms and queries. Readable lines stay the default.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

from celery import current_task
from django.utils.functional import SimpleLazyObject, empty

from kam import request_id

# The request being answered, to read its user once authentication has run (the session's
# user is lazy, an API token's is set by the view): never evaluated here, so that a log
# line costs no query.
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "current_request", default=None
)
# The user id a task was queued for (carried in the message like the request id).
task_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "task_user_id", default=None
)
TASK_USER_HEADER = "user_id"

# The attributes every LogRecord has; anything else came in `extra=` and is written too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


def current_user_id() -> int | None:
    request = current_request.get()
    if request is None:
        return task_user_id.get()
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.current.get(),
            "user_id": current_user_id(),
        }
        task = current_task
        if task and task.request and task.request.id:
            line["task"] = task.name
            line["task_id"] = task.request.id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
