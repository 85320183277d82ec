"""Issue pages and the account's Issues and Satisfaction panels: scope, permissions,
forms with errors in place, htmx partials and query counts."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import FollowUp
from customer_care import services
from customer_care.models import CustomerIssue, Department, Survey
from tests.customer_care.conftest import open_issue, record
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}
ISSUES = reverse("customer_care:issues")


def issues_panel(account) -> str:
    return reverse("customer_care:account_issues_panel", args=[account.pk])


def surveys_panel(account) -> str:
    return reverse("customer_care:account_surveys_panel", args=[account.pk])


def listed_titles(html: str) -> list[str]:
    return re.findall(r'<a href="/care/issues/\d+/">([^<]+)</a>', html)


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown under one form field."""
    match = re.search(
        rf'<div class="field has-error">\s*<label for="id_{field}".*?</div>', html, re.S
    )
    return re.findall(r'class="field-error"[^>]*>([^<]+)<', match.group(0)) if match else []


def toasts(response) -> list[str]:
    return [t["text"] for t in json.loads(response["HX-Trigger"])["kam:toasts"]]


def issue_data(**overrides) -> dict:
    data = {
        "title": "Reklamation Charge 42",
        "kind": "complaint",
        "severity": "high",
        "department": Department.objects.get(key="quality").pk,
        "owner": "",
        "due_on": "",
        "description": "Maße außerhalb der Toleranz.",
    }
    return data | overrides


# --- Issue list ---------------------------------------------------------------------------


def test_issue_list_shows_issues_in_scope_only(kam_client, account, other_account):
    open_issue(account, title="Meine Reklamation")
    open_issue(other_account, title="Fremde Reklamation")
    response = kam_client.get(ISSUES)
    assert response.status_code == 200
    assert listed_titles(response.text) == ["Meine Reklamation"]


def test_outsider_sees_an_empty_issue_list(outsider_client, account):
    open_issue(account, title="Geheim")
    response = outsider_client.get(ISSUES)
    assert response.status_code == 200 and "Geheim" not in response.text


def test_issue_list_filters_and_keeps_them_in_the_url(kam, kam_client, account):
    old = timezone.now() - timedelta(days=20)
    late = open_issue(account, title="Überfällig", severity="critical", opened_at=old)
    open_issue(account, title="Noch Zeit", severity="low")
    done = open_issue(account, title="Erledigt", severity="critical", escalated=True)
    services.issue_change_status(actor=kam, issue=done, status="closed", resolution="ok")
    quality = Department.objects.get(key="quality")
    open_issue(account, title="Qualität", department=quality, kind="risk")

    def titles(**params):
        return sorted(listed_titles(kam_client.get(ISSUES, params).text))

    assert titles(overdue="true") == ["Überfällig"]
    assert titles(severity="critical") == ["Erledigt", "Überfällig"]
    assert titles(status="unresolved") == ["Noch Zeit", "Qualität", "Überfällig"]
    assert titles(status="closed") == ["Erledigt"]
    assert titles(escalated="true") == ["Erledigt"]
    assert titles(department=quality.pk) == ["Qualität"]
    assert titles(kind="risk") == ["Qualität"]
    assert titles(owner=kam.pk, q="zeit") == ["Noch Zeit"]
    assert late.is_overdue


def test_issue_list_filters_by_account_and_shows_which(kam, kam_client, account):
    other = make_account(owner=kam, name="Zweitkunde AG")
    open_issue(account, title="Hier")
    open_issue(other, title="Dort")
    response = kam_client.get(ISSUES, {"account": other.pk})
    assert listed_titles(response.text) == ["Dort"]
    assert 'data-testid="account-filter"' in response.text and "Zweitkunde AG" in response.text


def test_issue_list_account_filter_outside_scope_is_404(kam_client, other_account):
    assert kam_client.get(ISSUES, {"account": other_account.pk}).status_code == 404


