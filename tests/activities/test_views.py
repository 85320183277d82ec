"""Contact log pages: the timeline panel and its dialog, the activity list and page, and
"My work". Scope, permissions, htmx partials and query counts."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from activities import services
from activities.models import Activity, FollowUp
from kam import registry
from tests.activities.conftest import follow_up, log
from tests.factories import make_account, make_contact

HTMX = {"HTTP_HX_REQUEST": "true"}


def panel_url(account) -> str:
    return reverse("activities:account_panel", args=[account.pk])


def log_url(account) -> str:
    return reverse("activities:log", args=[account.pk])


def activity_data(**overrides) -> dict:
    data = {
        "kind": "visit",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "location": "Stuttgart",
        "subject": "Werksbesuch Halle 3",
        "notes": "",
        "outcome": "Muster gewünscht",
        "next_step": "",
        "next_step_owner": "",
        "next_step_due_on": "",
    }
    return data | overrides


def entry_titles(html: str) -> list[str]:
    return re.findall(r'<li class="timeline-entry"[^>]*>.*?<a href="[^"]*">([^<]*)</a>', html, re.S)


# --- the Timeline tab ------------------------------------------------------------------


def test_panel_shows_the_newest_activity_first_with_the_log_button(kam_client, account):
    log(account, subject="Alt", days_ago=30)
    log(account, subject="Neu", days_ago=2)
    response = kam_client.get(panel_url(account), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert entry_titles(html) == ["Neu", "Alt"]
    assert f'hx-get="{log_url(account)}"' in html  # the "Log activity" button


def test_panel_without_htmx_redirects_to_the_account_tab(kam_client, account):
    response = kam_client.get(panel_url(account))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/?tab=timeline"


def test_outsider_gets_404_on_panel_dialog_and_detail(outsider_client, account):
    activity = log(account)
    for url in (panel_url(account), log_url(account)):
        assert outsider_client.get(url, **HTMX).status_code == 404
    assert outsider_client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    assert outsider_client.post(log_url(account), activity_data(), **HTMX).status_code == 404


def test_a_reader_sees_the_timeline_but_no_log_button_and_may_not_post(reader_client, account):
    log(account, subject="Sichtbar")
    html = reader_client.get(panel_url(account), **HTMX).content.decode()
    assert entry_titles(html) == ["Sichtbar"]
    assert log_url(account) not in html
    assert reader_client.post(log_url(account), activity_data(), **HTMX).status_code == 403


def test_group_timeline_includes_subsidiaries_and_names_them(kam, kam_client, account):
    subsidiary = make_account(owner=kam, parent=account, name="Werk Ulm GmbH")
    log(subsidiary, subject="Besuch in Ulm")
    html = kam_client.get(panel_url(account), **HTMX).content.decode()
    assert entry_titles(html) == ["Besuch in Ulm"]
    assert "(Werk Ulm GmbH)" in html
    # the subsidiary's own timeline does not show the group's activities
    log(account, subject="Nur Zentrale")
    assert "Nur Zentrale" not in kam_client.get(panel_url(subsidiary), **HTMX).content.decode()


def test_older_entries_load_from_the_sentinel(kam_client, account):
    for day in range(25):
        log(account, subject=f"Kontakt {day:02d}", days_ago=day + 1)
    html = kam_client.get(panel_url(account), **HTMX).content.decode()
    titles = entry_titles(html)
    assert len(titles) == 20 and titles[0] == "Kontakt 00"
    more = re.search(r'hx-get="([^"]+)" hx-trigger="revealed"', html).group(1)
    older = kam_client.get(more.replace("&amp;", "&"), **HTMX).content.decode()
    assert entry_titles(older) == [f"Kontakt {day:02d}" for day in range(20, 25)]
    assert 'hx-trigger="revealed"' not in older  # nothing further to load


def test_bad_before_parameter_is_a_400(kam_client, account):
    assert kam_client.get(panel_url(account) + "?before=gestern", **HTMX).status_code == 400


@pytest.mark.parametrize("rows", [3, 15])
def test_timeline_query_count_is_constant(
    monkeypatch, kam, kam_client, account, django_assert_max_num_queries, rows
):
    contact = make_contact(account=account)
    for day in range(rows):
        log(
            account, days_ago=day + 1, contacts=[contact], next_step="Nachfassen",
            next_step_owner=kam, next_step_due_on=timezone.localdate(),
        )  # fmt: skip
    for item in FollowUp.objects.all()[: rows // 2]:
        services.follow_up_complete(actor=kam, follow_up=item)
    # This app's share; the other apps' sources pin their own counts.
    only_activities = {"activities": registry.timeline_sources.get("activities")}
    monkeypatch.setattr(registry.timeline_sources, "_entries", only_activities)
    # Two of them read the open follow-ups above the timeline (scope, rows).
    with django_assert_max_num_queries(11):
        response = kam_client.get(panel_url(account), **HTMX)
    assert len(entry_titles(response.content.decode())) == min(20, rows + rows // 2)


def test_whole_timeline_takes_the_same_queries_for_few_and_many_entries(kam_client, account):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for batch in (3, 15):
        for day in range(batch):
            log(account, days_ago=day + 1)
        with CaptureQueriesContext(connection) as queries:
            assert kam_client.get(panel_url(account), **HTMX).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the Log activity dialog -----------------------------------------------------------


def test_dialog_opens_as_a_modal_with_the_account_preset_and_no_checkbox_wall(
    kam_client, account, contact
):
    response = kam_client.get(log_url(account), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<dialog id="modal-dialog" class="modal" data-modal')
    assert f'<input type="hidden" name="account" value="{account.pk}">' in html
    assert 'type="checkbox"' not in html  # participants are picked by type-ahead
    assert "Jana Krüger" not in html  # ...so none is listed before it is asked for
    assert f'hx-post="{log_url(account)}" hx-target="this"' in html


def test_logging_closes_the_dialog_and_tells_the_page_what_changed(
    kam, kam_client, account, contact
):
    log(account, subject="Früher", days_ago=10)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = activity_data(
        account=account.pk, contacts=[contact.pk], users=[kam.pk], next_step="Angebot schicken",
        next_step_owner=kam.username, next_step_due_on=due,
    )  # fmt: skip
    response = kam_client.post(log_url(account), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#modal-dialog"
    assert response["HX-Reswap"] == "delete"
    events = json.loads(response["HX-Trigger"])
    assert {"kam:activities-changed", "kam:work-changed", "kam:account-changed"} <= set(events)
    assert "kam:toasts" in events
    activity = Activity.objects.get(subject="Werksbesuch Halle 3")
    assert list(activity.contacts.all()) == [contact]
    assert FollowUp.objects.get().title == "Angebot schicken"
    # The timeline reloads itself: the new entry is on top.
    html = kam_client.get(panel_url(account) + "?part=timeline", **HTMX).content.decode()
    assert entry_titles(html)[:2] == ["Werksbesuch Halle 3", "Früher"]


def test_next_step_without_due_date_shows_the_error_in_the_dialog(
    kam, kam_client, account, contact
):
    data = activity_data(
        account=account.pk, contacts=[contact.pk], next_step="Angebot schicken",
        next_step_owner=kam.username,
    )  # fmt: skip
    response = kam_client.post(log_url(account), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="activity-form"')  # swapped into the dialog
    assert 'id="id_next_step_due_on"' in html
    assert html.count('class="field-error"') == 1  # the due date's
    assert 'value="Angebot schicken"' in html  # what was typed stays
    assert f'name="contacts" value="{contact.pk}"' in html  # and who was picked
    assert "Jana Krüger" in html
    assert not Activity.objects.exists() and not FollowUp.objects.exists()


def test_a_contact_of_another_account_cannot_be_posted(kam_client, account, foreign_contact):
    data = activity_data(account=account.pk, contacts=[foreign_contact.pk])
    response = kam_client.post(log_url(account), data, **HTMX)
    assert response.status_code == 422
    assert "Otto Fremd" not in response.content.decode()  # not even named back
    assert not Activity.objects.exists()


def test_log_page_without_htmx_redirects_to_the_timeline_tab(kam_client, account):
    page = kam_client.get(log_url(account))
    assert page.status_code == 200 and "<dialog" not in page.content.decode()
    response = kam_client.post(log_url(account), activity_data(account=account.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/?tab=timeline"
    assert Activity.objects.count() == 1


# --- activity page and list ------------------------------------------------------------


def test_activity_page_shows_participants_outcome_and_next_step(kam, kam_client, account, contact):
    activity = log(
        account, subject="Jahresgespräch", contacts=[contact], users=[kam], outcome="Einig",
        next_step="Protokoll", next_step_owner=kam, next_step_due_on=timezone.localdate(),
    )  # fmt: skip
    html = kam_client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    for text in ("Jahresgespräch", "Jana Krüger", str(kam), "Einig", "Protokoll"):
        assert text in html


def test_activity_list_filters_by_kind_account_and_participant(kam, kam_client, account, other_kam):
    second = make_account(owner=kam, name="Zweitkunde AG")
    log(account, kind="call", subject="Anruf A")
    log(account, kind="visit", subject="Besuch A", users=[other_kam])
    log(second, kind="visit", subject="Besuch B")
    url = reverse("activities:list")

    def subjects(query: str) -> set[str]:
        html = kam_client.get(f"{url}?{query}").content.decode()
        return set(re.findall(r'<a href="/activities/\d+/">([^<]+)</a>', html))

    assert subjects("") == {"Anruf A", "Besuch A", "Besuch B"}
    assert subjects("kind=visit") == {"Besuch A", "Besuch B"}
    assert subjects(f"account={account.pk}") == {"Anruf A", "Besuch A"}
    assert subjects(f"participant={other_kam.pk}") == {"Besuch A"}
    today = timezone.localdate()
    assert subjects(f"date_from={today + timedelta(days=1)}") == set()
    assert subjects(f"date_from={today - timedelta(days=5)}&date_to={today}") == {
        "Anruf A", "Besuch A", "Besuch B",
    }  # fmt: skip


def test_activity_list_shows_only_the_users_scope(kam_client, other_account, account):
    log(account, subject="Meins")
    log(other_account, subject="Fremd")
    html = kam_client.get(reverse("activities:list")).content.decode()
    assert "Meins" in html and "Fremd" not in html


def test_activity_list_htmx_returns_the_results_partial(kam_client, account):
    log(account, subject="Meins")
    html = kam_client.get(reverse("activities:list") + "?ordering=subject", **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="results"')


def test_activity_list_says_more_than_when_the_count_is_bounded(kam_client, account, settings):
    # Counting stops at the bound (or one page past the requested one): page 1 of 60 rows
    # with a bound of 30 counts 51 rows, page 2 counts them all.
    settings.LIST_COUNT_BOUND = 30
    for day in range(60):
        log(account, days_ago=day + 1, subject=f"Anruf {day}")
    first = kam_client.get(reverse("activities:list")).content.decode()
    assert "Mehr als 50 Aktivitäten" in first
    assert "Seite 1 von mehr als 2" in first
    assert "Anruf 0" in first and "Anruf 25" not in first
    second = kam_client.get(reverse("activities:list") + "?page=2").content.decode()
    assert "60 Aktivitäten" in second and "Mehr als" not in second
    assert "Seite 2 von 3" in second and 'rel="next"' in second
    third = kam_client.get(reverse("activities:list") + "?page=3").content.decode()
    assert "Anruf 59" in third and 'rel="next"' not in third
    # Nonsense page numbers show page 1 (with the way on) or the last page counted.
    for page in ("0", "-3", "x"):
        html = kam_client.get(reverse("activities:list") + f"?page={page}").content.decode()
        assert "Seite 1 von mehr als 2" in html and "Anruf 0" in html, page
    huge = kam_client.get(reverse("activities:list") + "?page=10000000000000000000")
    assert huge.status_code == 200 and "Anruf 59" in huge.content.decode()


def test_a_bound_between_whole_pages_counts_up_to_the_next_whole_page(
    kam_client, account, settings
):
    # 130 is 5.2 pages of 25: 140 rows are 6 pages exactly, not "more than 6".
    settings.LIST_COUNT_BOUND = 130
    for day in range(140):
        log(account, days_ago=day / 10 + 1, subject=f"Anruf {day}")
    html = kam_client.get(reverse("activities:list")).content.decode()
    assert "140 Aktivitäten" in html and "Seite 1 von 6" in html and "Mehr als" not in html


@pytest.mark.parametrize("rows", [3, 15])
def test_activity_list_query_count_is_constant(
    kam, kam_client, account, django_assert_max_num_queries, rows
):
    contact = make_contact(account=account)
    for day in range(rows):
        log(account, days_ago=day + 1, contacts=[contact], users=[kam])
    with django_assert_max_num_queries(9):
        response = kam_client.get(reverse("activities:list"))
    assert response.content.decode().count('<a href="/activities/') >= rows


# --- My work ---------------------------------------------------------------------------


def test_my_work_lists_open_follow_ups_overdue_first_and_done_ones(kam, kam_client, account):
    later = follow_up(account, title="Später", days=10)
    overdue = follow_up(account, title="Überfällig", days=-3)
    closed = follow_up(account, title="Erledigt")
    services.follow_up_complete(actor=kam, follow_up=closed)
    html = kam_client.get(reverse("activities:my_work")).content.decode()
    open_part = html[
        html.index('data-testid="open-follow-ups"') : html.index('data-testid="done-follow-ups"')
    ]
    assert open_part.index("Überfällig") < open_part.index("Später")
    assert open_part.count("badge-bad") == 1  # "overdue", on one row
    done_part = html[html.index('data-testid="done-follow-ups"') :]
    assert "Erledigt" in done_part and str(kam) in done_part
    assert later.pk and overdue.pk


def test_my_work_shows_only_my_own_follow_ups(kam_client, account, reader):
    follow_up(account, title="Für den Vertrieb", owner=reader)
    html = kam_client.get(reverse("activities:my_work")).content.decode()
    assert "Für den Vertrieb" not in html


def test_done_button_moves_the_follow_up_to_done_in_place(kam, kam_client, account):
    item = follow_up(account, title="Angebot nachfassen")
    url = reverse("activities:follow_up_done", args=[item.pk])
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="follow-ups">')
    done_part = html[html.index('data-testid="done-follow-ups"') :]
    assert "Angebot nachfassen" in done_part
    item.refresh_from_db()
    assert item.done_by == kam and item.done_at is not None
    # and back
    kam_client.post(reverse("activities:follow_up_reopen", args=[item.pk]), **HTMX)
    item.refresh_from_db()
    assert item.done_at is None


def test_done_without_htmx_redirects_back(kam_client, account):
    item = follow_up(account)
    response = kam_client.post(reverse("activities:follow_up_done", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("activities:my_work")


def test_outsider_cannot_close_a_follow_up(outsider_client, account):
    item = follow_up(account)
    url = reverse("activities:follow_up_done", args=[item.pk])
    assert outsider_client.post(url, **HTMX).status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_my_work_lists_silent_key_account_contacts(kam, kam_client, account, contact):
    account_services.account_update(actor=kam, account=account, status="key_account")
    log(account, contacts=[contact], days_ago=200)
    html = kam_client.get(reverse("activities:my_work")).content.decode()
    stale = html[html.index('data-testid="stale-contacts"') :]
    assert "Jana Krüger" in stale
    log(account, contacts=[contact], days_ago=3)
    html = kam_client.get(reverse("activities:my_work")).content.decode()
    assert "Jana Krüger" not in html[html.index('data-testid="stale-contacts"') :]


@pytest.mark.parametrize("rows", [3, 15])
def test_my_work_query_count_is_constant(kam, kam_client, account, django_assert_num_queries, rows):
    account_services.account_update(actor=kam, account=account, status="key_account")
    for index in range(rows):
        contact = make_contact(account=account)
        activity = log(
            account, days_ago=100 + index, contacts=[contact], next_step=f"Schritt {index}",
            next_step_owner=kam, next_step_due_on=timezone.localdate(),
        )  # fmt: skip
        if index % 2:
            services.follow_up_complete(actor=kam, follow_up=activity.follow_ups.get())
    # 2 for the deal follow-ups (scope, list); 1 for the reviews to prepare (reviews owns
    # that block; the user's own accounts need no scope query).
    with django_assert_num_queries(13):
        response = kam_client.get(reverse("activities:my_work"))
    assert response.content.decode().count("Schritt ") == rows


# --- Last contact on the account list and the relationship map ---------------------------


def test_account_list_shows_and_sorts_by_the_last_contact(kam, kam_client, account, contact):
    quiet = make_account(owner=kam, name="Stille GmbH")
    make_account(owner=kam, name="Nie Kontakt AG")
    log(quiet, days_ago=300)
    recent = log(account, contacts=[contact], days_ago=2)
    html = kam_client.get(reverse("accounts:list"), {"ordering": "last_contact"}).text
    rows = re.findall(r'<a href="/accounts/\d+/">([^<]+)</a>', html)
    assert rows.index("Stille GmbH") < rows.index(account.name)  # longest silence first
    assert f"{timezone.localtime(recent.occurred_at):%d.%m.%Y}" in html


@pytest.mark.parametrize("rows", [3, 12])
def test_relationship_map_shows_each_contacts_last_contact(
    kam_client, account, django_assert_num_queries, rows
):
    contacts = [make_contact(account=account, last_name=f"Kontakt {n:02d}") for n in range(rows)]
    for number, contact in enumerate(contacts[1:]):
        log(account, contacts=[contact], days_ago=number + 3)
    with django_assert_num_queries(8):  # with the group's accounts for the role checks
        html = kam_client.get(reverse("accounts:tab", args=[account.pk, "map"]), **HTMX).text
    seen = timezone.localtime(timezone.now() - timedelta(days=3))
    assert f"Letzter Kontakt: {seen:%d.%m.%Y}" in html
    assert html.count("Letzter Kontakt: nie") == 1
