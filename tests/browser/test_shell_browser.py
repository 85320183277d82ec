import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_sign_out(page, sign_in, kam):
    sign_in(kam)
    # Signing in lands on the home page.
    expect(page.get_by_role("heading", name=re.compile("^Willkommen, "))).to_be_visible()
    page.goto("/accounts/")
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()

    # The language switch sits in the user menu.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("language-en").click()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The choice sticks after a reload.
    page.reload()
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()

    page.locator("summary", has_text=str(kam)).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wrong_password_shows_error_in_place(page, kam):
    page.goto("/login/")
    page.get_by_label("Benutzername").fill(kam.username)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte Benutzername und Passwort")
    expect(page.get_by_label("Benutzername")).to_have_value(kam.username)


def test_phone_width_keeps_navigation_usable(browser, live_server, kam, sign_in, page):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(kam)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    # The navigation is folded into a menu button on a phone.
    expect(nav.get_by_role("link", name="Kunden")).to_be_hidden()
    page.get_by_text("Menü", exact=True).click()
    expect(nav.get_by_role("link", name="Kunden")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"page scrolls sideways at phone width ({width}px)"


def test_api_docs_page_loads_without_csp_violations(page, sign_in, kam):
    sign_in(kam)
    page.goto("/api/v1/docs/")
    # The schema is generated on request (about 200 operations): give it time on a busy CI.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("KAM CRM API", timeout=30_000)
