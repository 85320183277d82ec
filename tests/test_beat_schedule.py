"""The beat schedule is the settings' CELERY_BEAT_SCHEDULE, and every entry names a task."""

from django.conf import settings

from kam.celery import app


def test_every_scheduled_task_is_a_registered_task():
    app.loader.import_default_modules()  # the tasks modules of every app, as a worker does
    missing = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in app.tasks
    }
    assert missing == {}


def test_the_schedule_beat_runs_is_the_one_in_the_settings():
    # No app rewrites it at start (reminders used to add its scans in ready()).
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
