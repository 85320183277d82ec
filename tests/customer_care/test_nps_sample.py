"""NPS: the number of answers, no trend below the minimum sample, the group NPS, and NPS in
the API."""

from datetime import date

from django.urls import reverse

from customer_care import selectors
from tests.accounts.test_api import api_as
from tests.customer_care.conftest import record
from tests.factories import make_account


def test_no_trend_from_a_single_answer(settings, account, kam_client):
    settings.NPS_MIN_ANSWERS = 5
    record(account, surveyed_on=date(2025, 5, 1), nps=10)
    record(account, surveyed_on=date(2026, 5, 1), nps=0)
    latest = selectors.nps_trend(account)[0]
    assert latest.responses == 1
    assert latest.trend == ""
    assert latest.too_few_answers
    html = kam_client.get(
        reverse("customer_care:account_surveys_panel", args=[account.pk]), HTTP_HX_REQUEST="true"
    ).text
    assert "200" not in html.split('data-testid="trend-2026"')[1].split("</td>")[0]
    assert 'data-testid="answers-2026"' in html


def test_trend_from_enough_answers(settings, account):
    settings.NPS_MIN_ANSWERS = 2
    for score in (10, 10):
        record(account, surveyed_on=date(2025, 5, 1), nps=score)
    for score in (10, 0):
        record(account, surveyed_on=date(2026, 5, 1), nps=score)
    latest = selectors.nps_trend(account)[0]
    assert (latest.trend, latest.change) == ("down", -100.0)


def test_group_nps_counts_the_subsidiaries(kam, account):
    subsidiary = make_account(owner=kam, parent=account, name="Tochter")
    record(account, surveyed_on=date(2026, 5, 1), nps=10)
    record(subsidiary, surveyed_on=date(2026, 5, 1), nps=0)
    record(subsidiary, surveyed_on=date(2026, 6, 1), nps=9)
    group = selectors.group_nps_trend(account)[0]
    assert (group.year, group.responses, group.nps) == (2026, 3, 33.3)


def test_api_gives_nps_and_group_nps(kam, account):
    subsidiary = make_account(owner=kam, parent=account, name="Tochter")
    record(account, surveyed_on=date(2026, 5, 1), nps=10)
    record(subsidiary, surveyed_on=date(2026, 5, 1), nps=0)
    data = api_as(kam).get(f"/api/v1/accounts/{account.pk}/nps/").json()
    assert data["account"][0]["nps"] == 100.0
    assert data["account"][0]["responses"] == 1
    assert data["group"][0]["nps"] == 0.0
    assert data["group"][0]["responses"] == 2
    assert data["min_answers"] >= 1
