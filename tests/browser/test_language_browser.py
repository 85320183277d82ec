"""One language per page, in Chromium: the main pages of an English-speaking user show no
known German label, those of a German-speaking user no known English one; the sign-in
page follows the browser and has its own switch; an in-place htmx update raises no
Content Security Policy error (htmx's inline indicator style is off, app.css styles it)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import services as account_services
from activities import services as activity_services
from contracts import services as contract_services
from customer_care import services as care_services
from customer_care.models import Department, ensure_default_departments
from planning.account_plan import services as plan_services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import PASSWORD, make_account, make_contact

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/accounts/",
    "/accounts/{account}/",
    "/accounts/{account}/?tab=figures",
    "/accounts/{account}/?tab=history",
    "/accounts/contacts/",
    "/activities/",
    "/activities/my-work/",
    "/deals/",
    "/deals/list/",
    "/contracts/",
    "/care/issues/",
    "/planning/",
    "/reviews/",
    "/portfolio/",
]

# Labels that appeared on English pages before (German sort menus and table headers).
GERMAN = [
    "Kunde", "Kontakte", "Aktivitäten", "Verkaufschance", "Verträge", "Kündigungstermin",
    "Wiedervorlage", "Fällig", "absteigend", "Zuletzt geändert", "Letzter Kontakt", "Umsatz",
    "bitte wählen", "Speichern", "Schließen", "Abschluss", "Betreff", "Datum", "Titel",
    "Jahr", "Abmelden", "Erledigt", "Kennzahlen", "Verlauf", "alle",
]  # fmt: skip
# Labels that appeared on German pages before (django-filter's and Django's defaults).
ENGLISH = [
    "Updated", "Follow up", "descending", "Select an option", "choose", "Unknown", "Save",
    "Close", "Sign out", "Accounts", "Contacts", "Activities", "Due", "Owner",
    "Last contact", "Do's and", "Detractor", "History", "Figures", "Year", "Title",
]  # fmt: skip

TEXTS = """() => [document.body.innerText,
    ...[...document.querySelectorAll('option')].map(o => o.textContent)].join('\\n')"""


@pytest.fixture
def desk(kam):
    """An account with something on every main page, in neutral words (names of people
    and places), so that only the interface's own labels can fail the test."""
    ensure_default_stages()
    ensure_default_departments()
    account = make_account(owner=kam, name="Brenner AG", city="Ulm", status="key_account")
    make_contact(account=account, first_name="Hannelore", last_name="Rottluff")
    account_services.figures_put(
        actor=kam, account=account, year=timezone.localdate().year, revenue=Decimal("201700")
    )
    account_services.account_update(actor=kam, account=account, city="Aalen")
    activity_services.follow_up_create(
        actor=kam,
        account=account,
        owner=kam,
        title="Rottluff",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    make_opportunity(account=account, stage="proposal", title="Ingolstadt")
    contract_services.contract_create(
        actor=kam,
        account=account,
        number="RV-1",
        title="Aalen",
        start_on=date(2025, 1, 1),
        end_on=timezone.localdate() + timedelta(days=200),
        status="active",
    )
    care_services.issue_create(
        actor=kam, account=account, title="Ulm", department=Department.objects.first()
    )
    plan_services.plan_create(actor=kam, account=account, year=timezone.localdate().year)
    return account


def _labels_found(page, paths, labels, account) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(path.format(account=account.pk))
        page.wait_for_load_state("networkidle")
        # "Key Account(s)" is the German term too.
        text = re.sub(r"Key Accounts?\b", "", page.evaluate(TEXTS))
        hits = [label for label in labels if re.search(rf"\b{re.escape(label)}\b", text)]
        if hits:
            found[path] = hits
    return found


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def test_english_pages_show_no_german_label(page, sign_in, kam, desk):
    _speaks(kam, "en")
    sign_in(kam)
    assert _labels_found(page, PAGES, GERMAN, desk) == {}


def test_german_pages_show_no_english_label(page, sign_in, kam, desk):
    _speaks(kam, "de")
    sign_in(kam)
    assert _labels_found(page, PAGES, ENGLISH, desk) == {}


@pytest.fixture
def english_browser(browser, live_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def test_sign_in_page_follows_an_english_browser_and_switches_to_german(english_browser, kam):
    page = english_browser
    page.goto("/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_test_id("login-language-de").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Anmelden").is_visible()
    # The choice is kept for the next visit, whatever the browser says.
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_label("Benutzername").fill(kam.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_sign_in_page_is_german_for_a_german_browser_and_switches_to_english(page):
    page.goto("/login/")
    assert page.get_by_role("heading", name="Anmelden").is_visible()
    page.get_by_test_id("login-language-en").click()
    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.get_by_label("Username").is_visible()


def test_htmx_update_raises_no_csp_error(page, sign_in, kam, desk):
    """The page fixture fails the test on any console error, a CSP violation included."""
    sign_in(kam)
    page.goto("/accounts/")
    with page.expect_response(lambda r: "/accounts/" in r.url and r.request.method == "GET"):
        page.locator("select[name=ordering]").select_option("-name")
    page.wait_for_load_state("networkidle")
    styles = page.evaluate(
        "() => [...document.querySelectorAll('style')].map(s => s.textContent).join('')"
    )
    assert "htmx-indicator" not in styles
    opacity = page.evaluate(
        """() => { const e = document.createElement('span'); e.className = 'htmx-indicator';
        document.body.append(e); return getComputedStyle(e).opacity; }"""
    )
    assert opacity == "0"


def test_figures_year_change_loads_its_values_and_zeros_ask_first(page, sign_in, kam, desk):
    sign_in(kam)
    year = timezone.localdate().year
    page.goto(f"/accounts/{desk.pk}/?tab=figures")
    form = page.locator("#figures-form")
    assert form.locator("input[name=revenue]").input_value() == "201700.00"

    def choose_year(value):
        with page.expect_response(lambda r: "/figures/form/" in r.url):
            form.locator("input[name=year]").fill(str(value))
            form.locator("input[name=year]").press("Tab")
        page.wait_for_load_state("networkidle")

    choose_year(year + 1)
    assert form.locator("input[name=revenue]").input_value() == ""
    choose_year(year)
    assert form.locator("input[name=revenue]").input_value() == "201700.00"
    form.locator("input[name=revenue]").fill("0")
    page.get_by_role("button", name="Kennzahlen speichern").click()
    confirm = page.get_by_test_id("figures-confirm")
    confirm.wait_for()
    assert "201.700 € → 0 €" in confirm.inner_text()
    assert desk.figures.get(year=year).revenue == Decimal("201700")
    confirm.get_by_role("button", name="Ja, ersetzen").click()
    confirm.wait_for(state="detached")
    page.wait_for_load_state("networkidle")
    assert desk.figures.get(year=year).revenue == 0
