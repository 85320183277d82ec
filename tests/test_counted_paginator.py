"""kam.paging.CountedPaginator: pages of a list whose count comes from a cache and may be
stale; no row is ever out of reach, and the last page sets the count right."""

import pytest
from django.core.paginator import Paginator

from accounts.models import Account
from kam.paging import CountedPaginator
from tests.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty(kam):
    for n in range(30):
        make_account(owner=kam, name=f"Firma {n:02d}")
    return Account.objects.order_by("name")


def names(page) -> list[str]:
    return [account.name for account in page]


def test_a_right_count_pages_as_usual(thirty, django_assert_num_queries):
    with django_assert_num_queries(1):  # the page's rows, no COUNT(*)
        page = CountedPaginator(thirty, 25, count=30).get_page(2)
    assert names(page) == [f"Firma {n}" for n in range(25, 30)]
    assert (page.number, page.paginator.num_pages, page.has_next()) == (2, 2, False)


def test_a_count_too_low_still_reaches_every_row(thirty):
    first = CountedPaginator(thirty, 25, count=0).get_page(1)
    assert len(first) == 25 and first.has_next() and first.paginator.num_pages == 2
    second = CountedPaginator(thirty, 25, count=0).get_page(2)
    assert names(second) == [f"Firma {n}" for n in range(25, 30)]
    assert second.paginator.count == 30 and not second.has_next()


def test_a_count_too_high_ends_on_the_real_last_page(thirty):
    page = CountedPaginator(thirty, 10, count=500).get_page(7)
    assert page.number == 3 and names(page)[-1] == "Firma 29"
    assert page.paginator.count == 30 and not page.has_next()
    last = CountedPaginator(thirty, 25, count=500).get_page(2)
    assert last.paginator.num_pages == 2 and not last.has_next()


def test_page_numbers_that_are_no_page_behave_as_djangos_paginator(thirty):
    for number in ("x", None, "0", "-3", "2"):
        counted = CountedPaginator(thirty, 25, count=30).get_page(number)
        plain = Paginator(thirty, 25).get_page(number)
        assert (counted.number, names(counted)) == (plain.number, names(plain)), number
