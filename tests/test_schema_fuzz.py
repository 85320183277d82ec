"""Schemathesis against the OpenAPI schema: generated requests, valid and invalid, sent
to every operation as a signed-in key account manager, with every check schemathesis has:
no server error; every answer (status code, content type, headers, body) as the schema
describes it; every request the schema calls valid accepted (`positive_data_acceptance`)
and every one it calls invalid refused (`negative_data_rejection`); and the rest (a
missing required header, an unsupported method, a deleted resource still there, ...).

A bounded run, the same on every machine: the schema's own examples and 3 generated
requests per operation (valid and invalid), a fixed seed, derandomized, no deadline:
about 1,000 requests. The boundary-by-boundary coverage phase (13,000 requests, minutes
on 2 cores) stays out of the suite. Select the run alone with `-m schemathesis`.

Two things the schema cannot state, and the run knows: a write needs its own
Idempotency-Key (the same key with another request answers 422, as documented), so each
generated key is made unique; and a body may name a record by its id (an account, an
owner) that does not exist in the test's database, which the API answers with a 400
naming that field ("Not found."), so such an answer is not counted as refusing valid
data. Both are pinned by their own tests (tests/test_api_integrators.py,
tests/test_schema_constraints.py)."""

import json
import re
import uuid

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.relations import PrimaryKeyRelatedField
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.api.fields import ScopedPrimaryKeyRelatedField
from customer_care.api.serializers import ActiveDepartmentField
from kam.api.serializers import UserIdField
from kam.wsgi import application
from tests.factories import make_account, make_contact
from users.services import api_token_create

EXAMPLES_PER_OPERATION = 3
SEED = 20261127
PHASES = ["examples", "fuzzing"]
SANE_KEY = re.compile(r"[!-~]{1,200}")


def _reference_messages() -> re.Pattern:
    """The field errors that say "no such record (for you)", in every language."""
    texts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for field in (ScopedPrimaryKeyRelatedField, UserIdField, ActiveDepartmentField):
                texts.append(re.escape(str(field.default_error_messages["does_not_exist"])))
            texts.append(
                re.escape(
                    str(PrimaryKeyRelatedField.default_error_messages["does_not_exist"])
                ).replace(re.escape("{pk_value}"), ".*")
            )
    return re.compile("|".join(f"^{text}$" for text in texts))


REFERENCE_MESSAGES = _reference_messages()


def _names_missing_records_only(response) -> bool:
    if response.status_code != 400:
        return False
    try:
        errors = json.loads(response.content).get("errors")
    except (ValueError, AttributeError):
        return False
    if not errors:
        return False
    messages = [
        message
        for field_messages in errors.values()
        for message in (field_messages if isinstance(field_messages, list) else [field_messages])
    ]
    return all(isinstance(m, str) and REFERENCE_MESSAGES.match(m) for m in messages)


def positive_data_accepted_but_for_missing_records(ctx, response, case):
    """positive_data_acceptance, except a 400 whose every field error names a record that
    does not exist: the schema states an id's type, not that the record is there."""
    if _names_missing_records_only(response):
        return None
    return positive_data_acceptance(ctx, response, case)


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
    loaded.config.phases.update(phases=PHASES)
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
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and SANE_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = f"{key[:200]}-{uuid.uuid4()}"  # still valid
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_accepted_but_for_missing_records],
    )


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
