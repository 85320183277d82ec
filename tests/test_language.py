"""Each page speaks one language: the user's. Sort menus and their descending options
follow the language of the request (not the one active when the filter sets were
imported), select boxes offer a translated empty choice, and dates in history lists are
formatted for the language and the time zone."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.filters import AccountFilter
from kam import registry
from kam.history import Source, changes
from planning.account_plan import services as plan_services
from tests.conftest import client_for
from tests.deals.conftest import ensure_default_stages
from tests.factories import make_contact

HTMX = {"HTTP_HX_REQUEST": "true"}
LISTS = [
    "accounts:list",
    "accounts:contacts",
    "activities:list",
    "deals:list",
    "contracts:list",
    "customer_care:issues",
]


def options(html: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", html)


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return client_for(user)


@pytest.mark.parametrize("url_name", LISTS)
def test_sort_menus_follow_the_language_of_each_request(kam, account, url_name):
    """German first, then English, in one process: the labels built at import must not
    stick to the first language."""
    german = speaking(kam, "de").get(reverse(url_name)).text
    english = speaking(kam, "en").get(reverse(url_name)).text
    german_again = speaking(kam, "de").get(reverse(url_name)).text
    assert "(descending)" in " ".join(options(english))
    assert "(absteigend)" not in english
    for page in (german, german_again):
        assert "(absteigend)" in " ".join(options(page))
        assert "(descending)" not in page


def test_sort_labels_are_written_for_people(kam, account):
    labels = options(speaking(kam, "de").get(reverse("deals:list")).text)
    assert "Voraussichtlicher Abschluss" in labels
    assert "Nächste Wiedervorlage" in labels
    assert "Zuletzt geändert" in labels
    for raw in ("Updated", "Follow up", "Close", "Schließen"):
        assert raw not in labels


def test_sort_labels_stay_lazy_until_a_page_renders_them():
    """The root of "(absteigend)" on English pages: labels evaluated at import time."""
    choices = AccountFilter.base_filters["ordering"].extra["choices"]
    assert all(not isinstance(label, str) for _value, label in choices)


@pytest.mark.parametrize("url_name", LISTS)
def test_english_list_pages_have_english_headers(kam, account, url_name):
    page = speaking(kam, "en").get(reverse(url_name)).text
    headers = " ".join(re.findall(r"<th[^>]*>(.*?)</th>", page, re.DOTALL))
    for german in ("Kunde", "Titel", "Datum", "Letzter Kontakt", "Fällig", "Betreff", "Stufe"):
        assert german not in headers, (url_name, german)


def _form_pages(account, contact) -> list[str]:
    """Pages and panels with select boxes: forms of every app and every account tab."""
    pk = account.pk
    urls = [
        reverse("accounts:create"),
        reverse("accounts:edit", args=[pk]),
        reverse("accounts:contact_create", args=[pk]),
        reverse("accounts:contact_edit", args=[contact.pk]),
        reverse("activities:log", args=[pk]),
        reverse("deals:create") + f"?account={pk}",
        reverse("deals:pipeline"),
        reverse("contracts:create") + f"?account={pk}",
        reverse("customer_care:issue_create") + f"?account={pk}",
        reverse("reviews:create") + f"?account={pk}",
        reverse("planning:plans"),
        *[reverse(url_name) for url_name in LISTS],
    ]
    urls += [reverse("accounts:tab", args=[pk, tab]) for tab in ("team", "figures")]
    urls += [reverse(tab.url_name, args=[pk]) for tab in registry.account_tabs]
    return urls


@pytest.mark.parametrize(("language", "empty"), [("de", "– bitte wählen –"), ("en", "– choose –")])
def test_no_select_box_shows_an_untranslated_empty_choice(kam, account, language, empty):
    ensure_default_stages()
    contact = make_contact(account=account, first_name="Jana", last_name="Krüger")
    plan_services.plan_create(actor=kam, account=account, year=2026, strengths="Service")
    client = speaking(kam, language)
    seen = []
    for url in _form_pages(account, contact):
        response = client.get(url, **HTMX)
        assert response.status_code in (200, 302), (url, response.status_code)
        html = response.text
        assert "---------" not in html, url
        assert "Select an option" not in html, url
        assert "Unknown" not in options(html) and "Unbekannt" not in options(html), url
        seen += options(html)
    assert empty in seen


def test_account_form_offers_the_translated_empty_choice(kam, account):
    html = speaking(kam, "de").get(reverse("accounts:create")).text
    parent = re.search(r'<select name="parent".*?</select>', html, re.DOTALL).group(0)
    assert options(parent)[0] == "– bitte wählen –"


# --- history -------------------------------------------------------------------------------


def test_history_dates_follow_the_language_and_time_zone(kam, account, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    plan = plan_services.plan_create(actor=kam, account=account, year=2025, strengths="A")
    reviewed = datetime(2025, 3, 4, 14, 21, 57, 298062, tzinfo=ZoneInfo("UTC"))
    plan_services.plan_mark_reviewed(actor=kam, plan=plan, at=reviewed)
    url = reverse("planning:account_plan_detail", args=[plan.pk])
    german = speaking(kam, "de").get(url).text
    english = speaking(kam, "en").get(url).text
    for page in (german, english):
        assert "+00:00" not in page and "2025-03-04 14:21" not in page
    assert "04.03.2025 15:21" in german
    assert "03/04/2025 3:21 p.m." in english


def test_long_texts_in_history_are_shown_in_full_with_the_changed_words_marked(
    kam, kam_client, account
):
    start = "Marktführer bei Antrieben in Süddeutschland, " * 3
    account_services.profile_section_update(
        actor=kam, account=account, kind="strategy", text=start + "wächst mit Sensorik."
    )
    account_services.profile_section_update(
        actor=kam, account=account, kind="strategy", text=start + "wächst mit Software."
    )
    page = kam_client.get(reverse("accounts:tab", args=[account.pk, "history"]), **HTMX).text
    assert "…" not in page
    diff = re.search(r'<span class="text-diff">(.*?)</span>', page, re.DOTALL)
    assert diff, "no diff of the long text"
    assert "<del>Sensorik.</del><ins>Software.</ins>" in diff.group(1)
    assert diff.group(1).startswith("Marktführer bei Antrieben")


def test_short_values_keep_old_and_new_side_by_side(kam, account):
    account_services.account_update(actor=kam, account=account, city="Ulm")
    from django.template.loader import render_to_string

    history = changes([Source(type(account), account.history.all())])
    html = render_to_string("kam/history.html", {"history": history})
    assert "<del>Stuttgart</del> → <ins>Ulm</ins>" in html


def test_figures_history_shows_amounts_not_cut(kam, account):
    account_services.figures_put(actor=kam, account=account, year=2025, revenue=Decimal("1"))
    account_services.figures_put(actor=kam, account=account, year=2025, revenue=Decimal("2"))
    page = client_for(kam).get(reverse("accounts:tab", args=[account.pk, "history"]), **HTMX)
    assert "<del>1,00</del> → <ins>2,00</ins>" in page.text
