"""The life of a folder render (reviews.rendering), in process: every requested version
ends "done" or "failed". Each attempt holds a lease; a version whose lease ran out, or
that waits queued too long, is taken again by beat's scan or by the next request, up to
a maximum of attempts, then fails with a message the user can read. Internal and customer
folders are separate requests. The faults themselves (a killed worker, a killed database
connection) are in test_worker.py, with a real worker on PostgreSQL."""

import signal
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from reviews import rendering, services
from reviews.models import FolderVersion
from reviews.tasks import queue_waiting_folders
from tests.reviews.helpers import laying_out_the_folder, render

RAW_NAMES = ("SoftTimeLimitExceeded", "Exception", "Error:", "Traceback", "FolderTooLong")


def _stuck(version: FolderVersion, **fields) -> None:
    FolderVersion.objects.filter(pk=version.pk).update(**fields)


def _requested(review, kam, *, internal: bool = False) -> FolderVersion:
    """A version requested but not run yet (no commit in this test, so no task)."""
    version, new = services.folder_request(actor=kam, review=review, internal=internal)
    assert new
    return version


def test_an_attempt_holds_a_lease_of_the_hard_time_limit(
    review, kam, settings, django_capture_on_commit_callbacks
):
    version = _requested(review, kam)
    before = timezone.now()
    taken = rendering._take_lease(version.pk, "task-1")
    assert taken.status == "rendering" and taken.attempts == 1
    assert taken.started_at >= before
    assert taken.lease_expires_at == taken.started_at + timedelta(
        seconds=settings.FOLDER_RENDER_TIME_LIMIT
    )
    assert taken.task_id == "task-1"


def test_a_live_lease_of_another_task_is_left_alone(review, kam):
    version = _requested(review, kam)
    rendering._take_lease(version.pk, "task-1")
    again = rendering.render_version(version_id=version.pk, task_id="task-2")  # a duplicate
    assert (again.status, again.attempts, again.task_id) == ("rendering", 1, "task-1")
    assert queue_waiting_folders() == 0  # the lease still runs: nothing to take


def test_a_redelivered_task_takes_its_own_lease_over_at_once(review, kam):
    version = _requested(review, kam)
    rendering._take_lease(version.pk, "task-1")  # its worker process was killed
    done = rendering.render_version(version_id=version.pk, task_id="task-1")
    assert (done.status, done.attempts) == ("done", 2)
    assert done.lease_expires_at is None


def test_the_scan_takes_a_version_whose_lease_ran_out_again(review, kam):
    version = _requested(review, kam)
    rendering._take_lease(version.pk, "task-1")
    assert queue_waiting_folders() == 0
    _stuck(version, lease_expires_at=timezone.now() - timedelta(seconds=1))  # worker gone
    assert queue_waiting_folders() == 1  # in process: queued and rendered
    version.refresh_from_db()
    assert (version.status, version.attempts, version.error) == ("done", 2, "")
    assert version.pages >= 4
    assert queue_waiting_folders() == 0  # done once, never again


def test_after_the_last_attempt_the_version_fails_with_a_readable_message(review, kam, settings):
    settings.FOLDER_RENDER_MAX_ATTEMPTS = 3
    version = _requested(review, kam)
    _stuck(
        version, status="rendering", attempts=3,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    assert queue_waiting_folders() == 0
    version.refresh_from_db()
    assert version.status == "failed"
    assert "3-mal unterbrochen" in version.error
    assert not any(name in version.error for name in RAW_NAMES)
    assert version.finished_at is not None


def test_a_version_queued_too_long_is_sent_again(review, kam, settings):
    """Its message was lost (Redis restarted without its data)."""
    settings.FOLDER_QUEUE_GRACE_SECONDS = 300
    version = _requested(review, kam)
    _stuck(version, queued_at=timezone.now() - timedelta(seconds=60))
    assert queue_waiting_folders() == 0  # a queue may be busy for a minute
    _stuck(version, queued_at=timezone.now() - timedelta(seconds=301))
    assert queue_waiting_folders() == 1
    version.refresh_from_db()
    assert (version.status, version.attempts) == ("done", 1)


def test_the_next_request_takes_a_stuck_version_again(
    review, kam, django_capture_on_commit_callbacks
):
    version = _requested(review, kam)
    _stuck(
        version, status="rendering", attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    again = render(review, kam, django_capture_on_commit_callbacks)
    assert again.pk == version.pk
    assert (again.status, again.attempts) == ("done", 2)
    assert review.versions.count() == 1


def test_the_next_request_replaces_a_version_that_had_its_last_attempt(
    review, kam, settings, django_capture_on_commit_callbacks
):
    settings.FOLDER_RENDER_MAX_ATTEMPTS = 2
    version = _requested(review, kam)
    _stuck(
        version, status="rendering", attempts=2,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    new = render(review, kam, django_capture_on_commit_callbacks)
    assert new.pk != version.pk and new.status == "done"
    version.refresh_from_db()
    assert version.status == "failed"


def test_a_late_outcome_of_an_attempt_that_lost_its_lease_is_not_recorded(review, kam):
    version = _requested(review, kam)
    first = rendering._take_lease(version.pk, "task-1")
    _stuck(version, lease_expires_at=timezone.now() - timedelta(seconds=1))
    second = rendering._take_lease(version.pk, "task-2")
    assert second.attempts == 2
    assert not rendering._record(first, status="done")  # attempt 1 is no longer the holder
    assert rendering._record(second, status="done")
    assert FolderVersion.objects.get(pk=version.pk).status == "done"


def test_an_internal_request_never_answers_with_the_customer_version(
    review, kam, django_capture_on_commit_callbacks
):
    customer = _requested(review, kam)  # queued, not rendered yet
    internal, new = services.folder_request(actor=kam, review=review, internal=True)
    assert new and internal.pk != customer.pk and internal.internal
    again, new = services.folder_request(actor=kam, review=review, internal=False)
    assert not new and again.pk == customer.pk  # a second click for the customer: the same


def test_a_render_out_of_time_fails_with_a_readable_message(review, kam):
    """The soft time limit, raised inside the render as Celery's worker does it."""
    version = _requested(review, kam)

    def out_of_time(signum, frame):
        if laying_out_the_folder(frame):
            raise SoftTimeLimitExceeded()
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # not laying out yet: a little later

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    try:
        failed = rendering.render_version(version_id=version.pk, task_id="task-1")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert failed.status == "failed"
    assert "Sekunden" in failed.error
    assert not any(name in failed.error for name in RAW_NAMES)
    assert not failed.file


def test_a_folder_over_the_page_limit_fails_with_a_readable_message(
    review, kam, settings, django_capture_on_commit_callbacks
):
    settings.FOLDER_MAX_PAGES = 2
    version = render(review, kam, django_capture_on_commit_callbacks)
    assert version.status == "failed"
    assert "Seiten" in version.error and "2" in version.error
    assert not any(name in version.error for name in RAW_NAMES)
    assert not version.file


@pytest.mark.parametrize("status", ["done", "failed"])
def test_a_finished_version_is_never_rendered_again(review, kam, status):
    version = _requested(review, kam)
    _stuck(version, status=status, lease_expires_at=None)
    assert queue_waiting_folders() == 0
    assert rendering.render_version(version_id=version.pk, task_id="x").status == status
    assert FolderVersion.objects.get(pk=version.pk).attempts == 0
