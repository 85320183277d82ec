"""Account flows as a user clicks through them, in German, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_account

pytestmark = pytest.mark.browser


def save_figures(page: Page, revenue: str) -> None:
    page.get_by_role("tab", name="Kennzahlen").click()
    form = page.locator("form", has=page.locator("#id_revenue"))
    form.locator("#id_revenue").fill(revenue)
    # Revenue and margin come together (an empty one means "not known", not 0).
    form.locator("#id_contribution_margin").fill(str(int(revenue) // 10))
    form.get_by_role("button", name="Kennzahlen speichern").click()


def test_create_group_and_subsidiary_then_see_the_group_total(page, sign_in, kam):
    sign_in(kam)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Kunden"
    ).click()
    page.get_by_role("button", name="Neuer Kunde").or_(
        page.get_by_role("link", name="Neuer Kunde")
    ).click()
    page.locator("#id_name").fill("Hanse Holding AG")
    page.locator("#id_status").select_option("key_account")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Hanse Holding AG")).to_be_visible()

    page.goto("/accounts/new/")
    page.locator("#id_name").fill("Werk Bremen GmbH")
    page.locator("#id_parent").select_option(label="Hanse Holding AG")
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Werk Bremen GmbH")).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="breadcrumb")
    expect(breadcrumb.get_by_role("listitem")).to_have_text(
        ["Kunden", "Hanse Holding AG", "Werk Bremen GmbH"]
    )

    save_figures(page, "250000")
    expect(page.get_by_test_id("own-figures")).to_contain_text("250.000 €")

    breadcrumb.get_by_role("link", name="Hanse Holding AG").click()
    expect(page.get_by_role("heading", level=1, name="Hanse Holding AG")).to_be_visible()
    save_figures(page, "1000000")
    expect(page.get_by_test_id("own-figures")).to_contain_text("1.000.000 €")
    group_total = page.get_by_test_id("group-figures")
    expect(group_total.locator("tbody tr")).to_have_count(1)
    expect(group_total.locator("tbody tr td").first).to_have_text("1.250.000 €")

    # A plain reload of the tab URL shows the same group total.
    page.reload()
    expect(page.get_by_test_id("group-figures").locator("tbody tr td").first).to_have_text(
        "1.250.000 €"
    )


def test_add_contacts_inline_and_see_the_org_chart_with_gaps(page, sign_in, kam, account):
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.get_by_role("tab", name="Kontakte").click()
    expect(page).to_have_url(re.compile(r"\?tab=contacts$"))
    panel = page.locator("#tab-panel")

    page.get_by_role("button", name="Kontakt hinzufügen").click()
    form = page.locator("#contact-form")
    form.locator("#id_first_name").fill("Sabine")
    form.locator("#id_last_name").fill("Hoffmann")
    form.locator("#id_job_title").fill("Geschäftsführerin")
    form.locator("#id_email").fill("kein-mail")
    form.get_by_role("button", name="Kontakt speichern").click()
    # The error shows in the form, with what was typed; nothing is lost.
    expect(form.locator("#id_email")).to_have_value("kein-mail")
    expect(form.locator(".field-error")).to_have_count(1)
    expect(form.locator("#id_last_name")).to_have_value("Hoffmann")
    form.locator("#id_email").fill("s.hoffmann@example.com")
    form.get_by_role("button", name="Kontakt speichern").click()
    expect(panel.get_by_role("link", name="Sabine Hoffmann")).to_be_visible()
    expect(page.locator("#contact-form")).to_have_count(0)

    page.get_by_role("button", name="Kontakt hinzufügen").click()
    form = page.locator("#contact-form")
    form.locator("#id_first_name").fill("Tom")
    form.locator("#id_last_name").fill("Becker")
    form.locator("#id_reports_to").select_option(label="Sabine Hoffmann")
    form.get_by_role("button", name="Kontakt speichern").click()
    tom = panel.get_by_role("row").filter(has=page.get_by_role("link", name="Tom Becker"))
    expect(tom).to_contain_text("Sabine Hoffmann")

    page.get_by_role("tab", name="Beziehungslandkarte").click()
    chart = page.locator(".org-chart")
    boss = chart.locator(":scope > li").filter(has_text="Sabine Hoffmann")
    expect(boss).to_have_count(1)
    expect(boss.locator("ul .person")).to_contain_text("Tom Becker")
    expect(page.locator('[data-gap="no_decision_maker"]')).to_have_text(
        f"Kein Entscheider bekannt bei {account.name}."
    )


@pytest.fixture
def three_accounts(kam):
    make_account(owner=kam, name="Alpha Werke", status="key_account")
    make_account(owner=kam, name="Beta Handel", status="prospect")
    make_account(owner=kam, name="Gamma Bau", status="prospect")


def filter_by_status(page: Page, status: str):
    """Filter the list on the page and check that it updated in place."""
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    # Marks this document: a full page load would forget it.
    page.evaluate("window.kamTestMarker = 'same page'")
    page.locator("#id_status").select_option(status)
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"/accounts/\?(.*&)?status={status}"))
    assert page.evaluate("window.kamTestMarker") == "same page"
    return rows


def test_filter_the_list_in_place_and_a_reload_keeps_the_filter(page, sign_in, kam, three_accounts):
    sign_in(kam)
    page.goto("/accounts/")

    rows = filter_by_status(page, "key_account")

    expect(rows.first).to_contain_text("Alpha Werke")
    page.reload()
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()
    expect(page.locator("#id_status")).to_have_value("key_account")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alpha Werke")


def test_back_button_after_filtering_shows_the_whole_list_again(page, sign_in, kam, three_accounts):
    sign_in(kam)
    page.goto("/accounts/")
    rows = filter_by_status(page, "key_account")

    page.go_back()

    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()
    expect(page.locator("#id_status")).to_have_value("")
    expect(rows).to_have_count(3)

    page.go_forward()
    expect(page).to_have_url(re.compile(r"status=key_account"))
    expect(page.locator("#id_status")).to_have_value("key_account")
    expect(rows).to_have_count(1)


def test_owner_filter_suggests_account_owners_as_one_types(
    page, sign_in, kam, other_kam, head_of_sales
):
    make_account(owner=kam, name="Alpha Werke")
    make_account(owner=other_kam, actor=other_kam, name="Omega Logistik")
    sign_in(head_of_sales)
    page.goto("/accounts/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)

    owner = page.locator("#id_owner")
    owner.fill(other_kam.username)  # "kam2": not part of kam1's name
    suggestions = page.locator("#id_owner-options option")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_have_attribute(
        "value", f"{other_kam.get_full_name()} ({other_kam.username})"
    )
    owner.press("Enter")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Omega Logistik")
    expect(page).to_have_url(re.compile(rf"owner={other_kam.username}"))
