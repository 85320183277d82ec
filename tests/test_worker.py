"""A task through a real Celery worker on Redis (only when REDIS_URL is set, as in CI)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"),
]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def celery_worker_process(settings):
    from kam.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kam", "worker", "--pool=solo",
         "--loglevel=warning", "--without-gossip", "--without-mingle", "--hostname",
         f"test-{os.getpid()}@%h"],
        cwd=ROOT,
        env={**os.environ},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if app.control.ping(timeout=1.0):
                break
        else:
            pytest.fail("the Celery worker did not start within 30 s")
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        app.conf.task_always_eager = True


def test_task_runs_on_a_real_worker(celery_worker_process):
    from kam.tasks import ping

    result = ping.delay()
    assert result.get(timeout=20) == "pong"


def test_health_round_trip_through_the_worker(client, db, celery_worker_process):
    response = client.get(reverse("health") + "?worker=1")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["worker"] == {"ok": True, "error": None, "mode": "celery"}
