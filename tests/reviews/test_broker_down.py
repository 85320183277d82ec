"""Asking for a folder while Redis (the broker) cannot be reached: the request answers
within seconds with a clear message (503 in the API), the version is recorded as queued,
and beat's scan renders it once the broker is back. Redis is really unreachable here:
the broker points at a closed port."""

import json
import time

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kam.celery import app
from reviews.models import FolderVersion
from reviews.tasks import queue_waiting_folders
from tests.conftest import client_for

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1

# The folder request commits and then queues on commit, so the test needs real commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(settings):
    saved = app.conf.broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = DEAD_BROKER
    app._after_fork()  # drop the pooled broker connections
    yield
    app.conf.broker_url = saved
    app.conf.task_always_eager = True
    app._after_fork()


def _broker_back(settings) -> None:
    """Back to tasks in process: the scan's render then runs here, in the test."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


def test_api_answers_503_quickly_and_the_scan_renders_the_recorded_version(
    broker_down, settings, kam, review
):
    client = APIClient()
    client.force_authenticate(kam)
    url = reverse("api-review-render", args=[review.pk])
    started = time.monotonic()
    response = client.post(url, {"internal": True})
    took = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["code"] == "queue_unavailable"
    assert "Auftrag ist gespeichert" in response.json()["detail"]
    assert response["Retry-After"] == "60"
    assert took < 5  # Celery's default retries kept the request for about 19 s
    version = FolderVersion.objects.get(review=review)
    assert (version.status, version.queued_at, version.internal) == ("queued", None, True)

    # Asking again while the broker is still away starts no second version.
    assert client.post(url, {"internal": True}).status_code == 503
    assert FolderVersion.objects.filter(review=review).count() == 1
    assert queue_waiting_folders() == 0  # beat's scan: still away, nothing lost

    _broker_back(settings)
    assert queue_waiting_folders() == 1
    version.refresh_from_db()
    assert version.status == "done", version.error
    assert version.queued_at is not None
    assert version.pages >= 4
    assert queue_waiting_folders() == 0  # done once, never again


def test_page_says_the_render_waits_for_the_queue(broker_down, kam, review):
    started = time.monotonic()
    response = client_for(kam).post(
        reverse("reviews:render", args=[review.pk]), HTTP_HX_REQUEST="true"
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 202
    toasts = json.loads(response["HX-Trigger"])["kam:toasts"]
    assert toasts[0]["level"] == "warning"
    assert "Die Aufgabenwarteschlange ist gerade nicht erreichbar" in toasts[0]["text"]
    assert FolderVersion.objects.get(review=review).status == "queued"


def test_health_names_the_worker_within_its_limit(broker_down, settings, client):
    settings.REDIS_URL = DEAD_BROKER
    started = time.monotonic()
    response = client.get(reverse("health"), {"worker": "1"})
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert {"worker", "redis"} <= set(response.json()["down"])
