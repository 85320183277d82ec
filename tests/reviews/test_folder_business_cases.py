"""Business cases in the customer's folder: the manager chooses them on the review page,
the folder prints a one-page summary of the customer's side (investment, saving per year,
payback, net present value) in the folder's language, and our side (our margin, our
revenue and margin effect) only in the internal version."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from kam.formats import money
from planning.business_cases.arithmetic import scenario_result
from planning.models import BusinessCase, Scenario
from reviews import notes, pdf, services
from reviews.models import AnnualReview
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(account, kam):
    case = BusinessCase.objects.create(
        account=account, title="Umrüstung Ersatzteillager", horizon_years=3, created_by=kam
    )
    Scenario.objects.create(
        case=case, name="Mit Umrüstung", yearly_volume=10000, unit_price="12.50",
        process_cost="80000", price_change_pct="-4", one_off_cost="45000",
        yearly_saving="30000", margin_pct="37.5",
    )  # fmt: skip
    return case


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _choose(client, review, case, shown: bool):
    data = {"case": case.pk, **({"shown": "1"} if shown else {})}
    return client.post(reverse("reviews:business_case_shown", args=[review.pk]), data, **HTMX)


def test_chosen_case_prints_the_customers_side_in_german_and_english(kam_client, review, case):
    response = _choose(kam_client, review, case, True)
    assert response.status_code == 200
    assert f'data-testid="case-shown-{case.pk}" ' not in response.text  # not unticked
    assert f'checked data-testid="case-shown-{case.pk}"' in response.text
    assert response["HX-Trigger"] == "customer-choice"  # the preview loads again
    assert list(review.business_cases.all()) == [case]

    scenario = case.scenarios.get()
    result = scenario_result(scenario, case.horizon_years, case.discount_rate_pct)
    for language, words, payback in (
        ("de", ("Business Cases", "Investition", "Ihre Einsparung pro Jahr", "Amortisation"),
         "15,4 Monate"),
        ("en", ("Business cases", "Investment", "Your saving per year", "Payback"),
         "15.4 months"),
    ):  # fmt: skip
        text = _text(pdf.render_folder_pdf(review, internal=False, language=language)[0])
        with translation.override(pdf.PRINT_LOCALES.get(language, language)):
            figures = [money(result.one_off_cost), money(result.yearly_saving), money(result.npv)]
            ours = [money(result.revenue_effect), money(result.margin_effect)]
        assert "Umrüstung Ersatzteillager" in text
        for expected in (*words, *figures, payback):
            assert expected in text, (language, expected)
        # Our assumptions and our side never reach the customer.
        for internal in (*ours, "37,5 %", "37.5 %", "Deckungsbeitrag", "contribution margin"):
            assert internal not in text, (language, internal)
    assert "45.000 €" in figures[0] or "45,000 €" in figures[0]

    internal = _text(pdf.render_folder_pdf(review, internal=True, language="de")[0])
    assert "37,5 %" in internal  # the internal version has our side


def test_the_version_change_list_names_the_case_put_in_and_taken_out(kam, kam_client, review, case):
    before = services.fingerprint(review)
    _choose(kam_client, review, case, True)
    chosen = services.fingerprint(review)
    _choose(kam_client, review, case, False)
    assert not review.business_cases.exists()
    with translation.override("en"):
        put_in = notes.render_all(services.version_changes(before, chosen))
        taken_out = notes.render_all(services.version_changes(chosen, services.fingerprint(review)))
    assert "Shown to the customer: Umrüstung Ersatzteillager" in put_in
    assert "Hidden from the customer: Umrüstung Ersatzteillager" in taken_out


def test_a_case_of_another_customer_cannot_be_chosen(kam, kam_client, review):
    other = make_account(owner=kam, name="Fremdkunde GmbH")
    foreign = BusinessCase.objects.create(account=other, title="Fremd", created_by=kam)
    response = _choose(kam_client, review, foreign, True)
    assert response.status_code == 422
    assert not AnnualReview.objects.get(pk=review.pk).business_cases.exists()
