"""Keyset pages (`?cursor=`) of the API's big lists: an ERP walks the whole list by
following `next`, newest first, sees each of its rows once and nothing of another team's,
without a count over the whole list."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.activities.conftest import follow_up
from tests.contracts.conftest import make_contract
from tests.customer_care.conftest import open_issue
from tests.deals.helpers import make_opportunity
from tests.factories import make_account, make_contact
from tests.planning.action_plan_helpers import make_action, make_objective
from users.services import api_token_create


def _action(account, n):
    return make_action(make_objective(account, title=f"Ziel {n}"), title=f"Schritt {n}")


LISTS = {
    "/api/v1/contacts/": lambda account, n: make_contact(account=account, last_name=f"Nr{n}"),
    "/api/v1/opportunities/": lambda account, n: make_opportunity(account=account),
    "/api/v1/issues/": lambda account, n: open_issue(account, title=f"Fall {n}"),
    "/api/v1/contracts/": lambda account, n: make_contract(account=account),
    "/api/v1/follow-ups/": lambda account, n: follow_up(account, title=f"Aufgabe {n}"),
    "/api/v1/actions/": _action,
}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='ERP')[1]}")
    return client


def walk(client, url) -> tuple[list[int], int]:
    """Every id of a keyset walk, in order, and the number of pages."""
    seen, params, pages = [], {"cursor": "", "page_size": 2}, 0
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url, params, pages = body["next"], None, pages + 1
    return seen, pages


@pytest.mark.parametrize("url", LISTS)
def test_a_keyset_walk_sees_each_own_row_once_newest_first(url, kam, other_kam, account):
    make = LISTS[url]
    theirs = make_account(owner=other_kam, name="Fremdfirma")
    mine = [make(account, n).pk for n in range(5)]
    hidden = {make(theirs, n).pk for n in range(3)}
    mine += [make(account, n).pk for n in range(5, 7)]

    seen, pages = walk(api_as(kam), url)

    assert seen == sorted(mine, reverse=True)
    assert not hidden & set(seen)
    assert pages == 4  # 7 rows, 2 per page


@pytest.mark.parametrize("url", LISTS)
def test_a_keyset_page_keeps_the_filters(url, kam, account):
    make = LISTS[url]
    other = make_account(owner=kam, name="Zweitfirma")
    make(account, 1)
    wanted = make(other, 2).pk

    response = api_as(kam).get(url, {"cursor": "", "account": other.pk})

    assert [row["id"] for row in response.json()["results"]] == [wanted]


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/activities/"])
def test_a_sort_order_with_a_cursor_pages_by_number_and_keeps_the_sort(url, kam, account):
    response = api_as(kam).get(url, {"cursor": "", "ordering": "-updated_at"})

    assert response.status_code == 200
    assert "count" in response.json()


def test_page_numbers_still_count_and_keep_the_lists_own_order(kam, account):
    for name in ("Zander", "Abel", "Meier"):
        make_contact(account=account, last_name=name)

    body = api_as(kam).get("/api/v1/contacts/").json()

    assert body["count"] == 3
    assert [row["last_name"] for row in body["results"]] == ["Abel", "Meier", "Zander"]


@pytest.mark.parametrize("rows", [2, 12])
def test_a_keyset_page_takes_the_same_queries_whatever_its_size(
    rows, kam, account, django_assert_num_queries
):
    for n in range(rows):
        make_contact(account=account, last_name=f"Nr{n}")
    client = api_as(kam)
    client.get("/api/v1/contacts/", {"cursor": ""})  # stamps the token's last use

    with django_assert_num_queries(4):  # and no count over the list
        response = client.get("/api/v1/contacts/", {"cursor": ""})

    assert len(response.json()["results"]) == rows
