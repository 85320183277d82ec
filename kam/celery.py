"""The Celery app. Settings come from Django's settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

app = Celery("kam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_stale_db_connections(**kwargs) -> None:
    # A worker lives for days; drop connections the database may have closed meanwhile,
    # exactly as Django does around each web request.
    close_old_connections()
