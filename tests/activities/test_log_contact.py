"""Logging and follow-up with few clicks: the "Log contact" dialog and its type-ahead
pickers, editing and deleting activities (pages and API, same rules), follow-ups created,
rescheduled and reassigned in place, and the events and counts that keep the page
current."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from activities import services
from activities.models import Activity, FollowUp
from tests.activities.conftest import follow_up, log
from tests.activities.test_api import api_as
from tests.conftest import client_for
from tests.factories import UserFactory, make_account, make_contact

HTMX = {"HTTP_HX_REQUEST": "true"}
LOG = reverse("activities:log_contact")


def now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def visit(account, **overrides) -> dict:
    return {
        "account": account.pk,
        "kind": "visit",
        "occurred_at": now_local(),
        "subject": "Werksbesuch",
        "notes": "Halle 3 besichtigt",
    } | overrides


def events(response) -> set[str]:
    return set(json.loads(response["HX-Trigger"]))


@pytest.fixture
def author(kam, account, sales_rep):
    """A team member who logged an activity while they could edit, and now only reads."""
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=True
    )
    log(account, actor=sales_rep, subject="Vom Vertrieb")
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


@pytest.fixture
def reader2(kam, account):
    """Another reader of the account, who wrote nothing."""
    user = UserFactory(username="leser2")
    account_services.team_member_set(
        actor=kam, account=account, user=user, role="sales_rep", can_edit=False
    )
    return user


# --- the dialog --------------------------------------------------------------------------


def test_header_button_presets_the_account_of_the_page_only_when_the_user_may_log_on_it(
    kam_client, account, other_account
):
    html = kam_client.get(f"{LOG}?account={account.pk}", **HTMX).content.decode()
    assert f'name="account" value="{account.pk}"' in html
    # Another's account (or garbage) is ignored: no name, no preset, no error.
    for raw in (str(other_account.pk), "x"):
        html = kam_client.get(f"{LOG}?account={raw}", **HTMX).content.decode()
        assert 'name="account" value=' not in html
        assert other_account.name not in html


def test_account_page_has_the_log_contact_button_and_its_facts_reload_on_change(
    kam_client, account, reader_client
):
    html = kam_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert f'hx-get="{reverse("activities:log", args=[account.pk])}"' in html
    assert 'hx-trigger="kam:account-changed from:body"' in html
    assert 'data-testid="log-contact"' in html  # the header's button
    page = reader_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert 'data-testid="account-log-contact"' not in page


def test_logging_from_the_header_without_a_preset_account(kam, kam_client, account, contact):
    data = visit(account, contacts=[contact.pk], users=[kam.pk])
    response = kam_client.post(LOG, data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "delete"
    assert {"kam:activities-changed", "kam:account-changed", "kam:work-changed"} <= events(response)
    activity = Activity.objects.get()
    assert (activity.account, activity.kind, activity.created_by) == (account, "visit", kam)
    assert list(activity.contacts.all()) == [contact]
    account.refresh_from_db()
    assert account.last_contacted_at == activity.occurred_at


def test_without_an_account_the_dialog_says_so_and_keeps_what_was_typed(kam_client, account):
    response = kam_client.post(LOG, visit(account) | {"account": ""}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Wählen Sie den Kunden." in html
    assert 'value="Werksbesuch"' in html and "Halle 3 besichtigt" in html
    assert not Activity.objects.exists()


def test_an_account_the_user_may_only_read_cannot_be_logged_on(reader_client, account):
    response = reader_client.post(LOG, visit(account), **HTMX)
    assert response.status_code == 422
    assert "Wählen Sie einen Kunden, den Sie ändern dürfen." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_bad_date_is_shown_in_the_dialog_with_the_picked_contact_kept(
    kam_client, account, contact
):
    data = visit(account, occurred_at="morgen früh", contacts=[contact.pk])
    response = kam_client.post(LOG, data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte ein gültiges Datum und Uhrzeit eingeben." in html
    assert f'name="contacts" value="{contact.pk}"' in html
    assert not Activity.objects.exists()


def test_outsider_gets_404_on_the_account_dialog(outsider_client, account):
    url = reverse("activities:log", args=[account.pk])
    assert outsider_client.get(url, **HTMX).status_code == 404
    assert outsider_client.post(url, visit(account), **HTMX).status_code == 404
    assert not Activity.objects.exists()


# --- type-ahead: only what the user may see ------------------------------------------------


def test_account_type_ahead_offers_only_accounts_the_user_may_log_on(
    kam, kam_client, account, other_account, reader_client
):
    url = reverse("activities:pick_accounts")
    html = kam_client.get(url, {"find-account": "GmbH"}, **HTMX).content.decode()
    assert other_account.name not in html  # "Fremdfirma GmbH"
    html = kam_client.get(url, {"find-account": "Müller"}, **HTMX).content.decode()
    assert f'data-value="{account.pk}"' in html and account.name in html
    # A reader of the account cannot log on it, so it is not offered.
    assert account.name not in reader_client.get(url, {"find-account": "Müller"}).content.decode()


def test_contact_type_ahead_offers_the_groups_visible_contacts_only(
    kam, other_kam, kam_client, contact
):
    # A group whose holding belongs to someone else: kam owns a subsidiary only.
    holding = make_account(owner=other_kam, name="Holding AG")
    subsidiary = make_account(owner=kam, actor=other_kam, name="Tochter GmbH", parent=holding)
    sister = make_account(owner=kam, actor=other_kam, name="Schwester GmbH", parent=holding)
    make_contact(account=holding, first_name="Hanna", last_name="Holding")
    make_contact(account=sister, first_name="Sina", last_name="Schwester")
    here = make_contact(account=subsidiary, first_name="Tom", last_name="Tochter")
    gone = make_contact(account=subsidiary, first_name="Gerd", last_name="Gegangen")
    account_services.contact_mark_left(actor=kam, contact=gone, left_on=timezone.localdate())
    url = reverse("activities:pick_contacts")
    html = kam_client.get(url, {"account": subsidiary.pk}, **HTMX).content.decode()
    assert "Tom Tochter" in html and "Sina Schwester" in html  # the group, within the scope
    assert "Hanna Holding" not in html  # the holding is not in kam's scope
    assert "Gerd Gegangen" not in html  # left the company
    assert contact.name not in html  # another group
    # Typed, and without those already chosen.
    html = kam_client.get(
        url, {"account": subsidiary.pk, "find-contacts": "Toc", "contacts": [here.pk]}
    ).content.decode()
    assert "Tom Tochter" not in html
    # Someone else's account: nothing, not even a name.
    html = kam_client.get(url, {"account": holding.pk, "find-contacts": "Hol"}).content.decode()
    assert "Hanna" not in html and "Wählen Sie zuerst den Kunden." in html


def test_user_type_ahead_leaves_out_inactive_and_chosen_users(kam, kam_client):
    UserFactory(username="weg", first_name="Wera", last_name="Weg", is_active=False)
    kept = UserFactory(username="da", first_name="Dana", last_name="Dabei")
    url = reverse("activities:pick_users")
    html = kam_client.get(url, {"find-users": "D"}, **HTMX).content.decode()
    assert "Dana Dabei" in html and "Wera Weg" not in html
    html = kam_client.get(url, {"find-users": "Dana", "users": [kept.pk]}).content.decode()
    assert "Dana Dabei" not in html


@pytest.mark.parametrize("rows", [3, 12])
def test_type_ahead_query_counts_are_constant(
    kam, kam_client, account, django_assert_num_queries, rows
):
    for n in range(rows):
        make_account(owner=kam, name=f"Müller Filiale {n}")
        make_contact(account=account, first_name="Maria", last_name=f"Müller{n}")
        UserFactory(first_name="Mia", last_name=f"Müller{n}")
    with django_assert_num_queries(4):  # session, user, scope paths, accounts
        kam_client.get(reverse("activities:pick_accounts"), {"find-account": "Müller"})
    with django_assert_num_queries(6):
        kam_client.get(
            reverse("activities:pick_contacts"), {"account": account.pk, "find-contacts": "Mü"}
        )
    with django_assert_num_queries(3):
        kam_client.get(reverse("activities:pick_users"), {"find-users": "Mü"})


# --- edit and delete: author or account editor ------------------------------------------


def edit_url(activity) -> str:
    return reverse("activities:edit", args=[activity.pk])


def delete_url(activity) -> str:
    return reverse("activities:delete", args=[activity.pk])


def test_the_author_may_edit_and_delete_even_as_a_reader_now(author, account):
    activity = Activity.objects.get()
    client = client_for(author)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert edit_url(activity) in page and delete_url(activity) in page
    data = {"kind": "call", "occurred_at": now_local(), "subject": "Korrigiert", "users": []}
    response = client.post(edit_url(activity), data, **HTMX)
    assert response.status_code == 200 and "kam:activities-changed" in events(response)
    activity.refresh_from_db()
    assert (activity.subject, activity.kind) == ("Korrigiert", "call")
    response = client.post(delete_url(activity), **HTMX)
    assert response["HX-Redirect"] == f"/accounts/{account.pk}/?tab=timeline"
    assert not Activity.objects.exists()


def test_an_account_editor_may_edit_and_delete_someone_elses_activity(
    author, kam_client, account, contact
):
    activity = Activity.objects.get()
    data = {"kind": "visit", "occurred_at": now_local(), "subject": "Neu", "contacts": [contact.pk]}
    assert kam_client.post(edit_url(activity), data, **HTMX).status_code == 200
    assert list(Activity.objects.get().contacts.all()) == [contact]
    assert kam_client.post(delete_url(activity)).status_code == 302
    assert not Activity.objects.exists()


def test_a_reader_who_is_not_the_author_gets_403_and_nothing_changes(author, reader2, account):
    activity = Activity.objects.get()
    client = client_for(reader2)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert edit_url(activity) not in page and delete_url(activity) not in page
    assert client.get(edit_url(activity), **HTMX).status_code == 403
    data = {"kind": "call", "occurred_at": now_local(), "subject": "Fremd geändert"}
    assert client.post(edit_url(activity), data, **HTMX).status_code == 403
    assert client.post(delete_url(activity), **HTMX).status_code == 403
    assert Activity.objects.get().subject == "Vom Vertrieb"


def test_outsider_gets_404_on_edit_and_delete(author, outsider_client):
    activity = Activity.objects.get()
    for url in (edit_url(activity), delete_url(activity)):
        assert outsider_client.get(url, **HTMX).status_code == 404
        assert outsider_client.post(url, {"subject": "x"}, **HTMX).status_code == 404
    assert Activity.objects.get().subject == "Vom Vertrieb"


def test_the_api_follows_the_same_rules(author, reader2, kam, outsider, account):
    activity = Activity.objects.get()
    url = reverse("api-activity-detail", args=[activity.pk])
    assert api_as(outsider).patch(url, {"subject": "x"}).status_code == 404
    assert api_as(outsider).delete(url).status_code == 404
    assert api_as(reader2).patch(url, {"subject": "x"}).status_code == 403
    assert api_as(reader2).delete(url).status_code == 403
    assert Activity.objects.get().subject == "Vom Vertrieb"
    assert api_as(author).patch(url, {"subject": "Vom Autor"}).status_code == 200
    assert Activity.objects.get().subject == "Vom Autor"
    assert api_as(kam).delete(url).status_code == 204
    assert not Activity.objects.exists()


def test_deleting_keeps_the_history_and_the_follow_up_and_recomputes_last_contact(
    kam, kam_client, account, contact
):
    older = log(account, contacts=[contact], days_ago=20, subject="Älter")
    newer = log(
        account, contacts=[contact], days_ago=2, subject="Neuer", next_step="Angebot",
        next_step_owner=kam, next_step_due_on=timezone.localdate(),
    )  # fmt: skip
    kam_client.post(delete_url(newer))
    contact.refresh_from_db()
    account.refresh_from_db()
    assert contact.last_contacted_at == older.occurred_at
    assert account.last_contacted_at == older.occurred_at
    deleted = Activity.history.filter(id=newer.pk, history_type="-").get()
    assert (deleted.subject, deleted.history_user) == ("Neuer", kam)
    item = FollowUp.objects.get()
    assert item.title == "Angebot" and item.activity is None and item.done_at is None


def test_edit_dialog_never_names_participants_outside_the_scope_and_keeps_them(
    kam, other_kam, kam_client
):
    holding = make_account(owner=other_kam, name="Holding AG")
    subsidiary = make_account(owner=kam, actor=other_kam, name="Tochter GmbH", parent=holding)
    hidden = make_contact(account=holding, first_name="Hanna", last_name="Holding")
    shown = make_contact(account=subsidiary, first_name="Tom", last_name="Tochter")
    activity = services.activity_log(
        actor=other_kam, account=subsidiary, occurred_at=timezone.now(), subject="Runde",
        contacts=[hidden, shown],
    )  # fmt: skip
    html = kam_client.get(edit_url(activity), **HTMX).content.decode()
    assert "Tom Tochter" in html and "Hanna" not in html
    data = {"kind": "meeting", "occurred_at": now_local(), "subject": "Runde", "contacts": []}
    assert kam_client.post(edit_url(activity), data, **HTMX).status_code == 200
    assert list(activity.contacts.all()) == [hidden]  # removed what kam saw, kept the rest


def test_activity_page_shows_its_history_with_the_correction(kam, kam_client, account):
    activity = log(account, subject="Erst")
    data = {"kind": "call", "occurred_at": now_local(), "subject": "Dann"}
    kam_client.post(edit_url(activity), data, **HTMX)
    html = kam_client.get(reverse("activities:detail", args=[activity.pk]), **HTMX).content
    html = html.decode()
    assert html.lstrip().startswith('<div id="activity-content">')  # the partial for htmx
    assert "<del>Erst</del> → <ins>Dann</ins>" in html


# --- follow-ups on their own, rescheduled and reassigned in place --------------------------


def test_a_follow_up_on_its_own_from_my_work(kam, kam_client, account):
    url = reverse("activities:follow_up_create")
    html = kam_client.get(url, **HTMX).content.decode()
    assert 'name="account" value=' not in html  # My work has no account to preset
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = {"account": account.pk, "title": "Preisliste schicken", "owner": kam.username}
    response = kam_client.post(url, data | {"due_on": due}, **HTMX)
    assert response.status_code == 200
    assert {"kam:follow-ups-changed", "kam:work-changed"} <= events(response)
    item = FollowUp.objects.get()
    assert (item.title, item.owner, item.activity, item.created_by) == (
        "Preisliste schicken", kam, None, kam,
    )  # fmt: skip


def test_a_follow_up_for_someone_who_cannot_see_the_account_is_refused(
    kam_client, account, outsider
):
    url = reverse("activities:follow_up_create")
    data = {"account": account.pk, "title": "X", "owner": outsider.username}
    response = kam_client.post(url, data | {"due_on": timezone.localdate().isoformat()}, **HTMX)
    assert response.status_code == 422
    assert "aktiver Benutzer" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_reschedule_in_place_on_my_work(kam, kam_client, account):
    item = follow_up(account, days=1)
    later = timezone.localdate() + timedelta(days=10)
    data = {"due_on": later.isoformat(), "owner": kam.username, "list": "my_work"}
    response = kam_client.post(reverse("activities:follow_up_plan", args=[item.pk]), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="follow-ups">')
    assert {"kam:work-changed", "kam:account-changed"} <= events(response)
    item.refresh_from_db()
    assert item.due_on == later


def test_reassign_in_place_on_the_account_page(kam, kam_client, account, reader):
    item = follow_up(account)
    data = {"due_on": item.due_on.isoformat(), "owner": reader.username}
    data["list"] = f"account:{account.pk}"
    response = kam_client.post(reverse("activities:follow_up_plan", args=[item.pk]), data, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="account-follow-ups"')
    assert str(reader) in html
    item.refresh_from_db()
    assert item.owner == reader


def test_bad_reschedule_shows_the_error_in_the_row_and_changes_nothing(kam, kam_client, account):
    item = follow_up(account)
    url = reverse("activities:follow_up_plan", args=[item.pk])
    response = kam_client.post(url, {"due_on": "bald", "owner": "niemand"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte ein gültiges Datum eingeben." in html
    assert "Kein aktiver Benutzer mit diesem Namen." in html
    assert '<details class="plan" open>' in html
    fresh = FollowUp.objects.get()
    assert (fresh.due_on, fresh.owner) == (item.due_on, item.owner)


def test_a_reader_may_reschedule_their_own_follow_up_but_not_anothers(kam, account, reader):
    mine = follow_up(account, owner=reader, title="Meins")
    theirs = follow_up(account, title="Fremd")
    client = client_for(reader)
    later = (timezone.localdate() + timedelta(days=9)).isoformat()
    for item, status in ((mine, 200), (theirs, 403)):
        data = {"due_on": later, "owner": item.owner.username}
        url = reverse("activities:follow_up_plan", args=[item.pk])
        assert client.post(url, data, **HTMX).status_code == status
    assert FollowUp.objects.get(pk=theirs.pk).due_on == theirs.due_on


# --- counts that update ------------------------------------------------------------------


def test_header_count_and_account_facts_show_due_follow_ups(kam, kam_client, account):
    follow_up(account, days=-2)  # overdue
    follow_up(account, days=0)  # today
    follow_up(account, days=5)  # later
    html = kam_client.get(reverse("activities:work_count"), **HTMX).content.decode()
    assert 'data-testid="work-count"' in html and ">2</a>" in html
    facts = kam_client.get(reverse("accounts:facts", args=[account.pk]), **HTMX)
    html = facts.content.decode()
    assert html.lstrip().startswith('<dl class="key-facts" id="account-facts"')
    assert "Offene Wiedervorlagen" in html and "1 überfällig" in html


def test_account_facts_need_htmx_and_the_scope(kam_client, outsider_client, account):
    url = reverse("accounts:facts", args=[account.pk])
    assert kam_client.get(url).status_code == 302
    assert outsider_client.get(url, **HTMX).status_code == 404


@pytest.mark.parametrize("rows", [3, 12])
def test_counts_and_follow_up_lists_take_constant_queries(
    kam, kam_client, account, django_assert_num_queries, rows
):
    for n in range(rows):
        follow_up(account, days=n - 1, title=f"Punkt {n}")
    with django_assert_num_queries(4):  # session, user, scope, count
        kam_client.get(reverse("activities:work_count"), **HTMX)
    with django_assert_num_queries(9):  # also the account (scope), its group and may-edit
        response = kam_client.get(
            reverse("activities:account_follow_ups", args=[account.pk]), **HTMX
        )
    assert response.content.decode().count('data-testid="save-plan"') == rows
    with django_assert_num_queries(4):  # session, user, scope, the lists in one read
        response = kam_client.get(reverse("activities:my_work"), **HTMX)
    assert response.content.decode().count('data-testid="save-plan"') == rows


def test_account_history_tab_keeps_a_deleted_activity_and_reloads_on_change(
    kam, kam_client, account
):
    activity = log(
        account, subject="Besuch Werk 2", next_step="Angebot", next_step_owner=kam,
        next_step_due_on=timezone.localdate(),
    )  # fmt: skip
    kam_client.post(delete_url(activity))
    url = reverse("accounts:tab", args=[account.pk, "history"])
    html = kam_client.get(url, **HTMX).content.decode()
    assert 'hx-trigger="kam:account-changed from:body"' in html
    assert "Aktivität: Besuch Werk 2: gelöscht" in html
    assert "Wiedervorlage: Angebot: angelegt" in html  # the follow-up stays
