"""The life of a folder render: every requested version ends "done" or "failed".

Each render attempt holds a lease: `started_at`, `lease_expires_at` (started_at plus the
task's hard time limit, after which Celery has killed the attempt for sure) and the id of
the task that holds it. A version whose lease ran out (its worker was killed, lost Redis
or hung), or that waits "queued" longer than FOLDER_QUEUE_GRACE_SECONDS (its message was
lost), is taken again by beat's scan (reviews.tasks.queue_waiting_folders) or by the next
request for the same kind of folder (reviews.services.folder_request), with a new attempt
number, up to FOLDER_RENDER_MAX_ATTEMPTS; then it fails with a message the user can read.

The outcome is written only by the attempt that holds the lease (its attempt number), so a
late or duplicate task never marks a version "done" twice, and it is written on a fresh
connection when the old one broke while WeasyPrint worked.
"""

import hashlib
import logging
import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kam import events
from reviews import pdf
from reviews.models import FolderVersion

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def lease_ran_out(version: FolderVersion, now: datetime | None = None) -> bool:
    """A "rendering" version whose attempt can no longer be running (no lease is an
    attempt from before leases: taken again too)."""
    now = now or timezone.now()
    return version.status == FolderVersion.Status.RENDERING and (
        version.lease_expires_at is None or version.lease_expires_at <= now
    )


def waits_too_long(version: FolderVersion, now: datetime | None = None) -> bool:
    """A "queued" version never handed to the broker, or handed over so long ago that its
    message must be lost (Redis restarted without its data)."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.FOLDER_QUEUE_GRACE_SECONDS)
    return version.status == FolderVersion.Status.QUEUED and (
        version.queued_at is None or version.queued_at <= now - grace
    )


def needs_taking_again(version: FolderVersion, now: datetime | None = None) -> bool:
    return lease_ran_out(version, now) or waits_too_long(version, now)


def stuck_versions(now: datetime | None = None) -> QuerySet[FolderVersion]:
    """The versions beat's scan takes again, oldest request first."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.FOLDER_QUEUE_GRACE_SECONDS)
    queued = Q(status=FolderVersion.Status.QUEUED) & (
        Q(queued_at__isnull=True) | Q(queued_at__lte=grace)
    )
    rendering = Q(status=FolderVersion.Status.RENDERING) & (
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    )
    return FolderVersion.objects.filter(queued | rendering).order_by("requested_at")


def _gave_up(version: FolderVersion) -> str:
    with translation.override(version.language):
        return _(
            "The folder could not be rendered: the render was interrupted %(attempts)s times "
            "(the worker stopped or lost its database connection). Please render it again "
            "later; if this keeps happening, tell your administrator."
        ) % {"attempts": version.attempts}


def take_again(version_id: int) -> FolderVersion | None:
    """Release a stuck version for a new attempt ("queued", not yet handed over: the
    caller queues it), or fail it when it had its last attempt. Returns the version, or
    None when it is no longer stuck (another scan or request was first) or gone."""
    with transaction.atomic():
        version = FolderVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is None or not needs_taking_again(version):
            return None
        if version.status == FolderVersion.Status.RENDERING:
            if version.attempts >= settings.FOLDER_RENDER_MAX_ATTEMPTS:
                version.status = FolderVersion.Status.FAILED
                version.error = _gave_up(version)
                version.finished_at = timezone.now()
            else:
                version.status = FolderVersion.Status.QUEUED
            version.lease_expires_at = None
            version.task_id = ""
        version.queued_at = None
        version.save(
            update_fields=["status", "error", "finished_at", "lease_expires_at", "task_id",
                           "queued_at"]
        )  # fmt: skip
    return version


