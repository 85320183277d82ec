"""The folder's charts as printed: numbers on the axes and over the bars in the folder's
language, every text at least 8 pt on paper, and a year without figures a gap (read back
from the rendered PDF with pypdf)."""

import io
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import YearlyFigures
from contracts.models import Contract
from customer_care.models import CustomerIssue, Department, Survey, ensure_default_departments
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


@pytest.fixture
def held_in_june(kam, account):
    """Last year's review held on 30 June, with figures, surveys, issues and a contract from
    before and after that day (and figures of this year)."""
    last = THIS_YEAR - 1
    meeting = date(last, 6, 30)
    for year in (last - 1, last, THIS_YEAR):
        YearlyFigures.objects.create(
            account=account, year=year, revenue=Decimal("1000000"),
            revenue_target=Decimal("1200000"), revenue_potential=Decimal("4000000"),
        )  # fmt: skip
    for day, nps in ((date(last, 3, 2), 10), (date(last, 9, 1), 0), (date(last, 10, 1), 0)):
        Survey.objects.create(account=account, surveyed_on=day, nps=nps)
    ensure_default_departments()
    department = Department.objects.order_by("position").first()
    for day in (date(last, 3, 2), date(last, 8, 3), date(last, 11, 4)):
        opened = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        CustomerIssue.objects.create(
            account=account, title=f"Anliegen {day}", owner=kam, department=department,
            opened_at=opened, due_on=day + timedelta(days=5),
            resolved_at=opened + timedelta(days=1), status=CustomerIssue.Status.RESOLVED,
        )  # fmt: skip
    Contract.objects.create(
        account=account, number="NV-9", title="Neuer Vertrag", start_on=date(last, 9, 1),
        end_on=date(last + 2, 8, 31), annual_value=Decimal("300000"),
        status=Contract.Status.ACTIVE, owner=kam,
    )  # fmt: skip
    return services.review_create(
        actor=kam, account=account, year=last, meeting_on=meeting,
        backdate_reason="Nachgetragen",
    )  # fmt: skip


def test_charts_show_only_what_was_known_on_the_meeting_day(held_in_june):
    last = THIS_YEAR - 1
    rows = held_in_june.sections.get(kind="figures").data["rows"]
    assert [row["year"] for row in rows] == [last - 1, last]
    (meeting_year,) = [row for row in rows if row["year"] == last]
    # The survey in March (a promoter) counts, the two after the meeting do not; one issue
    # was opened before it; the contract started in September is not in the year's value.
    assert meeting_year["nps"] == 100
    assert meeting_year["issues_opened"] == 1
    assert meeting_year["issues_solved_in_time"] == 1
    assert meeting_year["contract_value"] is None

    # A snapshot that holds a later year (taken before the meeting moved to an earlier
    # year) still draws nothing after the meeting.
    later = [*rows, {**rows[-1], "key": f"year:{THIS_YEAR}", "year": THIS_YEAR}]
    drawn = charts.review_charts(
        later, internal=False, for_print=True, until=held_in_june.meeting_on
    )
    assert drawn
    assert all(str(THIS_YEAR) not in chart.categories for chart in drawn)
    html = pdf.render_folder_html(held_in_june, internal=False, language="de")
    assert f">{THIS_YEAR}</text>" not in html
