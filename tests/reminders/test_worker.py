"""Reminders through a real Celery worker and beat on Redis and PostgreSQL (as in CI):
beat schedules the scans, and a worker killed in the middle of a digest loses no reminder
and sends no e-mail twice."""

import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from activities import services as activity_services
from reminders.models import Digest, Reminder
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and settings.IS_POSTGRES),
        reason="needs REDIS_URL (real Redis) and PostgreSQL (shared with the worker)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent.parent


def _database_url() -> str:
    db = connection.settings_dict  # the test database, so the worker sees the test's rows
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def outbox_dir(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def process_env(outbox_dir) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_FILE_PATH": str(outbox_dir),
        "REMINDER_SCAN_SECONDS": "5",
        "REMINDER_DIGEST_HOUR": "0",
    }


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "kam", *args], cwd=ROOT, env=env)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def celery_app(settings):
    from kam.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.task_always_eager = True


def _wait_for_worker(app, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    pytest.fail(f"the Celery worker did not start within {timeout} s")


@pytest.fixture
def worker(celery_app, process_env):
    """A prefork worker with one child: killing the child is a worker lost mid-task; the
    parent forks a new child and Redis hands the task over again (acks late)."""
    process = _start(
        ["worker", "-Q", "celery,notifications", "--pool=prefork", "--concurrency=1",
         "--loglevel=error", "--without-gossip", "--without-mingle", "--hostname",
         f"reminders-{os.getpid()}@%h"],
        process_env,
    )  # fmt: skip
    try:
        _wait_for_worker(celery_app)
        yield process
    finally:
        _stop(process)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _outbox(folder: Path) -> str:
    return "".join(path.read_text() for path in sorted(folder.iterdir()))


def test_beat_schedules_the_scan_and_the_digest_goes_out(
    worker, process_env, outbox_dir, tmp_path, kam, account
):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Angebot nachfassen",
        due_on=timezone.localdate(),
    )  # fmt: skip
    beat = _start(
        ["beat", "--loglevel=error", "--schedule", str(tmp_path / "beat-schedule")], process_env
    )
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if Reminder.objects.filter(rule="follow_up_due", object_id=follow_up.pk).exists():
                break
            time.sleep(0.5)
        else:
            pytest.fail("beat did not schedule the follow-up scan within 45 s")
        # The scan queued the digest on commit; the worker sends it.
        while time.monotonic() < deadline and not Digest.objects.filter(sent_at__isnull=False):
            time.sleep(0.5)
    finally:
        _stop(beat)
    reminder = Reminder.objects.get(rule="follow_up_due", object_id=follow_up.pk)
    assert reminder.recipient == kam
    assert reminder.digest.sent_at is not None
    assert "Angebot nachfassen" in _outbox(outbox_dir)


def test_killing_the_worker_during_digests_loses_no_reminder_and_doubles_no_mail(
    worker, celery_app, outbox_dir
):
    from reminders.tasks import send_digests

    created = 0
    kills = 0
    mid_digest = 0  # kills that fell while a digest run was half done
    rng = random.Random(15)
    started = time.monotonic()
    for iteration in range(20):
        if time.monotonic() - started > 25:  # bounded: the loop never holds up the suite
            break
        for number in range(12):
            user = UserFactory(username=f"w{iteration}-{number}")
            Reminder.objects.bulk_create(
                Reminder(
                    rule="follow_up_due",
                    object_type="activities.followup",
                    object_id=iteration * 1000 + number * 10 + item,
                    due_on=date(2026, 11, 27),
                    recipient=user,
                    subject=f"Nachfassen {iteration}-{number}-{item}",
                    url=f"/activities/my-work/#r-{iteration}-{number}-{item}",
                )  # fmt: skip
                for item in range(3)
            )
            created += 3
        send_digests.delay()
        # Kill once the run has begun: right at its start, half-way, or as it ends.
        begun = time.monotonic() + 3
        batch = Reminder.objects.filter(recipient__username__startswith=f"w{iteration}-")
        while time.monotonic() < begun and not batch.filter(digest__isnull=False).exists():
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.08))
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)
            kills += 1
            taken = batch.filter(digest__isnull=False).count()
            if 0 < taken < batch.count():
                mid_digest += 1
        time.sleep(0.3)  # the parent notices and forks a new child
    assert mid_digest > 0

    # Whatever was in flight is redelivered; one more run picks up what is left.
    send_digests.delay()
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        if not Reminder.objects.filter(digest__isnull=True).exists():
            break
        time.sleep(0.5)

    assert Reminder.objects.count() == created  # no reminder lost
    assert not Reminder.objects.filter(digest__isnull=True).exists()  # each one was taken up
    mailed = re.findall(r"#r-\d+-\d+-\d+", _outbox(outbox_dir))
    assert len(mailed) == len(set(mailed))  # no reminder in two e-mails
    confirmed = Reminder.objects.filter(digest__sent_at__isnull=False)
    for url in confirmed.values_list("url", flat=True):
        assert url[url.index("#") :] in mailed
    # A digest can be claimed and not confirmed only if a kill fell between the commit
    # and the e-mail (or the e-mail and its confirmation): never sent twice, reported.
    unconfirmed = Digest.objects.filter(sent_at__isnull=True).count()
    assert unconfirmed <= kills
