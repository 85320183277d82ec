"""Queueing work while Redis is down fails within seconds, not after 20 s of retries."""

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import django
django.setup()
import time
from django.test import Client
started = time.monotonic()
response = Client().get("/health/", {"worker": "1"}, HTTP_HOST="localhost")
print(round(time.monotonic() - started, 1), response.status_code, response.json()["down"])
"""


def test_health_with_the_broker_down_answers_within_its_limit():
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "kam.settings",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "KAM_HTTPS": "0",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    took, status, down = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert status == "503"
    assert "worker" in down and "redis" in down
    assert float(took) < 8  # within the 10 s limit of /health/; the default retries took 19 s
