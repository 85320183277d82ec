"""The folder's conditions sheet: the contracts of the topics to renegotiate, with their
prices and services as they stand today (read back from the rendered PDF)."""

import io

from pypdf import PdfReader

from reviews import pdf


def _pdf_pages(review):
    content, _pages = pdf.render_folder_pdf(review, internal=False, language="de")
    return PdfReader(io.BytesIO(content)).pages


def test_conditions_sheet_lists_the_contracts_to_renegotiate(review, contract):
    contract.prices_and_terms = "Ersatzteile: Listenpreis minus 12 %\nLieferung binnen 48 h"
    contract.save(update_fields=["prices_and_terms"])
    assert review.topics.filter(renegotiate=True, contract=contract).exists()
    text = "\n".join(page.extract_text() for page in _pdf_pages(review))
    sheet = text.split("Aktuelle Konditionen")[-1]
    assert "RV-7 · Rahmenvertrag Ersatzteile" in sheet
    assert "Listenpreis minus 12 %" in sheet and "500.000 €" in sheet
