"""What every API client meets first: token sign-in, JSON errors, the schema and the docs."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from tests.factories import make_account
from users.services import api_token_create, api_token_revoke

ACCOUNTS = "/api/v1/accounts/"

API_PATHS = [
    "/api/v1/accounts/",
    "/api/v1/accounts/{id}/",
    "/api/v1/accounts/{id}/team/",
    "/api/v1/accounts/{id}/team/{membership_id}/",
    "/api/v1/accounts/{id}/financials/",
    "/api/v1/accounts/{id}/financials/{year}/",
    "/api/v1/contacts/",
    "/api/v1/contacts/{id}/",
]


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache, which outlives a test.
    cache.clear()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_no_token_gives_401_json(db):
    response = APIClient().get(ACCOUNTS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert response.json()["code"] == "not_authenticated"
    # Tells the client which scheme to use.
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_gives_401_json(kam):
    api_token_create(user=kam, name="ERP")
    response = token_client("not-a-real-key").get(ACCOUNTS)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response.json()["code"] == "authentication_failed"


def test_valid_token_reads_the_users_accounts_and_records_its_use(kam, account):
    token, key = api_token_create(user=kam, name="ERP")
    assert token.last_used_at is None

    response = token_client(key).get(ACCOUNTS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [account.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_gives_401(kam, account):
    token, key = api_token_create(user=kam, name="ERP")
    client = token_client(key)
    assert client.get(ACCOUNTS).status_code == 200

    assert api_token_revoke(user=kam, token_id=token.pk)

    response = client.get(ACCOUNTS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_a_deactivated_user_gives_401(kam, account):
    _token, key = api_token_create(user=kam, name="ERP")
    kam.is_active = False
    kam.save(update_fields=["is_active"])
    assert token_client(key).get(ACCOUNTS).status_code == 401


def test_token_is_not_accepted_in_the_query_string(kam, account):
    _token, key = api_token_create(user=kam, name="ERP")
    # Keys in URLs end up in logs; only the header counts.
    assert APIClient().get(ACCOUNTS, {"token": key}).status_code == 401


def test_signed_in_browser_session_reads_but_must_send_csrf_token_to_write(kam, account):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(kam)
    assert client.get(ACCOUNTS).status_code == 200

    response = client.patch(f"{ACCOUNTS}{account.pk}/", {"tier": "A"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    account.refresh_from_db()
    assert account.tier == "C"


def test_unknown_api_path_gives_404_json(kam):
    _token, key = api_token_create(user=kam, name="ERP")
    response = token_client(key).get("/api/v1/nope/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"]


def test_schema_is_valid_openapi_3_with_all_endpoints(db):
    response = APIClient().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()

    validate(schema)

    assert schema["openapi"].startswith("3.")
    for path in API_PATHS:
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/accounts/{id}/financials/{year}/"]) >= {
        "get",
        "put",
        "delete",
    }
    assert "delete" not in schema["paths"]["/api/v1/contacts/{id}/"]
    token_scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token_scheme["in"], token_scheme["name"]) == ("header", "Authorization")


def test_docs_page_answers_for_signed_in_user(client, kam):
    client.force_login(kam)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert "swagger-ui" in response.text


def test_each_user_sees_their_own_accounts_through_their_token(kam, other_kam):
    mine = make_account(owner=kam)
    theirs = make_account(owner=other_kam)
    _t1, kam_key = api_token_create(user=kam, name="ERP")
    _t2, other_key = api_token_create(user=other_kam, name="ERP")

    kam_ids = [row["id"] for row in token_client(kam_key).get(ACCOUNTS).json()["results"]]
    other_ids = [row["id"] for row in token_client(other_key).get(ACCOUNTS).json()["results"]]

    assert kam_ids == [mine.pk]
    assert other_ids == [theirs.pk]


def test_schema_generates_without_warnings(tmp_path, db):
    """Every endpoint is described unambiguously (no guessed or colliding names)."""
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/objectives/" in target.read_text()
