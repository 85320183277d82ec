import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from kam import export
from kam.api import idempotency
from kam.models import ExportFile, IdempotencyKey

log = logging.getLogger(__name__)


@shared_task
def ping() -> str:
    """Round trip for /health/?worker=1: proves a worker takes and answers tasks."""
    return "pong"


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(ignore_result=True)  # beat starts it
def purge_export_files() -> int:
    """Large exports are kept EXPORT_FILE_DAYS days: the record and its file in the
    storage (a file left by a deleted record would stay forever in object storage)."""
    old = ExportFile.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=settings.EXPORT_FILE_DAYS)
    )
    purged = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        purged += 1
    return purged


@shared_task(ignore_result=True)  # beat starts it
def purge_idempotency_keys() -> int:
    """Idempotency keys are kept 24 hours (kam.api.idempotency)."""
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - idempotency.KEEP_FOR
    ).delete()
    return deleted


@shared_task(
    name="kam.tasks.build_export",
    acks_late=True,
    ignore_result=True,
    # A million rows take longer than the default limit; well within the broker's
    # visibility timeout (CELERY_VISIBILITY_TIMEOUT).
    soft_time_limit=2400,
    time_limit=2700,
)
def build_export(job_id: int) -> str:
    """Build the XLSX of a large export (kam.export); its page offers the download."""
    job = ExportFile.objects.filter(pk=job_id, status=ExportFile.Status.QUEUED).first()
    if job is None:
        return "gone"  # redelivered after it ran, or deleted
    ExportFile.objects.filter(pk=job.pk).update(status=ExportFile.Status.RUNNING)
    try:
        export.build_file(job)
    except Exception as exc:
        log.exception("export %s failed", job.pk)
        job.status = ExportFile.Status.FAILED
        job.error = str(exc)[:1000]
    else:
        job.status = ExportFile.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    return job.status
