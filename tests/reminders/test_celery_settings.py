"""Celery on Redis done right: an explicit visibility timeout, no ETA beyond it, results
only where something reads them, one beat entry per reminder rule."""

import pytest
from django.conf import settings

from kam.celery import app
from kam.tasks import clear_expired_sessions, ping
from reminders.registry import rules
from reminders.tasks import scan, send_digests


def test_visibility_timeout_is_explicit_and_longer_than_any_task():
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.result_backend_transport_options["visibility_timeout"] == timeout
    assert app.conf.task_time_limit < timeout
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


def test_a_countdown_beyond_the_visibility_timeout_is_refused(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with pytest.raises(ValueError, match="visibility timeout"):
            ping.apply_async(countdown=settings.CELERY_VISIBILITY_TIMEOUT + 60)
    finally:
        app.conf.task_always_eager = True


def test_results_are_kept_only_where_they_are_read():
    assert not ping.ignore_result  # /health/?worker=1 waits for the answer
    assert clear_expired_sessions.ignore_result
    assert scan.ignore_result
    assert send_digests.ignore_result


def test_beat_runs_one_scan_per_rule_with_the_rule_key_only():
    schedule = app.conf.beat_schedule
    entries = [entry for entry in schedule.values() if entry["task"] == "reminders.tasks.scan"]
    assert sorted(entry["args"] for entry in entries) == sorted((rule.key,) for rule in rules)
    assert all(entry["schedule"] == settings.REMINDER_SCAN_SECONDS for entry in entries)
    assert schedule["reminders-digests"]["task"] == "reminders.tasks.send_digests"


def test_settings_refuse_a_bad_value_at_start(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import kam.settings"],
        env={"SECRET_KEY": "x", "REMINDER_SILENCE_DAYS": "A=30,D=5", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "REMINDER_SILENCE_DAYS" in result.stderr
