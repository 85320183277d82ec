"""Rough edges of daily work: the API's root, owner boxes that show the person, the
reminders page in German, date-only and future events on the timeline, and the issue
pages that tell the account header about a change."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from activities.forms import FollowUpForm
from activities.services import activity_log
from contracts.services import contract_create
from customer_care.models import CustomerIssue, Department, ensure_default_departments
from customer_care.services import issue_create
from reminders.models import Reminder
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_api_root_links_schema_docs_and_the_list_endpoints(kam_client):
    response = kam_client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["endpoints"]["account"] == "http://testserver/api/v1/accounts/"
    assert body["endpoints"]["contact"] == "http://testserver/api/v1/contacts/"
    assert len(body["endpoints"]) >= 8
    for url in body["endpoints"].values():  # every link leads somewhere (some need a filter)
        assert kam_client.get(url, HTTP_ACCEPT="application/json").status_code in {200, 400}


def test_api_root_asks_an_anonymous_caller_to_sign_in(client):
    assert client.get("/api/v1/", HTTP_ACCEPT="application/json").status_code == 401


def test_owner_box_shows_the_persons_name_and_accepts_it(kam, account):
    kam.first_name, kam.last_name = "Kerstin", "Adler"
    kam.save()
    form = FollowUpForm(user=kam, account=account)
    html = str(form["owner"])
    assert f'value="Kerstin Adler ({kam.username})"' in html
    data = QueryDict(mutable=True)
    data.update(
        {
            "account": str(account.pk),
            "title": "Angebot nachfassen",
            "owner": f"Kerstin Adler ({kam.username})",
            "due_on": timezone.localdate().isoformat(),
        }
    )
    posted = FollowUpForm(
        data,
        user=kam,
        account=account,
    )
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["owner"] == kam


def test_reminders_page_in_german_says_verkaufschance(kam, kam_client, account):
    Reminder.objects.create(
        rule="deal_follow_up_due", object_type="deals.opportunity", object_id=1,
        due_on=timezone.localdate(), recipient=kam, subject="Flotte 2027",
        url="/deals/1/", account=account,
    )  # fmt: skip
    page = kam_client.get(reverse("reminders:list")).content.decode()
    assert "Verkaufschance" in page
    assert "Opportunit" not in page


def _timeline(client, account) -> str:
    url = reverse("activities:account_panel", args=[account.pk]) + "?part=timeline"
    return client.get(url, **HTMX).content.decode()


def test_timeline_shows_date_only_events_without_a_time_and_future_ones_coming_up(
    kam, kam_client, account
):
    today = timezone.localdate()
    end = today + timedelta(days=20)
    contract_create(
        actor=kam, account=account, number="V-1", title="Rahmenvertrag",
        start_on=today - timedelta(days=300), end_on=end, status="active",
        annual_value=Decimal("1000"),
    )  # fmt: skip
    contract_create(
        actor=kam, account=account, number="V-2", title="Servicevertrag",
        start_on=today - timedelta(days=300), end_on=today + timedelta(days=5), status="active",
        annual_value=Decimal("1000"),
    )  # fmt: skip
    activity_log(
        actor=kam, account=account, kind="call", subject="Telefonat gestern",
        occurred_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    html = _timeline(kam_client, account)
    upcoming, _, past = html.partition('data-testid="timeline"')
    assert "Demnächst" in upcoming
    # The soonest first.
    assert upcoming.index("Servicevertrag") < upcoming.index("Rahmenvertrag")
    assert upcoming.count('data-kind="contract.ending"') == 2
    assert "Telefonat gestern" in past and 'data-kind="contract.ending"' not in past
    # The contract's end shows its date alone, no "00:00".
    assert f'<time datetime="{end.isoformat()}">{end:%d.%m.%Y}</time>' in upcoming
    assert "00:00" not in html


def test_timeline_shows_planned_visits_coming_up_with_their_time(kam, kam_client, account):
    visit_at = timezone.now().replace(microsecond=0) + timedelta(days=3)
    activity_log(
        actor=kam, account=account, kind="visit", subject="Besuch im Werk",
        occurred_at=visit_at, location="Werk Stuttgart",
    )  # fmt: skip
    activity_log(
        actor=kam, account=account, kind="meeting", subject="Jahresgespräch",
        occurred_at=timezone.now() + timedelta(days=10),
    )  # fmt: skip
    activity_log(
        actor=kam, account=account, kind="call", subject="Telefonat gestern",
        occurred_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    html = _timeline(kam_client, account)
    upcoming, _, past = html.partition('data-testid="timeline"')
    assert "Demnächst" in upcoming
    assert upcoming.index("Besuch im Werk") < upcoming.index("Jahresgespräch")
    assert 'data-kind="activity.visit"' in upcoming and "Werk Stuttgart" in upcoming
    # A visit has a time: it shows with it, in the user's time zone.
    local = timezone.localtime(visit_at)
    assert f"{local:%d.%m.%Y %H:%M}" in upcoming
    assert "Telefonat gestern" in past and "Besuch im Werk" not in past


def test_timeline_without_future_events_has_no_coming_up_group(kam, kam_client, account):
    activity_log(
        actor=kam, account=account, kind="call", subject="Telefonat gestern",
        occurred_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    html = _timeline(kam_client, account)
    assert "Demnächst" not in html and "Telefonat gestern" in html


@pytest.fixture
def issue(kam, account):
    ensure_default_departments()
    return issue_create(
        actor=kam, account=account, title="Lieferung verspätet",
        department=Department.objects.get(key="logistics"),
    )  # fmt: skip


def test_issue_status_change_refreshes_the_history_and_tells_the_account(kam_client, issue):
    response = kam_client.post(
        reverse("customer_care:issue_status", args=[issue.pk]),
        {"status": "resolved", "resolution": "Nachgeliefert"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="issue-history" data-testid="issue-history" hx-swap-oob="true"' in html
    history = html.split('<div id="issue-history"')[1]
    assert "Gelöst" in history
    assert json.loads(response["HX-Trigger"])["kam:account-changed"] is True
    issue.refresh_from_db()
    assert issue.status == CustomerIssue.Status.RESOLVED


def test_issue_opened_on_the_account_page_updates_the_header_count(kam, kam_client, account):
    ensure_default_departments()
    response = kam_client.post(
        reverse("customer_care:account_issue_create", args=[account.pk]),
        {
            "title": "Falsche Rechnung",
            "kind": "complaint",
            "severity": "medium",
            "department": Department.objects.get(key="quality").pk,
        },  # fmt: skip
        **HTMX,
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"])["kam:account-changed"] is True
    facts = client_for(kam).get(reverse("accounts:facts", args=[account.pk]), **HTMX)
    assert "<dt>Offene Anliegen</dt><dd>1</dd>" in facts.content.decode()


def test_issue_history_is_on_the_full_page_too(kam_client, issue):
    page = kam_client.get(reverse("customer_care:issue_detail", args=[issue.pk])).content.decode()
    assert 'id="issue-history"' in page and "hx-swap-oob" not in page
