"""/metrics for Prometheus: only for a scraper with the token or from an allowed network
(404 for everyone else); requests counted by view and status with their latency and
queries; Celery queue lengths and task outcomes from Redis when it is configured."""

import ipaddress
import os

import pytest
from django.test import Client

from kam import metrics

TOKEN = "a-metrics-token-of-24-chars-or-more"


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_without_token_or_allowed_network_metrics_do_not_exist(client, kam_client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404
    assert kam_client.get("/metrics").status_code == 404  # a signed-in user is no scraper
    wrong = Client(HTTP_AUTHORIZATION="Bearer not-the-token-at-all-not-at-all")
    assert wrong.get("/metrics").status_code == 404


def test_metrics_count_requests_by_view_and_status(scraper, kam_client):
    kam_client.get("/")
    kam_client.get("/accounts/999999/")
    answer = scraper.get("/metrics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    text = answer.text
    assert 'kam_http_requests_total{method="GET",status="200",view="home"}' in text
    assert 'status="404",view="accounts:detail"' in text
    assert 'kam_http_request_duration_seconds_bucket{le="0.5",view="home"}' in text
    assert 'kam_db_queries_total{view="home"}' in text


def test_an_allowed_network_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)")
def test_queue_lengths_and_task_outcomes_come_from_redis(scraper, settings):
    client = metrics._redis()
    client.hdel(metrics.TASKS_KEY, "tests.metric|failed")
    metrics.count_task("tests.metric", "failed")
    metrics.count_task("tests.metric", "failed")
    text = scraper.get("/metrics").text
    assert 'kam_celery_tasks_total{outcome="failed",task="tests.metric"} 2.0' in text
    for queue in ("celery", "folders", "notifications"):
        assert f'kam_celery_queue_length{{queue="{queue}"}}' in text
    client.hdel(metrics.TASKS_KEY, "tests.metric|failed")