def _take_lease(version_id: int, task_id: str) -> FolderVersion | None:
    """Start an attempt: the version becomes "rendering" with a lease for this task. None
    when there is nothing to do: done, failed, deleted, or another attempt holds a live
    lease (a duplicate message). A message delivered again after its worker died holds
    the same task id and takes its own lease over at once."""
    now = timezone.now()
    with transaction.atomic():
        version = (
            FolderVersion.objects.select_for_update()
            .select_related("review__account")
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.status in (
            FolderVersion.Status.DONE,
            FolderVersion.Status.FAILED,
        ):
            return None
        if (
            version.status == FolderVersion.Status.RENDERING
            and not lease_ran_out(version, now)
            and not (task_id and version.task_id == task_id)
        ):
            return None  # another attempt is running; it records the outcome
        if version.attempts >= settings.FOLDER_RENDER_MAX_ATTEMPTS:
            version.status = FolderVersion.Status.FAILED
            version.error = _gave_up(version)
            version.finished_at = now
            version.lease_expires_at = None
            version.save(update_fields=["status", "error", "finished_at", "lease_expires_at"])
            return None
        version.status = FolderVersion.Status.RENDERING
        version.attempts += 1
        version.started_at = now
        version.lease_expires_at = now + timedelta(seconds=settings.FOLDER_RENDER_TIME_LIMIT)
        version.task_id = task_id
        version.save(
            update_fields=["status", "attempts", "started_at", "lease_expires_at", "task_id"]
        )
    return version


def _record(version: FolderVersion, **fields) -> bool:
    """Write the outcome of this attempt, only while it still holds the lease. The
    connection may have died while WeasyPrint worked (a database restart, a killed
    backend): close_old_connections drops a broken one and the write is tried once more
    on a fresh connection."""
    mine = FolderVersion.objects.filter(
        pk=version.pk, status=FolderVersion.Status.RENDERING, attempts=version.attempts
    )
    if connection.in_atomic_block:  # called inside a transaction: it owns the connection
        return bool(mine.update(**fields))
    close_old_connections()
    try:
        return bool(mine.update(**fields))
    except DATABASE_ERRORS:
        log.warning("Database connection lost while rendering version %s; reconnecting", version.pk)
        connection.close()
        return bool(mine.update(**fields))


def _record_done(version: FolderVersion, **fields) -> bool:
    """_record for the finished render, with FolderVersionReady in the same transaction:
    the webhook outbox row commits with the version's "done", or neither does."""

    def write() -> bool:
        with transaction.atomic():
            stored = _record(version, **fields)  # in the block: a plain update
            if stored:
                ready = events.FolderVersionReady(
                    version_id=version.pk,
                    review_id=version.review_id,
                    account_id=version.review.account_id,
                )
                events.publish(ready)
        return stored

    if connection.in_atomic_block:
        return write()
    close_old_connections()
    try:
        return write()
    except DATABASE_ERRORS:
        log.warning("Database connection lost while rendering version %s; reconnecting", version.pk)
        connection.close()
        return write()


def _address_space_now() -> int | None:
    """The process's virtual memory in bytes (Linux), None where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def memory_budget(megabytes: int) -> Iterator[None]:
    """At most `megabytes` more memory for the block (0: no limit): beyond it an
    allocation raises MemoryError instead of the worker growing until the machine swaps.
    A soft limit on the address space, lowered for the block and restored after it."""
    now = _address_space_now() if megabytes else None
    if now is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def render_version(
    *, version_id: int, task_id: str = "", memory_mb: int = 0
) -> FolderVersion | None:
    """Render one version into its file, as one attempt under a lease. Idempotent: a done
    or failed version is left as it is, a version rendered by another live attempt too;
    a version found "rendering" past its lease (or by the redelivery of its own task) is
    rendered again into the same row and file name, so a retry never makes a second
    version. A version deleted before or during its render leaves no file behind.
    Returns the version as it is afterwards, or None when this call had nothing to do.
    With `memory_mb` the render itself may use at most that much more memory."""
    version = _take_lease(version_id, task_id)
    if version is None:
        return FolderVersion.objects.filter(pk=version_id).first()
    name = ""
    try:
        with memory_budget(memory_mb):
            content, pages = pdf.render_folder_pdf(
                version.review, internal=version.internal, language=version.language
            )
        name = pdf.store(
            f"{pdf.FOLDER}/{version.review_id}/{version.pk}-v{version.number}.pdf", content
        )
    except DATABASE_ERRORS:
        # The data could not be read: nothing is wrong with the folder. Release it for the
        # next attempt (the task queues it again; beat's scan if the queue is away).
        log.warning("Database error while rendering version %s; it is taken again", version_id)
        released = _record(
            version, status=FolderVersion.Status.QUEUED, queued_at=None, lease_expires_at=None,
            task_id="",
        )  # fmt: skip
        return _reload(version_id) if released else None
    except SoftTimeLimitExceeded:
        log.warning("Rendering folder version %s ran out of time", version_id)
        error = _message_time(version)
    except pdf.FolderTooLong as exc:
        error = _message_pages(version, exc.pages)
    except MemoryError:
        log.warning("Rendering folder version %s ran out of memory", version_id)
        error = _message_memory(version)
    except Exception:  # a broken template, a full disk: say so, never hang
        log.exception("Rendering folder version %s failed", version_id)
        error = _message_error(version)
    else:
        error = ""
    now = timezone.now()
    if error:
        _record(
            version, status=FolderVersion.Status.FAILED, error=error, finished_at=now,
            lease_expires_at=None,
        )  # fmt: skip
        return _reload(version_id)
    stored = _record_done(
        version,
        status=FolderVersion.Status.DONE,
        file=name,
        size=len(content),
        pages=pages,
        checksum=hashlib.sha256(content).hexdigest(),
        error="",
        finished_at=now,
        lease_expires_at=None,
    )
    if not stored and not FolderVersion.objects.filter(pk=version_id).exists():
        # Deleted while it rendered: its post_delete saw no file to remove.
        default_storage.delete(name)
        return None
    return _reload(version_id)


def _reload(version_id: int) -> FolderVersion | None:
    return FolderVersion.objects.filter(pk=version_id).first()


# The messages are stored in the folder's language: the row shows them as they are.
def _message_error(version: FolderVersion) -> str:
    with translation.override(version.language):
        return _(
            "The folder could not be rendered because of an error on our side. It has been "
            "logged; please render it again later or tell your administrator."
        )


def _message_time(version: FolderVersion) -> str:
    with translation.override(version.language):
        return _(
            "The folder took longer than %(seconds)s seconds to render and was stopped. "
            "Shorten the review's texts and lists, then render it again."
        ) % {"seconds": settings.FOLDER_RENDER_SOFT_TIME_LIMIT}


def _message_memory(version: FolderVersion) -> str:
    with translation.override(version.language):
        return _(
            "The folder needed more than %(megabytes)s MB of memory to render and was "
            "stopped. Shorten the review's texts and lists, then render it again."
        ) % {"megabytes": settings.FOLDER_RENDER_MEMORY_MB}


def _message_pages(version: FolderVersion, pages: int) -> str:
    with translation.override(version.language):
        return _(
            "The folder would have %(pages)s pages, more than the limit of %(limit)s. "
            "Shorten the review's texts and lists, then render it again."
        ) % {"pages": pages, "limit": settings.FOLDER_MAX_PAGES}
