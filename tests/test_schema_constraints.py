"""The schema says what the API does: constraints the schemathesis run found unstated or
unenforced (issue "Reliability", item 8), pinned one by one."""

import functools
import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from tests.factories import make_account, make_contact
from users.services import api_token_create


@functools.cache
def _document() -> dict:
    """Generated once per test process: the schema does not depend on the data."""
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


# --- Filters: an id is a whole number from 1; one that names nothing is an empty list -----


def token_client(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


ID_FILTERS = [
    ("/api/v1/contacts/", "account"),
    ("/api/v1/opportunities/", "account"),
    ("/api/v1/opportunities/", "stage"),
    ("/api/v1/opportunities/", "product_line"),
    ("/api/v1/opportunities/", "owner"),
    ("/api/v1/issues/", "department"),
    ("/api/v1/actions/", "objective"),
    ("/api/v1/coaching-plans/", "rep"),
    ("/api/v1/reviews/", "account"),
]


@pytest.mark.parametrize(("path", "name"), ID_FILTERS)
def test_an_id_filter_naming_nothing_answers_an_empty_list(kam, account, path, name):
    make_contact(account=account)
    response = token_client(kam).get(path, {name: "987654"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_account_outside_the_scope_answers_the_same_empty_list(kam, other_kam, account):
    foreign = make_account(owner=other_kam, name="Fremd GmbH")
    make_contact(account=foreign)
    client = token_client(kam)
    outside = client.get("/api/v1/contacts/", {"account": foreign.pk})
    nowhere = client.get("/api/v1/contacts/", {"account": 987654})
    assert outside.status_code == nowhere.status_code == 200
    assert outside.json() == nowhere.json()


@pytest.mark.parametrize(("path", "name"), ID_FILTERS)
@pytest.mark.parametrize("value", ["0", "-1", "0.5", "abc", "9223372036854775808"])
def test_an_id_filter_that_is_no_id_is_refused(kam, path, name, value):
    response = token_client(kam).get(path, {name: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize(("path", "name"), ID_FILTERS)
def test_the_schema_states_what_an_id_filter_takes(path, name):
    parameters = _document()["paths"][path]["get"]["parameters"]
    (parameter,) = [p for p in parameters if p["name"] == name]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_date_or_id_filter_is_refused_in_the_api(kam, value):
    client = token_client(kam)
    for path, name in [("/api/v1/surveys/", "surveyed_to"), ("/api/v1/contacts/", "account")]:
        response = client.get(path, {name: value})
        assert response.status_code == 400, (path, name)
        assert list(response.json()["errors"]) == [name]
    assert client.get("/api/v1/accounts/", {"q": ""}).status_code == 200  # text may be empty


# --- Sort orders -------------------------------------------------------------------------


def test_a_sort_order_with_a_cursor_pages_by_number_in_that_order(kam, account):
    for name in ("Zander", "Abel", "Meier"):
        make_contact(account=account, last_name=name)
    response = token_client(kam).get("/api/v1/contacts/", {"cursor": "", "ordering": "-name"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["last_name"] for row in body["results"]] == ["Zander", "Meier", "Abel"]


def test_the_last_change_sorts_beside_the_lists_own_sort_options(kam, account):
    parameters = _document()["paths"]["/api/v1/contacts/"]["get"]["parameters"]
    (ordering,) = [p for p in parameters if p["name"] == "ordering"]
    assert ordering["schema"]["type"] == "array"
    assert {"updated_at", "-updated_at", "name"} <= set(ordering["schema"]["items"]["enum"])
    assert "enum" not in ordering["schema"]
    make_contact(account=account, last_name="Abel")
    response = token_client(kam).get("/api/v1/contacts/", {"ordering": "-updated_at,name"})
    assert response.status_code == 200
    assert [row["last_name"] for row in response.json()["results"]] == ["Abel"]


# --- Bodies: the model's rules stated, text only as text, JSON only ----------------------


def test_the_schema_states_what_may_not_be_blank_and_how_long_it_may_be():
    schemas = _document()["components"]["schemas"]
    for component, field, length in [
        ("AgendaItemRequest", "title", 200),
        ("AgreementRequest", "text", 250),
        ("CompetitorRequest", "name", 150),
    ]:
        stated = schemas[component]["properties"][field]
        assert (stated["minLength"], stated["maxLength"]) == (1, length), component
    duration = schemas["AgendaItemRequest"]["properties"]["duration_minutes"]
    assert (duration["minimum"], duration["maximum"]) == (1, 480)


def test_a_competitor_name_must_be_text(kam):
    client = token_client(kam)
    for name in [0, 12.5, True, ["Wettbewerb"], ""]:
        response = client.post("/api/v1/competitors/", {"name": name}, format="json")
        assert response.status_code == 400, name
        assert list(response.json()["errors"]) == ["name"]
    response = client.post("/api/v1/competitors/", {"name": "Wettbewerb AG"}, format="json")
    assert response.status_code == 201


def test_a_form_or_multipart_body_is_refused_where_the_api_takes_json(kam, account):
    client = token_client(kam)
    response = client.post("/api/v1/competitors/", {"name": "Wettbewerb AG"}, format="multipart")
    assert response.status_code == 415
    paths = _document()["paths"]
    assert list(paths["/api/v1/account-plans/{id}/"]["patch"]["requestBody"]["content"]) == [
        "application/json"
    ]
    assert list(paths["/api/v1/reviews/{id}/render/"]["post"]["requestBody"]["content"]) == [
        "application/json"
    ]


def test_rejecting_a_suggestion_needs_a_reason_and_the_schema_says_so(kam, account):
    schema = _document()["components"]["schemas"]["RejectRequest"]
    assert "reason" in schema["required"]
    assert schema["properties"]["reason"]["minLength"] == 1
    client = token_client(kam)
    url = f"/api/v1/portfolio/suggestions/{account.pk}/reject/"
    for body in [{}, {"reason": "  "}]:
        response = client.post(url, body, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["reason"]


def test_a_coaching_material_is_a_link_in_json_and_a_file_in_multipart():
    answer = _document()["paths"]["/api/v1/coaching-plans/{id}/materials/"]["post"]
    content = answer["requestBody"]["content"]
    schemas = _document()["components"]["schemas"]

    def required(media_type):
        name = content[media_type]["schema"]["$ref"].rsplit("/", 1)[1]
        return set(schemas[name]["required"])

    assert required("application/json") == {"title", "url"}
    assert required("multipart/form-data") == {"file"}


@pytest.mark.parametrize("params", [{"cursor": ""}, {"format": "csv"}])
def test_a_page_number_that_is_none_is_refused_where_it_is_not_used(kam, params):
    response = token_client(kam).get("/api/v1/contracts/", {**params, "page": "x"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_an_amount_that_may_not_be_negative_says_so_in_its_pattern():
    totals = _document()["components"]["schemas"]["CompanyTotalsRequest"]["properties"]
    assert re.match(totals["revenue"]["pattern"], "-5") is None
    assert re.match(totals["contribution_margin"]["pattern"], "-5")
    for amount in ("", "-", "."):
        assert re.match(totals["contribution_margin"]["pattern"], amount) is None


def test_a_competitor_name_that_is_taken_is_a_conflict(kam):
    client = token_client(kam)
    assert client.post("/api/v1/competitors/", {"name": "Acme"}, format="json").status_code == 201
    response = client.post("/api/v1/competitors/", {"name": "Acme"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "competitor_exists"
    assert "409" in _document()["paths"]["/api/v1/competitors/"]["post"]["responses"]


def test_a_suggestion_that_is_gone_is_a_conflict(kam, account):
    response = token_client(kam).post(
        f"/api/v1/portfolio/suggestions/{account.pk}/accept/", {}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "no_suggestion"


def test_the_bulk_import_states_its_rows():
    body = _document()["paths"]["/api/v1/contacts/bulk/"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["rows"]
    assert schema["properties"]["rows"]["minItems"] == 1


def test_a_year_in_a_path_states_its_range():
    parameters = _document()["paths"]["/api/v1/portfolio/company-totals/{year}/"]["put"][
        "parameters"
    ]
    (year,) = [p for p in parameters if p["name"] == "year"]
    assert year["schema"] == {"type": "integer", "minimum": 2000, "maximum": 2100}
