"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, sent
to every operation as a signed-in key account manager. The bar: no server error, and
every answer (status code, content type, body) as the schema describes it.

A bounded run, the same on every machine: a few examples per operation, a fixed seed,
derandomized, no deadline: about 13,000 requests (the coverage phase sends every boundary
case the schema defines), 6 minutes on 2 cores. Select it alone with `-m schemathesis`."""

import json

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kam.wsgi import application
from tests.factories import make_account, make_contact
from users.services import api_token_create

EXAMPLES_PER_OPERATION = 3
SEED = 20261127
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The WSGI application closes the database connection around each request, as in
    production; Django's test client switches that off, and so does this test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(kam) -> str:
    account = make_account(owner=kam, name="Fuzz AG")
    make_contact(account=account)
    _token, raw = api_token_create(user=kam, name="schemathesis")
    return raw


def _load_schema():
    """The schema as /api/v1/schema/ serves it, generated in process at collection time."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = application
    loaded.config.generation.update(
        max_examples=EXAMPLES_PER_OPERATION, deterministic=True, database="none"
    )
    loaded.config.seed = SEED
    return loaded


schema = _load_schema()


@pytest.mark.schemathesis
@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_by_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


# --- What the run found, pinned one by one ------------------------------------------------


def _components() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


def test_every_operation_documents_its_error_answers():
    document = _components()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), (method, path)
    assert set(document["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}


def test_fields_that_can_be_null_say_so():
    schemas = _components()["components"]["schemas"]
    for component, field in [
        ("AccountPlan", "last_reviewed_by_name"),
        ("Material", "download_url"),
        ("Material", "url"),
        ("FollowUp", "activity"),
        ("FollowUp", "done_by"),
        ("FollowUp", "created_by"),
    ]:
        assert schemas[component]["properties"][field].get("nullable") is True, (component, field)


def test_whitespace_matrix_is_documented_as_one_object():
    answer = _components()["paths"]["/api/v1/whitespace/"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Matrix"
    }


def test_a_cursor_page_has_no_count_and_the_schema_allows_that():
    assert _components()["components"]["schemas"]["PaginatedActivityList"]["required"] == [
        "results"
    ]


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_page_size_and_year_of_the_wrong_type_are_refused(kam, value):
    client = Client()
    client.force_login(kam)
    response = client.get("/api/v1/accounts/", {"page_size": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]
    response = client.get("/api/v1/portfolio/", {"year": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]
    assert client.get("/api/v1/accounts/", {"page_size": "500"}).status_code == 200  # cut
