"""The dependency ranking after a figures write runs on the Celery worker, not in the
request (only with Redis and PostgreSQL, as in CI): a burst of writes of one year queues
one ranking, and the worker's ranking announces the crossing to the webhooks; the stored
forecast of the account's objectives follows the write on the worker, too."""

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from kam.celery import app
from planning.models import Objective
from portfolio.models import DependencyLevel
from tests.factories import make_account
from tests.planning.action_plan_helpers import make_objective
from webhooks import services as webhook_services
from webhooks.models import Message

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="the worker process needs the test database on PostgreSQL",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queued(settings):
    """Tasks go to Redis (no worker yet): what a request queues stays queued."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.control.purge()
    app.conf.task_always_eager = True


@pytest.fixture
def worker(queued):
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kam", "worker", "-Q", "celery",
         "--pool=solo", "--loglevel=warning", "--without-gossip", "--without-mingle",
         "--hostname", f"dependency-{os.getpid()}-{time.monotonic_ns()}@%h"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # a busy machine starts it slowly
        while not app.control.ping(timeout=1.0):
            if time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start within 120 s")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_burst_of_figures_writes_queues_one_ranking_and_answers_before_it(kam, queued):
    year = timezone.localdate().year
    accounts = [make_account(owner=kam) for _ in range(3)]
    api = APIClient()
    api.force_authenticate(kam)
    for number, account in enumerate(accounts, start=1):
        account_services.figures_put(
            actor=kam, account=account, year=year, revenue=Decimal(number * 100)
        )
        answer = api.patch(
            f"/api/v1/accounts/{account.pk}/financials/{year}/",
            {"revenue": str(number * 1000)},
            format="json",
        )
        assert answer.status_code == 200

    # Six committed writes of one year: nothing ranked in the requests, one ranking queued.
    assert not DependencyLevel.objects.exists()
    assert app.control.purge() == 1


def test_the_worker_ranks_the_year_and_announces_the_crossing(admin_user, kam, settings, worker):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    webhook_services.endpoint_create(
        actor=admin_user, url="http://127.0.0.1:9/hook", event_types=["dependency.warning_raised"]
    )
    year = timezone.localdate().year
    big = make_account(owner=kam, name="Groß AG")
    account_services.figures_put(actor=kam, account=big, year=year, revenue=Decimal("1000"))

    deadline = time.monotonic() + 60
    while not DependencyLevel.objects.filter(account=big, year=year).exists():
        assert time.monotonic() < deadline, "the worker did not rank the year within 60 s"
        time.sleep(0.2)
    assert DependencyLevel.objects.get(account=big, year=year).level == "red"  # 100 %
    [message] = Message.objects.filter(event_type="dependency.warning_raised")
    assert message.subject == f"dependency:{big.pk}:{year}"


def wait_for(condition, what: str):
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"the worker did not {what} within 60 s"
        time.sleep(0.2)


def test_the_worker_refreshes_the_stored_forecast_after_a_figures_write(kam, worker):
    account = make_account(owner=kam)
    objective = make_objective(account, target_value=Decimal("1000000"))

    def stored_total():
        return Objective.objects.get(pk=objective.pk).stored_forecast_total

    wait_for(lambda: stored_total() is not None, "store the new objective's forecast")
    before = stored_total()
    account_services.figures_put(
        actor=kam, account=account, year=objective.year, revenue=Decimal("500000")
    )
    wait_for(lambda: stored_total() != before, "refresh the forecast after the write")
    assert stored_total() > before
