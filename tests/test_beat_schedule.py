"""The beat schedule is the settings' CELERY_BEAT_SCHEDULE, and every entry names a task."""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings

from kam.celery import app


def test_every_scheduled_task_is_a_registered_task():
    for config in apps.get_app_configs():  # every tasks module, as a worker imports them
        if importlib.util.find_spec(f"{config.name}.tasks") is not None:
            importlib.import_module(f"{config.name}.tasks")
    missing = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in app.tasks
    }
    assert missing == {}
    assert "reminders-follow_up_due" in settings.CELERY_BEAT_SCHEDULE


def test_the_schedule_beat_runs_is_the_one_in_the_settings():
    # No app rewrites it at start (reminders used to add its scans in ready()).
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
