from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kam import queue
from reviews import pdf
from reviews.models import FolderVersion


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_folder(version_id: int) -> str:
    """Render one folder version. The version row exists before the task is queued; a
    redelivered task (its worker died) renders into the same row, never a second one.
    Nobody reads the result: the row says how the render went."""
    version = pdf.render_version(version_id=version_id)
    return version.status if version else "deleted"


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def queue_waiting_folders() -> int:
    """Queue the renders recorded while the broker could not be reached (no `queued_at`),
    and those handed over longer ago than the broker keeps an unacknowledged message (lost
    with Redis' memory). Rendering is idempotent, so queueing twice renders once."""
    now = timezone.now()
    lost = now - timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT)
    waiting = (
        FolderVersion.objects.filter(status=FolderVersion.Status.QUEUED)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost))
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
    queued = 0
    for version_id in list(waiting):
        if not queue.send(render_folder, version_id):
            break  # still away; the next run tries again
        FolderVersion.objects.filter(pk=version_id).update(queued_at=timezone.now())
        queued += 1
    return queued
