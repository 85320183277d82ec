"""The API keeps answering while the cache (Redis) is down; /health/ names what is down."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.REDIS_URL = DEAD_REDIS


def test_api_answers_with_the_cache_down_and_logs_a_warning(cache_down, kam, account, caplog):
    with caplog.at_level(logging.WARNING, logger="kam.api"):
        response = client_for(kam).get("/api/v1/accounts/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [account.pk]
    assert "throttle skipped" in caplog.text


def test_health_names_the_cache_while_the_api_answers(cache_down, client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


# --- Responses with customer data are not stored ------------------------------------------


def _no_store(response) -> bool:
    parts = {p.strip() for p in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


def test_pages_and_api_answers_with_customer_data_are_not_stored(kam, account, kam_client):
    from users.services import api_token_create

    assert _no_store(kam_client.get(f"/accounts/{account.pk}/"))
    assert _no_store(kam_client.get("/accounts/"))
    assert _no_store(kam_client.get("/api/v1/accounts/"))
    _token, raw = api_token_create(user=kam, name="ERP")
    response = Client().get("/api/v1/accounts/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200
    assert _no_store(response)
    assert _no_store(Client().get("/api/v1/accounts/"))  # 401 from the API, too


# --- Work after a figures write ---------------------------------------------------------------


def test_a_figures_write_ranks_the_dependency_levels_itself_while_the_cache_is_down(
    cache_down, kam, account, caplog
):
    from decimal import Decimal

    from django.utils import timezone

    from accounts import services as account_services
    from portfolio.models import DependencyLevel

    year = timezone.localdate().year
    with caplog.at_level(logging.WARNING, logger="portfolio.dependency"):
        account_services.figures_put(actor=kam, account=account, year=year, revenue=Decimal(10))
    # No queued mark can be kept: ranked in the request (the only customer: 100 %, red).
    assert DependencyLevel.objects.get(account=account, year=year).level == "red"
    assert "ranking the dependency levels" in caplog.text
