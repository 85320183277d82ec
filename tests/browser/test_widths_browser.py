"""Every main page fits a laptop (1366 px) and a phone (390 px): the document is never
wider than the window, so nothing needs sideways scrolling of the page itself. At 1366 px
the header is one line and no table scrolls sideways; on a phone the navigation folds
into a menu button and list rows become cards whose buttons stay in reach."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from activities import services as activity_services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/accounts/",
    "/accounts/{account}/",
    "/accounts/{account}/?tab=team",
    "/accounts/{account}/?tab=figures",
    "/accounts/{account}/?tab=group",
    "/accounts/{account}/?tab=contacts",
    "/accounts/{account}/?tab=map",
    "/accounts/{account}/?tab=timeline",
    "/accounts/{account}/?tab=deals",
    "/accounts/{account}/?tab=history",
    "/accounts/{account}/edit/",
    "/accounts/contacts/",
    "/accounts/contacts/{contact}/",
    "/accounts/search/?q=Brenner",
    "/activities/",
    "/activities/my-work/",
    "/deals/",
    "/deals/list/",
    "/deals/{opportunity}/",
    "/contracts/",
    "/contracts/deadlines/",
    "/care/issues/",
    "/planning/",
    "/reviews/",
    "/reminders/",
    "/portfolio/",
    "/profile/",
]

# Every visible part of the header starts on the first line of the bar.
HEADER_LINES = """() => {
  const items = Array.from(document.querySelectorAll('.shell-bar > *'))
    .filter(el => el.getClientRects().length && el.offsetHeight > 0);
  const tops = items.map(el => Math.round(el.getBoundingClientRect().top));
  const bottoms = items.map(el => Math.round(el.getBoundingClientRect().bottom));
  return {count: items.length, wraps: Math.max(...tops) >= Math.min(...bottoms)};
}"""
# Tables whose box scrolls sideways.
SCROLLING_TABLES = """() => Array.from(document.querySelectorAll('.table-wrap'))
  .filter(el => el.scrollWidth > el.clientWidth + 1).length"""


@pytest.fixture
def brenner(kam):
    ensure_default_stages()
    account = make_account(
        owner=kam,
        name="Brenner Fahrzeugwerke GmbH & Co. KG Niederlassung Süd",
        status="key_account",
    )
    make_account(owner=kam, name="Brenner Logistik Süd GmbH", parent=account)
    account_services.figures_put(
        actor=kam,
        account=account,
        year=timezone.localdate().year,
        revenue=Decimal("12345678"),
        contribution_margin=Decimal("2345678"),
    )
    boss = make_contact(account=account, first_name="Hannelore", last_name="Schmidt-Rottluff")
    for name in ["Becker", "Wagner", "Hoffmann-Schulze"]:
        make_contact(account=account, first_name="Maximilian", last_name=name, reports_to=boss)
    activity_services.follow_up_create(
        actor=kam,
        account=account,
        owner=kam,
        title="Überarbeitetes Angebot für die Rahmenvereinbarung schicken",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    opportunity = make_opportunity(
        account=account, stage="proposal", title="Antriebseinheiten Werk Ingolstadt"
    )
    return {"account": account.pk, "contact": boss.pk, "opportunity": opportunity.pk}


@pytest.mark.parametrize("width", [1366, 390])
def test_no_main_page_is_wider_than_the_window(page, sign_in, kam, brenner, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(kam)

    too_wide, header_wraps, scrolling_tables = {}, [], {}
    for path in PAGES:
        page.goto(path.format(**brenner))
        page.wait_for_load_state("networkidle")
        document_width = page.evaluate("document.documentElement.scrollWidth")
        if document_width > width:
            too_wide[path] = document_width
        if width == 1366:
            if page.evaluate(HEADER_LINES)["wraps"]:
                header_wraps.append(path)
            if tables := page.evaluate(SCROLLING_TABLES):
                scrolling_tables[path] = tables
    assert too_wide == {}
    assert header_wraps == []
    assert scrolling_tables == {}


def test_laptop_header_is_one_line_with_menu_and_user_menu(page, sign_in, kam, brenner):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(kam)
    header = page.locator(".shell-bar")
    assert header.bounding_box()["height"] < 70
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Kunden")).to_be_visible()
    expect(page.get_by_text("Menü", exact=True)).to_be_hidden()
    # Language and profile live in the user menu.
    expect(page.get_by_test_id("language-en")).to_be_hidden()
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("link", name="Profil und API-Tokens")).to_be_visible()
    expect(page.get_by_test_id("language-en")).to_be_visible()
    # A click elsewhere closes it.
    page.mouse.click(600, 500)
    expect(page.get_by_test_id("language-en")).to_be_hidden()


def test_phone_folds_the_navigation_and_keeps_done_in_reach(page, sign_in, kam, brenner):
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(kam)
    page.goto("/accounts/")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Meine Aufgaben")).to_be_hidden()
    page.get_by_text("Menü", exact=True).click()
    nav.get_by_role("link", name="Meine Aufgaben").click()
    expect(page.get_by_role("heading", name="Meine Aufgaben", level=1)).to_be_visible()

    # The follow-up is a card: its cells carry their column's heading, "Erledigt" is on screen.
    row = page.locator("table.stack tbody tr").filter(has_text="Überarbeitetes Angebot").first
    expect(row.locator("td[data-label]").first).to_be_visible()
    done = row.get_by_role("button", name="Erledigt")
    box = done.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    done.click()
    open_rows = page.locator("table.stack tbody tr").filter(has_text="Überarbeitetes Angebot")
    expect(open_rows.get_by_role("button", name="Erledigt")).to_have_count(0)


def test_account_tabs_that_do_not_fit_go_into_more(page, sign_in, kam, brenner):
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(kam)
    page.goto(f"/accounts/{brenner['account']}/")
    tabs = page.locator(".tabs")
    row_tops = tabs.locator("[role=tab]:visible").evaluate_all(
        "els => new Set(els.map(e => e.offsetTop)).size"
    )
    assert row_tops == 1  # one row
    page.get_by_text("Mehr", exact=True).click()
    page.locator(".tabs-more").get_by_role("link", name="Verlauf").click()
    expect(page).to_have_url(f"/accounts/{brenner['account']}/?tab=history")
    expect(page.locator(".tabs-more > summary")).to_have_text("Verlauf")
    expect(page.locator("#tab-panel")).to_contain_text("angelegt")


@pytest.mark.parametrize("width", [1366, 390])
def test_search_popup_lists_many_results_inside_the_window(page, sign_in, kam, width):
    for number in range(10):
        account = make_account(owner=kam, name=f"Suchtreffer Maschinenfabrik Nummer {number}")
        make_contact(account=account, first_name="Suchtreffer", last_name=f"Kontakt {number}")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(kam)
    page.locator("#global-search").fill("Suchtreffer")
    results = page.locator("#search-results li")
    expect(results).to_have_count(16)  # eight accounts, eight contacts
    popup = page.locator("#search-results").bounding_box()
    assert popup["x"] >= 0 and popup["x"] + popup["width"] <= width
    lefts = {round(box["x"]) for box in (item.bounding_box() for item in results.all())}
    assert len(lefts) == 1  # one below the other, not side by side
    assert page.evaluate("document.documentElement.scrollWidth") <= width
