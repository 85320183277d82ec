"""A deal as a KAM works it, in Chromium: create it from the account, name two competitors,
and move it through the pipeline to won, giving the reason when asked."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from deals import services
from tests.deals.conftest import ensure_default_stages

pytestmark = pytest.mark.browser


def card_in(page: Page, stage_key: str, pk: int):
    return page.locator(f"#stage-{stage_key} #opportunity-card-{pk}")


def move(page: Page, pk: int, stage_pk: int) -> None:
    """With the card's "Move" menu, as on a phone or with the keyboard."""
    card = page.locator(f"#opportunity-card-{pk}")
    card.locator(".move-menu summary").click()
    card.locator(f'.move-menu button[value="{stage_pk}"]').click()


def drag(page: Page, pk: int, stage_key: str) -> None:
    """Drag the card with the mouse and drop it into the column of another stage."""
    card = page.locator(f"#opportunity-card-{pk} .board-card-facts")
    target = page.locator(f"#stage-{stage_key} .board-cards")
    card.scroll_into_view_if_needed()
    start, end = card.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + 5)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            start["x"] + 10 + (end["x"] + 20 - start["x"] - 10) * step / 10,
            start["y"] + 5 + (end["y"] + 10 - start["y"] - 5) * step / 10,
        )
        # SortableJS checks where the pointer is every 50 ms, as a hand would move.
        page.wait_for_timeout(60)
    page.wait_for_timeout(100)
    page.mouse.up()


def test_create_with_two_competitors_and_move_through_the_pipeline_to_won(
    page, sign_in, kam, account
):
    stages = ensure_default_stages()
    services.competitor_create(actor=kam, name="Nordtec AG")
    sign_in(kam)

    # From the account's Opportunities tab: empty pipeline, then "new opportunity".
    page.goto(f"/accounts/{account.pk}/?tab=deals")
    panel = page.get_by_test_id("deals-panel")
    expect(panel.get_by_test_id("open-pipeline")).to_have_text("0 €")
    panel.locator(f'a[href="/deals/new/?account={account.pk}"]').click()

    form = page.locator("#opportunity-form")
    expect(form.locator("#id_account")).to_have_value(str(account.pk))
    form.locator("#id_title").fill("Antriebseinheiten Werk Ingolstadt")
    form.locator("#id_value").fill("200000")
    form.locator("#id_probability").fill("150")
    form.locator("button[type=submit]").click()
    # A probability over 100 is refused on the page, with what was typed kept.
    expect(form.locator(".field-error")).to_have_count(1)
    expect(form.locator("#id_title")).to_have_value("Antriebseinheiten Werk Ingolstadt")
    form.locator("#id_probability").fill("")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/deals/\d+/$"))
    pk = int(re.search(r"/deals/(\d+)/$", page.url).group(1))
    expect(page.get_by_test_id("probability")).to_have_text("10 %")

    # Two competitors: one from the register, one new, registered inline.
    competitors = page.locator("#competitors")
    competitors.locator("#id_competitor").select_option(label="Nordtec AG")
    competitors.locator("#id_position").select_option("incumbent")
    competitors.locator("#competitor-form button[type=submit]").click()
    expect(page.get_by_test_id("competitor-row")).to_have_count(1)
    competitors = page.locator("#competitors")
    competitors.locator("#id_competitor_name").fill("Vexa Industrial")
    competitors.locator("#id_position").select_option("challenger")
    competitors.locator("#id_notes").fill("Bietet 8 % unter unserem Preis")
    competitors.locator("#competitor-form button[type=submit]").click()
    expect(page.get_by_test_id("competitor-row")).to_have_count(2)
    expect(page.get_by_test_id("competitor-table")).to_contain_text("Vexa Industrial")

    # Through the pipeline, in place.
    page.goto("/deals/")
    expect(card_in(page, "identified", pk)).to_contain_text("Nordtec AG")
    expect(card_in(page, "identified", pk)).to_contain_text("Vexa Industrial")
    for key in ("qualified", "proposal", "negotiation"):
        move(page, pk, stages[key].pk)
        expect(card_in(page, key, pk)).to_be_visible()
    expect(page.locator("#stage-negotiation").get_by_test_id("stage-totals")).to_contain_text(
        "150.000 €"
    )

    # Won asks for the reason in place.
    move(page, pk, stages["won"].pk)
    card = page.locator(f"#opportunity-card-{pk}")
    expect(card.locator(".field-error")).to_be_visible()
    expect(card_in(page, "negotiation", pk)).to_be_visible()
    card.locator("textarea[name=reason]").fill("Kürzere Lieferzeit und Service vor Ort")
    card.get_by_role("button", name="Als gewonnen markieren").click()
    expect(card_in(page, "won", pk)).to_be_visible()
    expect(page.locator("#stage-won").get_by_test_id("stage-totals")).to_contain_text("200.000 €")

    # A reload shows the same; the deal page has the reason and the history.
    page.reload()
    expect(card_in(page, "won", pk)).to_be_visible()
    card_in(page, "won", pk).get_by_role("link", name="Antriebseinheiten Werk Ingolstadt").click()
    expect(page.get_by_test_id("close-reason")).to_contain_text("Kürzere Lieferzeit")
    expect(page.get_by_test_id("probability")).to_have_text("100 %")


