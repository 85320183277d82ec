"""Operations: with LOG_FORMAT=json every request writes one JSON line with its request
id, user id, path, status, duration and number of queries; a task queued by a request
logs the same request and user ids. Settings for files, logs and connections refuse
values that cannot work, with a line naming the variable."""

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.signals import before_task_publish

from kam import logs, request_id
from kam.celery import app
from kam.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_lines():
    """What the console handler writes with LOG_FORMAT=json, one parsed line each."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(request_id.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_a_request_writes_one_json_line_with_its_ids_and_figures(kam, kam_client, json_lines):
    response = kam_client.get("/", HTTP_X_REQUEST_ID="trace-41")
    assert response.status_code == 200
    [line] = [line for line in json_lines() if line["logger"] == "kam.request"]
    assert line["request_id"] == "trace-41"
    assert line["user_id"] == kam.pk
    assert line["path"] == "/"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["queries"] >= 1
    assert line["level"] == "INFO"


def test_an_anonymous_request_has_no_user_id_and_costs_no_query_for_it(client, json_lines):
    client.get("/health/")
    [line] = [line for line in json_lines() if line["logger"] == "kam.request"]
    assert line["user_id"] is None
    assert line["path"] == "/health/"


def test_a_task_queued_by_a_request_logs_its_request_and_user_id(kam, json_lines):
    published: list[dict] = []

    def spy(headers=None, **kwargs):
        published.append(dict(headers or {}))

    before_task_publish.connect(spy, weak=False)
    app.conf.task_always_eager = False
    request_token = logs.current_request.set(SimpleNamespace(user=kam))  # signed in
    id_token = request_id.current.set("req-9")
    try:
        ping.apply_async()
    finally:
        request_id.current.reset(id_token)
        logs.current_request.reset(request_token)
        app.conf.task_always_eager = True
        before_task_publish.disconnect(spy)
    assert published[-1][request_id.TASK_HEADER] == "req-9"
    assert published[-1][logs.TASK_USER_HEADER] == kam.pk

    @app.task(name="tests.log_for_a_user")
    def log_for_a_user():
        logging.getLogger("tests.task").info("working")

    # The worker's side: the task runs with the ids of its message.
    log_for_a_user.apply(headers={request_id.TASK_HEADER: "req-9", "user_id": kam.pk})
    [line] = [line for line in json_lines() if line["message"] == "working"]
    assert line["request_id"] == "req-9"
    assert line["user_id"] == kam.pk
    assert line["task"] == "tests.log_for_a_user"
    assert line["task_id"]
    assert logs.task_user_id.get() is None  # nothing leaks to the next task


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import kam.settings"],
        cwd=ROOT,
        env={"SECRET_KEY": "x", "PATH": "", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LOG_FORMAT": "jsno"}, "LOG_FORMAT"),
        ({"FILE_DOWNLOAD": "redirect"}, "S3_BUCKET"),
        ({"FILE_DOWNLOAD": "link"}, "FILE_DOWNLOAD='link'"),
        ({"DB_POOL_MAX_SIZE": "10"}, "DB_POOL_MAX_SIZE needs PostgreSQL"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
    ],
)
def test_a_setting_that_cannot_work_stops_the_start(env, named):
    result = _start(**env)
    assert result.returncode == 1
    assert named in result.stderr


def test_sentry_is_on_only_with_a_dsn_and_sends_no_personal_data():
    probe = (
        "import kam.settings, sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], "
        "sorted(i for i in c.integrations if i in ('django', 'celery')))"
    )

    def run(**env: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env={"SECRET_KEY": "x", "PATH": "", **env},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()

    assert run().startswith("False")
    # A DSN on a closed local port: initialised, and nothing can leave the machine.
    assert run(SENTRY_DSN="http://public@127.0.0.1:9/1") == "True False ['celery', 'django']"
