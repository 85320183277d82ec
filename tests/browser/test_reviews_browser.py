"""The annual review in Chromium: create it from the account, edit a section, add an agenda
item and a topic, render the folder, watch the status reach done, download the PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import YearlyFigures
from planning.models import Action, BusinessCase, Objective, Scenario
from reviews import services
from tests.factories import make_account

pytestmark = pytest.mark.browser


@pytest.fixture
def account(kam, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_account(owner=kam, name="Hanse Logistik AG", city="Bremen")


def test_prepare_a_review_and_download_its_folder(page, sign_in, kam, account, tmp_path):
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=reviews")
    page.get_by_test_id("new-review").click()
    expect(page.get_by_role("heading", level=1, name="Neues Jahresgespräch")).to_be_visible()
    page.get_by_label("Ort").fill("Bremen")
    page.get_by_role("button", name="Jahresgespräch anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hanse Logistik AG")

    outlook = page.get_by_test_id("section-outlook")
    outlook.get_by_test_id("edit-outlook").click()
    outlook.get_by_label("Text").fill("Gemeinsam neue Märkte erschließen")
    outlook.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("section-outlook").get_by_test_id("section-text")).to_have_text(
        "Gemeinsam neue Märkte erschließen"
    )

    agenda = page.get_by_test_id("agenda-form")
    agenda.get_by_role("button", name="Agendapunkt hinzufügen").click()  # no title yet
    expect(page.locator("#review-agenda .field-error")).to_have_count(1)
    page.locator("#id_agenda-title").fill("Rückblick auf das Jahr")
    page.get_by_test_id("agenda-form").get_by_role("button").click()
    expect(page.get_by_test_id("agenda-item")).to_contain_text(["Rückblick auf das Jahr"])

    page.locator("#id_topics-title").fill("Preise ab Januar")
    page.get_by_test_id("topic-form").get_by_role("button", name="Thema hinzufügen").click()
    expect(page.get_by_test_id("topic")).to_contain_text(["Preise ab Januar"])

    page.get_by_test_id("render").click()
    status = page.get_by_test_id("version-status").first
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)
    expect(status).to_have_text("Erledigt")

    with page.expect_download() as download_info:
        page.get_by_test_id("download").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("hanse-logistik-ag-")
    target = tmp_path / "folder.pdf"
    download.save_as(target)
    text = "\n".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Hanse Logistik AG" in text
    assert "Rückblick auf das Jahr" in text and "Preise ab Januar" in text
    assert "Gemeinsam neue Märkte erschließen" in text


def test_market_data_and_agenda_are_edited_in_place(page, sign_in, kam, account):
    review = services.review_create(actor=kam, account=account, year=timezone.localdate().year)
    services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    services.agenda_item_save(actor=kam, review=review, title="Preise")
    sign_in(kam)
    page.goto(f"/reviews/{review.pk}/")

    market = page.get_by_test_id("review-market")
    market.get_by_test_id("edit-market").click()
    page.locator("#id_market-text").fill("Zahlen aus Verbandsberichten")
    market.get_by_role("button", name="Speichern").first.click()
    expect(page.get_by_test_id("section-market").get_by_test_id("section-text")).to_have_text(
        "Zahlen aus Verbandsberichten"
    )

    page.locator("#id_market-topic").fill("Marktvolumen")
    page.locator("#id_market-figure").fill("4 Mrd. €")
    page.get_by_test_id("market-form").get_by_role("button", name="Zeile hinzufügen").click()
    expect(page.get_by_test_id("market-row")).to_have_count(1)
    page.get_by_test_id("market-row").get_by_test_id("edit-row").click()
    editing = page.get_by_test_id("market-row-editing")
    editing.get_by_label("Thema").fill("")
    editing.get_by_role("button", name="Speichern").click()  # no topic: refused in place
    expect(page.get_by_test_id("market-row-editing").locator(".field-error")).to_have_count(1)
    editing = page.get_by_test_id("market-row-editing")
    editing.get_by_label("Thema").fill("Marktvolumen DACH")
    editing.get_by_label("Quelle").fill("VDMA")
    editing.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("market-row")).to_contain_text("Marktvolumen DACH")
    expect(page.get_by_test_id("market-row")).to_contain_text("VDMA")

    agenda = page.get_by_test_id("review-agenda")
    agenda.get_by_test_id("agenda-item").nth(1).get_by_test_id("edit-row").click()
    editing = page.get_by_test_id("agenda-item-editing")
    editing.get_by_label("Titel").fill("Preise und Leistungen")
    editing.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("agenda-item").nth(1)).to_contain_text("Preise und Leistungen")
    page.get_by_test_id("agenda-item").nth(1).get_by_test_id("move-up").click()
    expect(page.get_by_test_id("agenda-item").first).to_contain_text("Preise und Leistungen")

    page.reload()  # saved, not only shown
    expect(page.get_by_test_id("agenda-item").first).to_contain_text("Preise und Leistungen")
    expect(page.get_by_test_id("market-row")).to_contain_text("Marktvolumen DACH")


def test_show_to_the_customer_switches_and_the_preview(page, sign_in, kam, account):
    """A figures row switched off leaves the preview of the customer's version and is listed
    as not in it; "show all" brings it back."""
    year = timezone.localdate().year
    for offset, revenue in ((1, "1250000"), (0, "1480000")):
        YearlyFigures.objects.create(
            account=account, year=year - offset, revenue=Decimal(revenue),
            revenue_target=Decimal("1400000"),
        )  # fmt: skip
    review = services.review_create(actor=kam, account=account, year=year)
    sign_in(kam)
    page.goto(f"/reviews/{review.pk}/")

    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("[data-table='figures']")).to_contain_text("1.250.000 €")
    expect(preview.locator("body")).not_to_contain_text("1.400.000 €")  # the target
    page.get_by_test_id(f"shown-year:{year - 1}").uncheck()

    expect(page.get_by_test_id(f"shown-year:{year - 1}")).not_to_be_checked()
    expect(page.get_by_test_id("hidden-item")).to_contain_text([f"Kennzahlen {year - 1}"])
    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("[data-table='figures']")).not_to_contain_text("1.250.000 €")
    expect(preview.locator("[data-table='figures']")).to_contain_text("1.480.000 €")

    page.get_by_test_id("shown-all-figures").get_by_test_id("shown-all-1").click()
    expect(page.get_by_test_id(f"shown-year:{year - 1}")).to_be_checked()
    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("[data-table='figures']")).to_contain_text("1.250.000 €")


def test_review_page_navigation_collapse_progress_and_business_case(page, sign_in, kam, account):
    """The navigation stays in view at the foot of the long page, a part collapses, a
    joint measure switched off leaves the preview and the progress line counts it at
    once, and a business case switched on appears in the preview."""
    year = timezone.localdate().year
    day = timezone.localdate() - timedelta(days=20)
    YearlyFigures.objects.create(account=account, year=year, revenue=Decimal("1480000"))
    objective = Objective.objects.create(
        account=account, year=year, kind=Objective.Kind.OTHER, title="Wachstum", owner=kam,
        due_on=day + timedelta(days=60),
    )  # fmt: skip
    Action.objects.create(
        objective=objective, title="Gemeinsamer Werksrundgang", owner=kam, due_on=day,
        status=Action.Status.DONE, done_on=day, customer_facing=True,
    )  # fmt: skip
    case = BusinessCase.objects.create(account=account, title="Konsignationslager Bremen")
    Scenario.objects.create(
        case=case, name="Lager beim Kunden", yearly_volume=1000, unit_price="10",
        process_cost="20000", one_off_cost="12000", yearly_saving="8000",
    )  # fmt: skip
    review = services.review_create(actor=kam, account=account, year=year)
    sign_in(kam)
    page.goto(f"/reviews/{review.pk}/")

    nav = page.get_by_test_id("review-nav")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("window.scrollY > 500")
    box = nav.bounding_box()
    assert box is not None and -1 <= box["y"] <= 5, box  # stuck to the top of the view
    expect(nav).to_be_in_viewport()

    page.evaluate("window.scrollTo(0, 0)")
    summary = page.locator("details.review-part:has(#review-sections) > summary")
    summary.click()
    expect(page.get_by_test_id("section-measures")).to_be_hidden()
    summary.click()
    expect(page.get_by_test_id("section-measures")).to_be_visible()

    progress = page.get_by_test_id("review-progress")
    shown, total = (int(n) for n in re.search(
        r"(\d+) von (\d+) Einträgen", progress.inner_text()).groups())  # fmt: skip
    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("body")).to_contain_text("Gemeinsamer Werksrundgang")
    action = Action.objects.get(title="Gemeinsamer Werksrundgang")
    page.get_by_test_id(f"shown-action:{action.pk}").uncheck()
    expect(progress).to_contain_text(f"{shown - 1} von {total} Einträgen")
    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("body")).not_to_contain_text("Gemeinsamer Werksrundgang")
    expect(page.get_by_test_id("hidden-item")).to_contain_text(["Gemeinsamer Werksrundgang"])

    expect(preview.locator("body")).not_to_contain_text("Konsignationslager Bremen")
    page.get_by_test_id(f"case-shown-{case.pk}").check()
    expect(progress).to_contain_text(f"{shown} von {total} Einträgen")
    preview = page.frame_locator("[data-testid='preview-frame']")
    expect(preview.locator("body")).to_contain_text("Konsignationslager Bremen")
    expect(preview.locator("body")).to_contain_text("12.000 €")
