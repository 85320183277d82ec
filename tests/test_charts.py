"""The server-drawn charts: readable values, accessible text, safe markup, printable."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kam.charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def revenue_chart(**kwargs):
    return bar_chart(
        title="Umsatz",
        description="Umsatz und Ziel je Jahr",
        categories=["2024", "2025", "2026"],
        series=[
            Series("Umsatz", [Decimal("1200000"), Decimal("1500000"), None]),
            Series("Ziel", [Decimal("1000000"), Decimal("1600000"), Decimal("1800000")]),
        ],
        **kwargs,
    )


def test_bar_chart_is_valid_svg_with_title_description_and_a_bar_per_value():
    chart = revenue_chart()
    root = ET.fromstring(str(chart.svg))
    assert root.find(f"{SVG}title").text == "Umsatz"
    assert root.find(f"{SVG}desc").text == "Umsatz und Ziel je Jahr"
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == 5  # the missing 2026 revenue draws no bar


def test_each_series_has_its_own_pattern_for_black_and_white_print():
    root = ET.fromstring(str(revenue_chart().svg))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    fills = {rect.get("fill") for rect in bars}
    assert len(fills) == 2 and all(fill.startswith("url(#") for fill in fills)
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert len({len(list(pattern)) for pattern in patterns}) == 2  # solid vs. hatched


def test_taller_value_draws_a_taller_bar():
    root = ET.fromstring(str(revenue_chart().svg))
    heights = {
        rect.find(f"{SVG}title").text: float(rect.get("height"))
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    }
    assert heights["Ziel, 2026: 1.800.000"] > heights["Umsatz, 2025: 1.500.000"]


def test_values_are_written_in_the_active_language():
    with translation.override("de"):
        german = revenue_chart()
    with translation.override("en"):
        english = revenue_chart()
    assert ("2025", ["1.500.000", "1.600.000"]) in german.table
    assert ("2025", ["1,500,000", "1,600,000"]) in english.table
    assert german.table[2] == ("2026", ["–", "1.800.000"])
    assert "1.500.000" in german.svg and "1,500,000" in english.svg


def test_labels_are_escaped():
    chart = line_chart(
        title="<script>alert(1)</script>",
        description="d",
        categories=["a&b"],
        series=[Series("<b>x</b>", [1])],
    )
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    ET.fromstring(str(chart.svg))  # still well-formed


def test_line_chart_leaves_a_gap_for_missing_values_and_marks_each_series_differently():
    chart = line_chart(
        title="NPS",
        description="NPS je Jahr",
        categories=["2023", "2024", "2025", "2026"],
        series=[Series("Konzern", [10, None, 30, 40]), Series("Tochter", [-20, -5, 0, 15])],
    )
    root = ET.fromstring(str(chart.svg))
    lines = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert lines[0].get("d").count("M") == 2  # broken where 2024 is missing
    assert lines[0].get("stroke-dasharray") != lines[1].get("stroke-dasharray")


def test_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="has 1 values, not 2"):
        bar_chart(title="t", description="d", categories=["a", "b"], series=[Series("x", [1])])


def test_same_chart_renders_the_same_bytes():
    assert str(revenue_chart().svg) == str(revenue_chart().svg)


def test_partial_renders_chart_with_its_table():
    with translation.override("de"):
        html = render_to_string("partials/chart.html", {"chart": revenue_chart()})
    assert "<svg" in html and "<table" in html
    assert '<td class="num">1.800.000</td>' in html
    assert "Zahlen zu „Umsatz“" in html


def test_weasyprint_prints_the_chart_with_its_values():
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    with translation.override("de"):
        html = render_to_string("partials/chart.html", {"chart": revenue_chart()})
    pdf = weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "1.800.000" in text and "Ziel" in text
