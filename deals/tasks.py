from celery import shared_task

from deals import snapshots


@shared_task
def take_snapshots() -> dict:
    """This week's snapshot of the open pipeline, and the snapshots past two years gone."""
    return {"taken": snapshots.snapshot_take(), "deleted": snapshots.snapshot_purge()}
