"""The folder rendered by a real Celery worker on Redis (only when REDIS_URL is set and the
tests run on PostgreSQL, as in CI): one render end to end, and a worker killed in the middle
of a render whose retry leaves exactly one version and a whole file; the faults of a
render (a database connection killed mid-render, the whole worker killed with kill -9,
Redis losing a queued message) each end with every requested folder "done"."""

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
from reviews.tasks import queue_waiting_folders

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


def _start_worker(media_root, **env: str) -> subprocess.Popen:
    """A prefork worker with one child process, on the test database and media folder."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kam", "worker", "-Q", "folders,celery",
         "--pool=prefork", "--concurrency=1", "--loglevel=warning", "--without-gossip",
         "--without-mingle",
         "--hostname", f"reviews-{os.getpid()}-{time.monotonic_ns()}@%h"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media_root),
             **env},
    )  # fmt: skip
    deadline = time.monotonic() + 120  # a busy machine (CI) starts it slowly
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return process
    process.terminate()
    pytest.fail("the Celery worker did not start within 120 s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(autouse=True)
def long_lists(settings):
    """A render long enough to be caught needs more market rows than a user may enter."""
    settings.LIST_MAX_ITEMS = 1000


@pytest.fixture
def queue_to_workers(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def worker(queue_to_workers, media_root):
    process = _start_worker(media_root)
    yield process
    _stop(process)


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
    _wait_for(version.pk, {"rendering"}, 120)
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


# The faults of a render (README "Reliability"). The workers below hold a lease of LEASE
# seconds per attempt (FOLDER_RENDER_TIME_LIMIT), so every requested folder must end "done"
# or "failed" within a few leases; the test plays beat's scan once a second.
LEASE = 60


def _big_review(review, kam) -> None:
    """Enough market data for a render of some seconds, so that it can be caught."""
    for number in range(400):
        services.market_figure_save(
            actor=kam, review=review, topic=f"Marktsegment {number}", figure=f"{number} Mio. €"
        )


def _settle(version_ids: list[int], seconds: float) -> list[FolderVersion]:
    """Beat's scan once a second until every version is done or failed (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        queue_waiting_folders()
        versions = list(FolderVersion.objects.filter(pk__in=version_ids).order_by("pk"))
        if all(v.status in ("done", "failed") for v in versions):
            return versions
        time.sleep(1)
    states = FolderVersion.objects.filter(pk__in=version_ids).values_list("pk", "status")
    pytest.fail(f"not finished within {seconds} s: {list(states)}")


def _assert_whole_files(review, versions: list[FolderVersion]) -> None:
    assert FolderVersion.objects.filter(review=review).count() == len(versions)
    for version in versions:
        assert version.status == "done", version.error
        assert _pages(version) == version.pages
    folder = Path(versions[0].file.path).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(v.file.name).name for v in versions
    )  # one file per version, no temporary files


def test_database_connection_killed_mid_render_still_ends_done(
    queue_to_workers, media_root, review, kam
):
    worker = _start_worker(media_root, FOLDER_RENDER_TIME_LIMIT=str(LEASE))
    try:
        _big_review(review, kam)
        version, _new = services.folder_request(actor=kam, review=review)
        _wait_for(version.pk, {"rendering"}, 120)
        with connection.cursor() as cursor:  # every connection of the worker, while it renders
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        [done] = _settle([version.pk], 2 * LEASE + 30)
        _assert_whole_files(review, [done])
    finally:
        _stop(worker)


def test_worker_killed_with_kill_9_mid_render_every_folder_ends_done(
    queue_to_workers, media_root, review, kam
):
    worker = _start_worker(media_root, FOLDER_RENDER_TIME_LIMIT=str(LEASE))
    try:
        _big_review(review, kam)
        customer, _new = services.folder_request(actor=kam, review=review)
        internal, _new = services.folder_request(actor=kam, review=review, internal=True)
        assert internal.pk != customer.pk
        _wait_for(customer.pk, {"rendering"}, 120)
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        os.kill(worker.pid, signal.SIGKILL)  # the main process and its child: no goodbye
        for child in children:
            os.kill(int(child), signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        _stop(worker)
    # The service manager starts a new worker; the killed attempt's message stays unacked
    # in Redis for the visibility timeout (an hour), so only the lease brings it back.
    worker = _start_worker(media_root, FOLDER_RENDER_TIME_LIMIT=str(LEASE))
    try:
        done = _settle([customer.pk, internal.pk], 2 * LEASE + 60)
        _assert_whole_files(review, done)
        by_pk = {v.pk: v for v in done}
        assert by_pk[customer.pk].attempts == 2  # taken again once its lease ran out
        assert by_pk[internal.pk].attempts == 1  # rendered once, never twice
        assert by_pk[internal.pk].internal and not by_pk[customer.pk].internal
    finally:
        _stop(worker)


def test_render_queued_before_redis_lost_its_data_is_sent_again(
    queue_to_workers, media_root, settings, review, kam
):
    settings.FOLDER_QUEUE_GRACE_SECONDS = 5
    version, _new = services.folder_request(actor=kam, review=review)  # no worker yet
    version.refresh_from_db()
    assert version.queued_at is not None
    app.control.purge()  # Redis restarted without its data: the message is gone
    worker = _start_worker(media_root, FOLDER_RENDER_TIME_LIMIT=str(LEASE))
    try:
        [done] = _settle([version.pk], LEASE)
        _assert_whole_files(review, [done])
        assert done.attempts == 1
    finally:
        _stop(worker)
