"""The schema says what the API does: constraints the schemathesis run found unstated or
unenforced (issue "Reliability", item 8), pinned one by one."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


def _document() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))


YEAR_LISTS = ["/api/v1/account-plans/", "/api/v1/objectives/", "/api/v1/reviews/"]


@pytest.mark.parametrize("path", YEAR_LISTS)
@pytest.mark.parametrize("value", ["0.5", "0", "1999", "2101", "abc"])
def test_a_year_filter_that_is_no_year_is_refused(kam_client, path, value):
    response = kam_client.get(path, {"year": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


@pytest.mark.parametrize("path", YEAR_LISTS)
def test_a_whole_year_filters(kam_client, path):
    assert kam_client.get(path, {"year": "2026"}).status_code == 200


def test_the_schema_states_the_year_range():
    paths = _document()["paths"]
    for path in YEAR_LISTS:
        (year,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "year"]
        assert year["schema"] == {"type": "integer", "minimum": 2000, "maximum": 2100}, path


def test_adding_a_coaching_session_documents_its_201():
    paths = _document()["paths"]
    answers = paths["/api/v1/coaching-plans/{id}/sessions/"]["post"]["responses"]
    assert "201" in answers


def test_a_contract_document_download_documents_its_file_types():
    paths = _document()["paths"]
    (path,) = [p for p in paths if p.startswith("/api/v1/contracts/") and "download" in p]
    content = paths[path]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "application/octet-stream"} <= set(content)
