"""The issues tab's "New issue" form names the owner by type-ahead, as the other forms do,
instead of a select box holding every user of the company."""

import pytest
from django.urls import reverse

from customer_care.models import CustomerIssue
from tests.customer_care.test_views import HTMX, issue_data, issues_panel
from tests.factories import UserFactory


@pytest.fixture
def colleagues(db):
    return [UserFactory(username=f"kollege{n}", last_name=f"Kollege {n}") for n in range(30)]


def test_issues_tab_offers_an_owner_type_ahead_not_every_user(kam_client, account, colleagues):
    html = kam_client.get(issues_panel(account), **HTMX).text

    assert 'id="issue-form"' in html
    assert '<select name="owner"' not in html
    assert "Kollege 17" not in html  # no option per user
    assert 'type="search" name="owner"' in html
    assert reverse("accounts:user_options") in html


def test_new_issue_goes_to_the_owner_typed_or_to_its_author(
    kam, kam_client, account, colleagues, head_of_sales
):
    url = reverse("customer_care:account_issue_create", args=[account.pk])

    kam_client.post(url, issue_data(title="Für Kollegen", owner=head_of_sales.username), **HTMX)
    kam_client.post(url, issue_data(title="Für mich", owner=""), **HTMX)
    unknown = kam_client.post(url, issue_data(title="Niemand", owner="gibtsnicht"), **HTMX)
    outside = kam_client.post(url, issue_data(title="Fremd", owner="kollege3"), **HTMX)

    assert CustomerIssue.objects.get(title="Für Kollegen").owner == head_of_sales
    assert CustomerIssue.objects.get(title="Für mich").owner == kam
    assert unknown.status_code == 422
    assert outside.status_code == 422  # a colleague without access to the account
    assert not CustomerIssue.objects.filter(title__in=["Niemand", "Fremd"]).exists()


def test_editing_an_issue_shows_its_owner_by_name(kam, kam_client, account, head_of_sales):
    url = reverse("customer_care:account_issue_create", args=[account.pk])
    kam_client.post(url, issue_data(title="Zu ändern", owner=head_of_sales.username), **HTMX)
    issue = CustomerIssue.objects.get(title="Zu ändern")

    html = kam_client.get(reverse("customer_care:issue_edit", args=[issue.pk])).text

    assert f'value="{head_of_sales.username}"' in html
