from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kam import queue
from reviews import rendering
from reviews.models import FolderVersion


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=settings.FOLDER_RENDER_TIME_LIMIT,
    soft_time_limit=settings.FOLDER_RENDER_SOFT_TIME_LIMIT,
)
def render_folder(self, version_id: int) -> str:
    """Render one folder version, as one attempt under a lease (reviews.rendering). The
    version row exists before the task is queued; a redelivered task (its worker died)
    renders into the same row, never a second one. Nobody reads the result: the row says
    how the render went."""
    # The memory budget only in a worker: run in process (no broker), the render shares
    # the web process, whose other threads must not hit the limit.
    memory = 0 if self.request.is_eager else settings.FOLDER_RENDER_MEMORY_MB
    version = rendering.render_version(
        version_id=version_id, task_id=self.request.id or "", memory_mb=memory
    )
    if version is None:
        return "deleted"
    if version.status == FolderVersion.Status.QUEUED and version.queued_at is None:
        _send(version.pk)  # released after a database error: the next attempt
    return version.status


def _send(version_id: int) -> bool:
    if not queue.send(render_folder, version_id):
        return False  # still away; the next scan tries again
    FolderVersion.objects.filter(pk=version_id).update(queued_at=timezone.now())
    return True


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def queue_waiting_folders() -> int:
    """Take again every folder version that would otherwise never finish: recorded while
    the broker could not be reached (no `queued_at`), handed over so long ago that the
    message must be lost (Redis restarted empty), or "rendering" past its lease (the
    worker was killed or lost its connection). Each is queued for a new attempt, or fails
    with a readable message after its last one. Rendering is idempotent: queueing twice
    renders once. Returns how many were queued."""
    queued = 0
    for version_id in list(rendering.stuck_versions().values_list("pk", flat=True)):
        version = rendering.take_again(version_id)
        if version is None or version.status != FolderVersion.Status.QUEUED:
            continue
        if not _send(version_id):
            break
        queued += 1
    return queued
