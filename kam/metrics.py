"""Metrics for Prometheus at /metrics: requests by view and status, latency, database
queries per view, Celery queue lengths and task outcomes.

The endpoint answers only a scraper that sends `Authorization: Bearer METRICS_TOKEN` or
connects from an address in METRICS_ALLOWED_NETWORKS; anyone else gets 404, as if it
did not exist. With several gunicorn workers, PROMETHEUS_MULTIPROC_DIR (an empty folder
per host, emptied at start) lets every scrape sum all of them (prometheus_client's
multiprocess mode). Queue lengths and task outcomes live in Redis, so any web process
reports those of all workers on all machines.
"""

import hmac
import ipaddress
import logging
import os

import redis
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

log = logging.getLogger(__name__)

REQUESTS = Counter("kam_http_requests_total", "Answered requests", ["view", "method", "status"])
LATENCY = Histogram(
    "kam_http_request_duration_seconds",
    "Time to answer a request",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
QUERIES = Counter("kam_db_queries_total", "Database queries of requests", ["view"])

TASKS_KEY = "kam:metrics:tasks"  # a Redis hash: "task|outcome" -> count


def observe_request(request: HttpRequest, status: int, seconds: float, queries: int) -> None:
    match = getattr(request, "resolver_match", None)
    view = (match.view_name if match else "") or "unresolved"
    REQUESTS.labels(view, request.method or "", str(status)).inc()
    LATENCY.labels(view).observe(seconds)
    QUERIES.labels(view).inc(queries)


def _redis():
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def count_task(task_name: str, outcome: str) -> None:
    """Called by the workers (kam.celery) after each task: succeeded, failed, retried."""
    client = _redis()
    if client is None:
        return
    try:
        client.hincrby(TASKS_KEY, f"{task_name}|{outcome}", 1)
    except Exception as exc:  # noqa: BLE001 - a metric must never fail a task
        log.debug("task outcome not counted: %s", exc)


class CeleryCollector(Collector):
    """Queue lengths and task outcomes, read from Redis at each scrape."""

    def collect(self):
        client = _redis()
        if client is None:
            return
        queues = GaugeMetricFamily(
            "kam_celery_queue_length", "Tasks waiting in a queue", labels=["queue"]
        )
        outcomes = CounterMetricFamily(
            "kam_celery_tasks", "Finished tasks by outcome", labels=["task", "outcome"]
        )
        try:
            for queue in sorted(
                {settings.CELERY_TASK_DEFAULT_QUEUE, settings.FOLDER_QUEUE,
                 settings.NOTIFICATION_QUEUE}
            ):  # fmt: skip
                queues.add_metric([queue], client.llen(queue))
            for key, count in client.hgetall(TASKS_KEY).items():
                task, _sep, outcome = key.decode().partition("|")
                outcomes.add_metric([task, outcome], int(count))
        except Exception as exc:  # noqa: BLE001 - Redis away: the rest is still scraped
            log.warning("Celery metrics unavailable: %s", exc)
            return
        yield queues
        yield outcomes


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry)
    celery = CollectorRegistry()
    celery.register(CeleryCollector())
    body += generate_latest(celery)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