def test_issue_list_sorts_by_severity(kam_client, account):
    for severity in ("medium", "critical", "low", "high"):
        open_issue(account, title=f"Fall {severity}", severity=severity)
    response = kam_client.get(ISSUES, {"ordering": "-severity"})
    assert listed_titles(response.text) == [
        "Fall critical", "Fall high", "Fall medium", "Fall low",
    ]  # fmt: skip


def test_issue_list_htmx_gets_only_the_results(kam_client, account):
    open_issue(account, title="Teilansicht")
    response = kam_client.get(ISSUES, {"severity": "medium"}, **HTMX)
    assert response.text.lstrip().startswith('<section id="results"')
    assert "Teilansicht" in response.text and "<html" not in response.text


def test_issue_list_pages(kam_client, account):
    for number in range(30):
        open_issue(account, title=f"Fall {number:02d}")
    first = listed_titles(kam_client.get(ISSUES, {"ordering": "title"}).text)
    second = listed_titles(kam_client.get(ISSUES, {"ordering": "title", "page": 2}).text)
    assert len(first) == 25 and len(second) == 5
    assert first[0] == "Fall 00" and second[-1] == "Fall 29"


@pytest.mark.parametrize("rows", [3, 15])
def test_issue_list_query_count_does_not_grow_with_rows(
    kam, kam_client, account, django_assert_num_queries, rows
):
    other = make_account(owner=kam, name="Zweite AG")
    for number in range(rows):
        open_issue(account if number % 2 else other, title=f"Fall {number:02d}")
    with django_assert_num_queries(6):
        response = kam_client.get(ISSUES)
    assert len(listed_titles(response.text)) == rows


# --- Issue pages --------------------------------------------------------------------------


def test_outsider_gets_404_for_issue_pages(outsider_client, account):
    issue = open_issue(account)
    for name in ("issue_detail", "issue_edit"):
        assert (
            outsider_client.get(reverse(f"customer_care:{name}", args=[issue.pk])).status_code
            == 404
        )
    url = reverse("customer_care:issue_status", args=[issue.pk])
    assert outsider_client.post(url, {"status": "in_progress"}).status_code == 404


def test_reader_sees_the_issue_but_may_not_change_it(reader_client, account):
    issue = open_issue(account, title="Nur lesen")
    response = reader_client.get(reverse("customer_care:issue_detail", args=[issue.pk]))
    assert response.status_code == 200 and "Nur lesen" in response.text
    assert 'id="status-form"' not in response.text
    url = reverse("customer_care:issue_status", args=[issue.pk])
    assert reader_client.post(url, {"status": "in_progress"}).status_code == 403
    issue.refresh_from_db()
    assert issue.status == "open"


def test_resolving_without_resolution_shows_the_error_in_place(kam_client, account):
    issue = open_issue(account)
    url = reverse("customer_care:issue_status", args=[issue.pk])
    response = kam_client.post(url, {"status": "resolved", "resolution": ""}, **HTMX)
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<div id="issue-summary"')
    assert field_errors(response.text, "resolution")
    issue.refresh_from_db()
    assert issue.status == "open"


def test_resolving_with_resolution_updates_the_summary(kam_client, account):
    issue = open_issue(account)
    url = reverse("customer_care:issue_status", args=[issue.pk])
    response = kam_client.post(
        url, {"status": "resolved", "resolution": "Ersatz geliefert"}, **HTMX
    )
    assert response.status_code == 200
    assert "Ersatz geliefert" in response.text
    assert toasts(response)
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.resolved_at is not None


def test_issue_detail_shows_the_history_of_changes(kam, kam_client, account):
    issue = open_issue(account)
    services.issue_change_status(actor=kam, issue=issue, status="closed", resolution="Gutschrift")
    response = kam_client.get(reverse("customer_care:issue_detail", args=[issue.pk]))
    assert "<del>" in response.text and "Gutschrift" in response.text