def test_drag_a_card_to_won_and_give_the_reason_in_place(page, sign_in, kam, account):
    stages = ensure_default_stages()
    deal = services.opportunity_create(
        actor=kam,
        account=account,
        title="Sensorpaket Halle 3",
        value=Decimal("80000"),
        stage=stages["negotiation"],
    )
    sign_in(kam)
    page.goto("/deals/")
    expect(card_in(page, "negotiation", deal.pk)).to_be_visible()
    expect(page.locator("#stage-won").get_by_test_id("stage-totals")).to_contain_text("0 €")

    drag(page, deal.pk, "won")

    # The card sits in the won column and asks why, before anything is saved.
    card = card_in(page, "won", deal.pk)
    expect(card.locator("textarea[name=reason]")).to_be_visible()
    expect(card.get_by_text("Warum wurde die Verkaufschance gewonnen?")).to_be_visible()
    deal.refresh_from_db()
    assert deal.stage == stages["negotiation"]
    card.locator("textarea[name=reason]").fill("Bester Service im Wettbewerb")
    card.get_by_role("button", name="Als gewonnen markieren").click()

    expect(page.locator("#stage-won").get_by_test_id("stage-totals")).to_contain_text("80.000 €")
    expect(card_in(page, "won", deal.pk).locator("textarea")).to_have_count(0)
    expect(page.locator("#stage-negotiation").get_by_test_id("stage-count")).to_have_text("0")
    deal.refresh_from_db()
    assert deal.stage == stages["won"] and deal.close_reason == "Bester Service im Wettbewerb"


def test_cancel_a_drag_to_lost_puts_the_card_back_then_lose_it_to_a_competitor(
    page, sign_in, kam, account
):
    stages = ensure_default_stages()
    deal = services.opportunity_create(
        actor=kam, account=account, title="Wartungsvertrag", stage=stages["proposal"]
    )
    vexa = services.competitor_create(actor=kam, name="Vexa Industrial")
    services.opportunity_competitor_set(actor=kam, opportunity=deal, competitor=vexa)
    sign_in(kam)
    page.goto("/deals/")
    drag(page, deal.pk, "lost")
    card = card_in(page, "lost", deal.pk)
    expect(card.get_by_text("Warum wurde die Verkaufschance verloren?")).to_be_visible()
    card.get_by_role("button", name="Abbrechen").click()
    expect(card_in(page, "proposal", deal.pk)).to_be_visible()
    deal.refresh_from_db()
    assert deal.stage == stages["proposal"]

    # With the menu this time: lost, to the competitor named on the deal.
    move(page, deal.pk, stages["lost"].pk)
    card = page.locator(f"#opportunity-card-{deal.pk}")
    card.get_by_label("Verloren an").select_option(label="Vexa Industrial")
    card.locator("textarea[name=reason]").fill("Preis 8 % unter unserem")
    card.get_by_role("button", name="Als verloren markieren").click()
    expect(card_in(page, "lost", deal.pk)).to_be_visible()
    deal.refresh_from_db()
    assert deal.stage == stages["lost"] and deal.lost_to == vexa
