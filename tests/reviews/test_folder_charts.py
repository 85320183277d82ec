"""The folder's charts as printed: numbers on the axes and over the bars in the folder's
language, every text at least 8 pt on paper, and a year without figures a gap (read back
from the rendered PDF with pypdf)."""

import io
import math
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import YearlyFigures
from reviews import charts, pdf, services
from tests.reviews.conftest import THIS_YEAR


def _printed_texts(content: bytes) -> list[tuple[str, float]]:
    """Every text piece of the PDF with its size on paper in points (the font size times
    the scale of the text and the current transformation, e.g. an SVG drawn smaller)."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, _font, size):
        if not text.strip():
            return
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        found.append((text.strip(), size * math.sqrt(abs(a * d - b * c))))

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return found


@pytest.fixture
def gap_review(kam, account):
    """Figures two years ago and this year, none last year."""
    for year, revenue in ((THIS_YEAR - 2, "1250000"), (THIS_YEAR, "1500000")):
        YearlyFigures.objects.create(
            account=account, year=year, revenue=Decimal(revenue),
            contribution_margin=Decimal(revenue) / 4, revenue_target=Decimal("1400000"),
            revenue_potential=Decimal("4000000"),
        )  # fmt: skip
    return services.review_create(actor=kam, account=account, year=THIS_YEAR)


def test_chart_axes_in_german_and_at_least_8_pt(gap_review):
    content, _pages = pdf.render_folder_pdf(gap_review, internal=False, language="de")
    texts = _printed_texts(content)
    axis = [(text, size) for text, size in texts if text.endswith("Mio. €")]
    assert ("1,0 Mio. €", pytest.approx(8, abs=0.3)) in axis
    assert ("1,5 Mio. €", pytest.approx(8, abs=0.3)) in axis
    assert all(size >= 7.9 for _text, size in axis), axis
    assert not any(" m €" in text or "1.0" in text for text, _size in texts)


def test_chart_axes_in_english(gap_review):
    gap_review.language = "en"
    content, _pages = pdf.render_folder_pdf(gap_review, internal=False, language="en")
    texts = [text for text, _size in _printed_texts(content)]
    assert "1.5 m €" in texts
    assert not any("Mio." in text for text in texts)


def test_year_without_figures_is_a_gap_not_a_zero(gap_review):
    content, _pages = pdf.render_folder_pdf(gap_review, internal=False, language="de")
    printed = _printed_texts(content)
    # The year between is on the chart's axis, at chart size ...
    assert (str(THIS_YEAR - 1), pytest.approx(8, abs=0.3)) in printed
    # ... with no bar and no value: the chart's numbers are the two years' revenues.
    (revenue,) = charts.review_charts(
        (gap_review.sections.get(kind="figures").data or {})["rows"],
        internal=False,
        for_print=True,
    )[:1]
    assert revenue.categories == [str(THIS_YEAR - 2), str(THIS_YEAR - 1), str(THIS_YEAR)]
    assert [values for _year, values in revenue.table][1] == ["–"]
    assert str(revenue.svg).count("</title></rect>") == 2  # a bar for each of the two years
