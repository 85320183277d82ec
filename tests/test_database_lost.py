"""The web process's database connection killed in the middle of a request answers 503
with Retry-After (JSON under /api/, a short page elsewhere), not 500; the next request
connects afresh. On PostgreSQL, where the connection can be killed from outside
(pg_terminate_backend), as in CI."""

import os

import pytest
from django.db import connection, connections
from django.test import Client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs PostgreSQL (pg_terminate_backend)",
    ),
]


def _kill_the_request_connection() -> None:
    """Terminate the connection the next request will use (the test client runs the view
    in this thread, on this connection), from a second connection, as an administrator or
    a database restart would."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        killer.close()


@pytest.fixture
def signed_in(kam, account):
    client = Client(raise_request_exception=False)
    client.force_login(kam)
    yield client
    connection.close()  # the test client keeps the broken connection; the next test reconnects


@pytest.mark.parametrize("url", ["/api/v1/accounts/", "/accounts/"])
def test_a_killed_database_connection_answers_503_with_retry_after(signed_in, url):
    assert signed_in.get(url).status_code == 200
    _kill_the_request_connection()
    response = signed_in.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    if url.startswith("/api/"):
        assert response.json()["code"] == "database_unavailable"
    else:
        assert "Datenbank" in response.content.decode()
    # The next request (a new connection, as close_old_connections gives the web process
    # at the end of every request) is served again.
    connection.close()
    assert signed_in.get(url).status_code == 200


def test_a_bug_still_answers_500(signed_in, monkeypatch):
    from accounts.api import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.AccountList, "list", broken)
    response = signed_in.get("/api/v1/accounts/")
    assert response.status_code == 500
    assert "Retry-After" not in response