def test_create_issue_page_with_errors_then_success(kam_client, account, other_account):
    url = reverse("customer_care:issue_create")
    page = kam_client.get(url, {"account": account.pk})
    assert page.status_code == 200
    assert f'<option value="{account.pk}" selected>' in page.text
    accounts = re.search(r'<select name="account".*?</select>', page.text, re.S).group(0)
    assert f'value="{other_account.pk}"' not in accounts  # only accounts the user may change
    response = kam_client.post(url, issue_data(account=account.pk, title=""))
    assert response.status_code == 422 and field_errors(response.text, "title")
    response = kam_client.post(url, issue_data(account=other_account.pk))
    assert response.status_code == 422 and field_errors(response.text, "account")
    assert not CustomerIssue.objects.exists()
    response = kam_client.post(url, issue_data(account=account.pk))
    issue = CustomerIssue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/issues/{issue.pk}/"
    assert issue.due_on == timezone.localdate() + timedelta(days=3)  # high severity


def test_edit_issue_page(kam_client, account):
    issue = open_issue(account, title="Alt")
    url = reverse("customer_care:issue_edit", args=[issue.pk])
    assert kam_client.get(url).status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = kam_client.post(url, issue_data(title="Neu", due_on=yesterday))
    assert response.status_code == 422 and field_errors(response.text, "due_on")
    response = kam_client.post(url, issue_data(title="Neu", escalated="on"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Neu" and issue.escalated and issue.severity == "high"


# --- Account panels ----------------------------------------------------------------------


def test_issues_panel_lists_open_issues_first_then_recently_closed(kam, kam_client, account):
    open_issue(account, title="Offen niedrig", severity="low")
    open_issue(account, title="Offen kritisch", severity="critical")
    done = open_issue(account, title="Geschlossen")
    services.issue_change_status(actor=kam, issue=done, status="closed", resolution="ok")
    response = kam_client.get(issues_panel(account), **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert listed_titles(response.text) == ["Offen kritisch", "Offen niedrig", "Geschlossen"]
    assert 'id="issue-form"' in response.text


def test_issues_panel_without_htmx_redirects_to_the_tab(kam_client, account):
    response = kam_client.get(issues_panel(account))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/?tab=issues"


def test_account_page_with_issues_tab_loads_the_panel(kam_client, account):
    response = kam_client.get(f"/accounts/{account.pk}/", {"tab": "issues"})
    assert f'hx-get="{issues_panel(account)}" hx-trigger="load"' in response.text


def test_panels_are_404_outside_the_scope(outsider_client, account):
    for url in (issues_panel(account), surveys_panel(account)):
        assert outsider_client.get(url, **HTMX).status_code == 404
    create = reverse("customer_care:account_issue_create", args=[account.pk])
    assert outsider_client.post(create, issue_data(), **HTMX).status_code == 404
    survey = reverse("customer_care:survey_create", args=[account.pk])
    assert outsider_client.post(survey, {"nps": 3, "method": "phone"}, **HTMX).status_code == 404
    assert not CustomerIssue.objects.exists() and not Survey.objects.exists()


def test_reader_sees_panels_without_forms_and_may_not_post(reader_client, account):
    assert 'id="issue-form"' not in reader_client.get(issues_panel(account), **HTMX).text
    assert 'id="survey-form"' not in reader_client.get(surveys_panel(account), **HTMX).text
    create = reverse("customer_care:account_issue_create", args=[account.pk])
    assert reader_client.post(create, issue_data(), **HTMX).status_code == 403
    survey = reverse("customer_care:survey_create", args=[account.pk])
    assert reader_client.post(survey, {"nps": 3, "method": "phone"}, **HTMX).status_code == 403


def test_new_issue_inline_shows_errors_in_place_then_opens_it(kam_client, account):
    url = reverse("customer_care:account_issue_create", args=[account.pk])
    response = kam_client.post(url, issue_data(title=""), **HTMX)
    assert response.status_code == 422
    assert field_errors(response.text, "title")
    assert 'value="Maße außerhalb der Toleranz."' not in response.text  # a textarea keeps it:
    assert "Maße außerhalb der Toleranz.</textarea>" in response.text
    response = kam_client.post(url, issue_data(), **HTMX)
    assert response.status_code == 200
    assert listed_titles(response.text) == ["Reklamation Charge 42"]
    assert toasts(response)


def test_surveys_panel_shows_nps_per_year_with_the_trend_in_words(kam_client, account, settings):
    settings.NPS_MIN_ANSWERS = 3
    this_year = timezone.localdate().year
    for nps in (10, 9, 6):  # 66.7 − 33.3 = 33
        record(
            account,
            nps=nps,
            csat=4,
            surveyed_on=timezone.localdate().replace(year=this_year - 1, month=1, day=10),
        )
    for nps in (10, 9, 8):  # 66.7
        record(account, nps=nps, surveyed_on=timezone.localdate().replace(month=1, day=5))
    response = kam_client.get(surveys_panel(account), **HTMX)
    assert response.status_code == 200
    html = response.text
    assert re.search(rf'data-testid="nps-{this_year}">\s*67<', html)
    assert re.search(rf'data-testid="nps-{this_year - 1}">\s*33<', html)
    trend = re.search(rf'data-testid="trend-{this_year}">(.*?)</td>', html, re.S).group(1)
    assert "↑" in trend and "33" in trend
    assert 'data-testid="recent-surveys"' in html


def test_recording_a_detractor_survey_tells_that_a_follow_up_was_created(
    kam, kam_client, account, contact
):
    url = reverse("customer_care:survey_create", args=[account.pk])
    response = kam_client.post(
        url,
        {"method": "phone", "contact": contact.pk, "nps": "3", "csat": "", "comment": "Zu teuer"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'data-testid="follow-up-notice"' in response.text
    assert len(toasts(response)) == 2
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == kam and follow_up.source == "survey"
    assert Survey.objects.get().nps == 3


def test_recording_a_good_survey_creates_no_follow_up(kam_client, account):
    url = reverse("customer_care:survey_create", args=[account.pk])
    response = kam_client.post(url, {"method": "email", "nps": "9", "csat": "5"}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="follow-up-notice"' not in response.text
    assert not FollowUp.objects.exists() and Survey.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"nps": "11"}, "nps"), ({"csat": "0"}, "csat"), ({}, "nps")],
)
def test_invalid_survey_shows_the_error_in_place_and_saves_nothing(
    kam_client, account, data, field
):
    url = reverse("customer_care:survey_create", args=[account.pk])
    response = kam_client.post(url, {"method": "email", **data}, **HTMX)
    assert response.status_code == 422
    assert field_errors(response.text, field)
    assert not Survey.objects.exists() and not FollowUp.objects.exists()


def test_survey_form_offers_only_contacts_of_the_group(kam_client, account, contact, other_account):
    from tests.factories import make_contact

    stranger = make_contact(account=other_account, last_name="Fremd")
    html = kam_client.get(surveys_panel(account), **HTMX).text
    assert f'<option value="{contact.pk}">' in html
    assert f'<option value="{stranger.pk}">' not in html


@pytest.mark.parametrize("rows", [3, 15])
def test_panels_query_counts_do_not_grow_with_rows(
    kam, kam_client, account, contact, django_assert_num_queries, rows
):
    for number in range(rows):
        open_issue(account, title=f"Fall {number:02d}", severity="low")
        record(
            account,
            nps=number % 11,
            contact=contact,
            surveyed_on=timezone.localdate() - timedelta(days=number * 60),
        )
    with django_assert_num_queries(10):  # the owner is a type-ahead: no list of users
        issues = kam_client.get(issues_panel(account), **HTMX)
    with django_assert_num_queries(13):  # with "has subsidiaries?" for the group NPS
        surveys = kam_client.get(surveys_panel(account), **HTMX)
    assert len(listed_titles(issues.text)) == rows
    assert surveys.text.count("Jana Krüger</td>") == min(rows, 10)
