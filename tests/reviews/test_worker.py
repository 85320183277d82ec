"""The folder rendered by a real Celery worker on Redis (only when REDIS_URL is set and the
tests run on PostgreSQL, as in CI): one render end to end, and a worker killed in the middle
of a render whose retry leaves exactly one version and a whole file."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from pypdf import PdfReader

from kam.celery import app
from reviews import services
from reviews.models import FolderVersion

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="the worker process needs the test database on PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(settings, media_root):
    """A prefork worker with one child process, on the test database and media folder."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kam", "worker", "--pool=prefork",
         "--concurrency=1", "--loglevel=warning", "--without-gossip", "--without-mingle",
         "--hostname", f"reviews-{os.getpid()}@%h"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media_root)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if app.control.ping(timeout=1.0):
                break
        else:
            pytest.fail("the Celery worker did not start within 30 s")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        app.conf.task_always_eager = True


def _wait_for(version_id: int, statuses: set[str], seconds: float) -> FolderVersion:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = FolderVersion.objects.get(pk=version_id)
        if version.status in statuses:
            return version
        time.sleep(0.01)
    pytest.fail(f"version {version_id} did not reach {statuses} within {seconds} s")


def _pages(version: FolderVersion) -> int:
    return len(PdfReader(version.file.path).pages)


def test_worker_renders_the_folder(worker, review, kam):
    version, _new = services.folder_request(actor=kam, review=review)
    done = _wait_for(version.pk, {"done", "failed"}, 90)
    assert done.status == "done", done.error
    assert _pages(done) == done.pages >= 4


def test_killed_worker_retry_makes_exactly_one_version(worker, review, kam, media_root):
    # Enough market data for a long render, so that the worker can be caught in it.
    for number in range(400):
        services.market_figure_save(
            actor=kam, review=review, topic=f"Marktsegment {number}", figure=f"{number} Mio. €"
        )
    version, _new = services.folder_request(actor=kam, review=review)
    _wait_for(version.pk, {"rendering"}, 60)
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert children, "the worker has no pool process"
    for child in children:
        os.kill(int(child), signal.SIGKILL)
    done = _wait_for(version.pk, {"done", "failed"}, 180)
    assert done.status == "done", done.error
    assert done.attempts >= 2
    assert FolderVersion.objects.filter(review=review).count() == 1
    assert _pages(done) == done.pages
    folder = Path(done.file.path).parent
    assert [p.name for p in folder.iterdir()] == [Path(done.file.name).name]  # no temp files
