"""X-Request-ID: one id per request, sent back on the answer, written in every log line the
request writes and in the log lines of the Celery tasks it queues.

The id lives in a context variable, so code far from the request (services, the API's
throttles, a task run eagerly) logs it without being handed the request. A client's own id
is kept when it is sane (letters, digits and `._:=+/@-`, at most 128 characters), so that
its logs and ours can be joined; anything else (spaces, quotes, line breaks that could forge
log lines) is replaced by a fresh id.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "request_id"  # the Celery message header that carries it to the worker
NONE = "-"  # in log lines written outside any request or task

_SANE = re.compile(r"[A-Za-z0-9._:=+/@-]{1,128}")

current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NONE)


def is_sane(value: str | None) -> bool:
    return bool(value) and _SANE.fullmatch(value or "") is not None


def request_id_for(sent: str | None) -> str:
    """The client's id when it is sane, else a new one."""
    return sent if sent is not None and is_sane(sent) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for `%(request_id)s` in a log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
