"""The relationship map reads as an org chart, and a group page shows its tree."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.browser


def box(page, name: str) -> dict:
    return page.locator(".person", has_text=name).bounding_box()


def test_relationship_map_draws_boxes_by_reports_to_and_prints_landscape(
    page, sign_in, kam, account
):
    ceo = make_contact(account=account, first_name="Clara", last_name="Chefin")
    cto = make_contact(account=account, first_name="Tim", last_name="Technik", reports_to=ceo)
    cfo = make_contact(account=account, first_name="Fiona", last_name="Finanzen", reports_to=ceo)
    make_contact(account=account, first_name="Ingo", last_name="Ingenieur", reports_to=cto)
    for name in ["Erste", "Zweite", "Dritte"]:
        make_contact(account=account, first_name="Buchhalterin", last_name=name, reports_to=cfo)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.get_by_role("tab", name="Beziehungslandkarte").click()
    expect(page.locator(".person")).to_have_count(7)

    ceo_box, cto_box, cfo_box = box(page, "Clara"), box(page, "Tim"), box(page, "Fiona")
    # Reports sit side by side one level below their manager, who is centred above them.
    assert cto_box["y"] > ceo_box["y"] + ceo_box["height"]
    assert cto_box["y"] == cfo_box["y"]
    middle = ceo_box["x"] + ceo_box["width"] / 2
    assert min(cto_box["x"], cfo_box["x"]) < middle < max(cto_box["x"], cfo_box["x"]) + 210
    assert box(page, "Ingo")["y"] > cto_box["y"] + cto_box["height"]
    # Three accountants without reports: a column under their manager, not a wide row.
    column = [box(page, f"Buchhalterin {name}") for name in ["Dritte", "Erste", "Zweite"]]
    assert len({round(b["x"]) for b in column}) == 1
    assert column[0]["y"] < column[1]["y"] < column[2]["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # Printed: no header or tabs, the chart on A4 landscape.
    page.emulate_media(media="print")
    expect(page.locator(".shell-header")).to_be_hidden()
    expect(page.locator(".tabs")).to_be_hidden()
    expect(page.locator(".person").first).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = _first_page_size(pdf)
    assert width > height  # landscape
    assert round(width) == 842  # A4: 297 mm = 842 pt


def _first_page_size(pdf: bytes) -> tuple[float, float]:
    import re

    match = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert match, "no page size in the PDF"
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return x1 - x0, y1 - y0


def test_group_page_shows_its_subsidiaries_as_a_tree_with_figures(
    page, sign_in, kam, other_kam, account
):
    ulm = make_account(owner=kam, name="Werk Ulm", parent=account)
    press = make_account(owner=kam, name="Presswerk Ulm", parent=ulm)
    hidden = make_account(owner=other_kam, name="Fremde Beteiligung AG")
    year = timezone.localdate().year
    for member, revenue in [(account, "900000"), (ulm, "300000"), (press, "120000")]:
        services.figures_put(
            actor=kam,
            account=member,
            year=year,
            revenue=Decimal(revenue),
            contribution_margin=Decimal(revenue) / 4,
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.get_by_role("tab", name="Konzernstruktur").click()
    tree = page.get_by_test_id("group-tree")
    rows = tree.locator(".group-row:not(.group-head)")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Müller Maschinenbau AG")
    expect(rows.nth(1)).to_contain_text("Werk Ulm")
    expect(rows.nth(1)).to_contain_text("300.000 €")
    expect(rows.nth(2)).to_contain_text("Presswerk Ulm")
    expect(rows.nth(2)).to_contain_text("30.000 €")
    expect(rows.nth(2)).to_contain_text("25,0 %")
    # Each level is indented under its parent.
    lefts = [rows.nth(i).bounding_box()["x"] for i in range(3)]
    assert lefts[0] < lefts[1] < lefts[2]
    expect(tree).not_to_contain_text(hidden.name)

    # A subsidiary's link opens its own group page, itself marked.
    tree.get_by_role("link", name="Presswerk Ulm").click()
    expect(page.locator(".group-row.is-current")).to_contain_text("Presswerk Ulm")
