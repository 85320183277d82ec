"""A folder rendered by a real Celery worker, a process of its own in a working directory
of its own (as on another machine), is downloaded from the web process and deleted with
its version; on the local folder (a volume both share) and on object storage (where the
worker's own MEDIA_ROOT stays empty). Needs Redis and PostgreSQL, as in CI."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
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
def folder_worker(settings, backend, tmp_path):
    """A worker of the folder queue only, started in an empty folder of its own."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    home = tmp_path / "worker-home"
    home.mkdir()
    own_media = tmp_path / "worker-media"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(own_media),
        **backend.env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kam", "worker", "-Q", settings.FOLDER_QUEUE,
         "--pool=prefork", "--concurrency=1", "--loglevel=warning", "--without-gossip",
         "--without-mingle", "--hostname", f"folders-{os.getpid()}-{time.monotonic_ns()}@%h"],
        cwd=home,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=1.0):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("the folder worker did not start")
        yield own_media
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        app.conf.task_always_eager = True


def _wait_done(version_id: int) -> FolderVersion:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        version = FolderVersion.objects.get(pk=version_id)
        if version.status in ("done", "failed"):
            return version
        time.sleep(0.1)
    pytest.fail("the folder was not rendered within 120 s")


def test_folder_rendered_by_a_worker_elsewhere_is_downloaded_from_the_web_process(
    backend, folder_worker, kam, kam_client, account
):
    review = services.review_create(
        actor=kam,
        account=account,
        year=timezone.localdate().year,
        meeting_on=timezone.localdate(),
        place="Stuttgart",
        customer_participants=[],
    )
    version, _new = services.folder_request(actor=kam, review=review)
    done = _wait_done(version.pk)
    assert done.status == "done", done.error
    assert backend.names() == [done.file.name]
    if backend.kind == "s3":
        assert not folder_worker.exists() or not any(folder_worker.rglob("*"))

    download = kam_client.get(reverse("reviews:download", args=[review.pk, done.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert len(PdfReader(io.BytesIO(content)).pages) == done.pages

    deleted = kam_client.post(
        reverse("reviews:version_delete", args=[review.pk, done.pk]), HTTP_HX_REQUEST="true"
    )
    assert deleted.status_code == 200
    assert not FolderVersion.objects.filter(pk=done.pk).exists()
    assert backend.names() == []
