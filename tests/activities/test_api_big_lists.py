"""The activity and follow-up lists of the API at tens of millions of rows: activities
page by cursor unless page numbers are asked for (no exact count of every activity on
each request), and everyone's follow-ups are read in due order from an index."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from activities import selectors
from tests.activities.conftest import follow_up, log
from tests.activities.test_api import ACTIVITIES, FOLLOW_UPS, api_as, ids


def test_activities_come_by_cursor_newest_first_without_a_count(kam, account):
    logged = [log(account, subject=f"Anruf {n}", days_ago=n).pk for n in range(5)]
    client = api_as(kam)

    first = client.get(ACTIVITIES, {"page_size": 2}).json()
    assert "count" not in first
    assert [row["id"] for row in first["results"]] == logged[:2]
    assert "cursor=" in first["next"] and first["previous"] is None

    seen, url = [], ACTIVITIES + "?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == logged  # every activity once, newest first


def test_activities_with_page_numbers_keep_the_count_and_the_old_answer(kam, account):
    logged = [log(account, subject=f"Anruf {n}", days_ago=n).pk for n in range(3)]

    body = api_as(kam).get(ACTIVITIES, {"page": 1, "page_size": 2}).json()

    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == logged[:2]
    assert "page=2" in body["next"]


def test_activities_with_a_sort_order_of_their_own_are_paged_by_number(kam, account):
    log(account, days_ago=2)
    log(account, days_ago=1)

    body = api_as(kam).get(ACTIVITIES, {"ordering": "updated_at"}).json()

    assert body["count"] == 2


def test_activities_by_cursor_take_the_same_queries_for_any_number(
    kam, account, django_assert_max_num_queries
):
    client = api_as(kam)
    for n in range(3):
        log(account, subject=f"Anruf {n}")
    with django_assert_max_num_queries(8):
        three = client.get(ACTIVITIES)
    for n in range(12):
        log(account, subject=f"Besuch {n}")
    with django_assert_max_num_queries(8):
        fifteen = client.get(ACTIVITIES)
    assert len(ids(three)) == 3 and len(ids(fifteen)) == 15


def test_follow_ups_of_everyone_come_earliest_due_first(head_of_sales, kam, account):
    later = follow_up(account, days=9, title="Später")
    sooner = follow_up(account, days=1, title="Bald")
    same_day = follow_up(account, days=9, title="Später auch")

    response = api_as(head_of_sales).get(FOLLOW_UPS)

    assert ids(response) == [sooner.pk, later.pk, same_day.pk]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")
def test_a_page_of_everyones_follow_ups_is_read_from_the_due_index(head_of_sales, account):
    follow_up(account, days=2)
    page = selectors.follow_up_list(head_of_sales).order_by("due_on", "pk")[:50]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE activities_followup")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    assert "followup_due_idx" in plan
    assert "Sort" not in plan
