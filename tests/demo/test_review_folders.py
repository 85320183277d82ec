"""The customer's folder of every demo review, rendered to PDF and read back: no internal
text or figure (reviews.demo.internal_markers, seeded for the purpose) may appear in it.
The demo is the one seeded for the package (tests/demo/conftest.py)."""

import io

import pytest
from pypdf import PdfReader

from reviews import demo, pdf
from reviews.models import AnnualReview
from tests.reviews.helpers import boxes_past_the_right_edge


@pytest.fixture
def demo_reviews(_demo_seeded, db):
    return list(AnnualReview.objects.select_related("account").order_by("year"))


def _text(content: bytes) -> str:
    """The PDF's text with every run of white space as one space (table cells wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_no_internal_marker_in_any_demo_customer_folder(demo_reviews):
    assert len(demo_reviews) >= 2
    for review in demo_reviews:
        markers = [" ".join(marker.split()) for marker in demo.internal_markers(review)]
        internal = _text(pdf.render_folder_pdf(review, internal=True, language=review.language)[0])
        customer = _text(pdf.render_folder_pdf(review, internal=False, language=review.language)[0])

        # The markers are real: the internal version prints many of them.
        assert sum(marker in internal for marker in markers) >= 5, review
        leaked = [marker for marker in markers if marker in customer]
        assert not leaked, f"{review}: {leaked}"
        # What the customer is meant to see is there.
        assert review.account.name in customer


def test_no_demo_folder_runs_off_the_page(demo_reviews):
    for review in demo_reviews:
        for internal in (False, True):
            html = pdf.render_folder_html(review, internal=internal, language=review.language)
            assert boxes_past_the_right_edge(html) == [], (review, internal)
