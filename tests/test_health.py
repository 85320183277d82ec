import pytest
from django.urls import reverse


def test_health_reports_database_up(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


def test_health_names_redis_when_it_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["redis"]
    assert body["checks"]["redis"]["error"]


def test_health_names_the_database_when_it_is_down(client, db, settings, monkeypatch):
    from django.db import connections

    broken = dict(settings.DATABASES["default"])
    if "sqlite" in broken["ENGINE"]:
        broken["NAME"] = "/nonexistent-dir/kam.sqlite3"
    else:
        broken["PORT"] = "1"
    real_create = connections.create_connection

    def create_broken(alias):
        connection = real_create(alias)
        connection.settings_dict = {**connection.settings_dict, **broken}
        return connection

    monkeypatch.setattr(connections, "create_connection", create_broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert "database" in response.json()["down"]


@pytest.mark.skipif(
    not __import__("os").environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"
)
def test_health_reports_redis_up_when_configured(client, db):
    body = client.get(reverse("health")).json()
    assert body["checks"]["redis"]["ok"] is True
