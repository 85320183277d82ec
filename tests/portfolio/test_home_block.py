"""The home page block "Key accounts by health": weakest first, one query of its own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.health import week_of
from portfolio.models import HealthSnapshot
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = reverse("home_block", args=["key_account_health"])


def test_weakest_key_account_first_in_constant_queries(
    portfolio, other_kam, django_assert_num_queries
):
    week = week_of(timezone.localdate())
    for key, score in (("weber", 72), ("weber_us", 41), ("bauer", 10)):
        HealthSnapshot.objects.create(account=portfolio[key], week=week, score=score)
    client = client_for(other_kam)
    # session, user, the manager's scope, the block
    with django_assert_num_queries(4):
        html = client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    assert html.index("Weber USA Inc.") < html.index("Weber Holding AG")
    assert "Bauer GmbH" not in html  # a standard customer, and not other_kam's
