from celery import shared_task

from reviews import pdf


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_folder(version_id: int) -> str:
    """Render one folder version. The version row exists before the task is queued; a
    redelivered task (its worker died) renders into the same row, never a second one."""
    version = pdf.render_version(version_id=version_id)
    return version.status if version else "deleted"
