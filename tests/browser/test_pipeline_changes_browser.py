"""Pipeline changes in Chromium: the pipeline page leads to the waterfall; its bars are
drawn, and a bar leads to the deals behind it. With DOCS_SCREENSHOTS set, the page is
saved as docs/screenshots/pipeline-changes.png."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deals import changes
from tests.deals.conftest import ensure_default_stages
from tests.deals.test_pipeline_changes import build_period
from tests.factories import make_account

pytestmark = pytest.mark.browser


def test_waterfall_shows_the_bars_and_a_bars_deals(page, sign_in, kam, transactional_db):
    ensure_default_stages()
    account = make_account(owner=kam, name="Müller Maschinenbau AG")
    build_period(
        kam, account, changes.period_start("week", changes.timezone.localdate()), snapshot=True
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(kam)

    page.goto("/deals/")
    page.get_by_role("button", name="Veränderungen").click()

    chart = page.get_by_test_id("changes-chart").locator("svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect > title")).to_have_count(6)  # opening, four changes, closing
    expect(page.get_by_test_id("changes-chart")).to_contain_text("380.000 €")
    if os.environ.get("DOCS_SCREENSHOTS"):
        path = Path(__file__).resolve().parents[2] / "docs/screenshots/pipeline-changes.png"
        page.screenshot(path=str(path), full_page=False)
    chart.locator('a[href="#changes-won"] rect').click()

    assert page.url.endswith("#changes-won")
    won = page.get_by_test_id("changes-won")
    expect(won).to_be_in_viewport()
    expect(won.get_by_test_id("changes-row")).to_have_count(2)
    won.get_by_role("link", name="Deal new won").click()
    expect(page.get_by_role("heading", name="Deal new won")).to_be_visible()
