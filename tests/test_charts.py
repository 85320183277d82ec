"""The server-drawn charts: readable values, accessible text, safe markup, printable."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kam.charts import (
    Bubble,
    Series,
    bar_chart,
    bubble_chart,
    histogram,
    line_chart,
    pareto_chart,
)

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


def test_pareto_chart_draws_the_curve_the_lines_and_a_table_of_the_chosen_points():
    with translation.override("de"):
        chart = pareto_chart(
            title="Pareto",
            description="Kumulierter Umsatzanteil",
            points=[(1, Decimal("60")), (2, Decimal("85")), (3, Decimal("95")), (4, 100)],
            units=4,
            lines=[(80, "A-Grenze 80 %"), (95, "B-Grenze 95 %")],
            y_label="Anteil",
            table_points=[(1, Decimal("60")), (4, 100)],
        )
    root = ET.fromstring(str(chart.svg))
    curve = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert curve[0].get("d").count("L") == 4  # from the origin through every point
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "A-Grenze 80 %" in texts and "B-Grenze 95 %" in texts
    assert chart.table == [("1", ["60,0 %"]), ("4", ["100,0 %"])]


def test_bubble_chart_links_each_bubble_sizes_it_by_value_and_draws_trails():
    chart = bubble_chart(
        title="Portfolio-Matrix",
        description="Attraktivität gegen Position",
        bubbles=[
            Bubble("Groß & Co", 80, 70, 1_000_000, group=0, url="/accounts/1/", trail=[(60, 50)]),
            Bubble("Klein", 20, 30, 10_000, group=1, url="/accounts/2/"),
        ],
        groups=["Key Account", "Standardkunde"],
        x_label="Position",
        y_label="Attraktivität",
        size_label="Umsatz",
    )
    root = ET.fromstring(str(chart.svg))
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {"/accounts/1/", "/accounts/2/"}
    radius = {href: float(a.find(f"{SVG}circle").get("r")) for href, a in links.items()}
    assert radius["/accounts/1/"] > radius["/accounts/2/"]
    trails = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray") == "3 2"]
    assert len(trails) == 1
    assert chart.table[1] == ("Klein", ["20", "30", "10.000"])
    assert "Groß &amp; Co" in chart.svg


def test_histogram_labels_each_bin_and_needs_one_edge_more_than_bins():
    with translation.override("de"):
        chart = histogram(
            title="Health",
            description="d",
            counts=[1, 0, 4],
            edges=[0, 40, 70, 100],
            series_label="Kunden",
        )
    assert chart.categories == ["0–40", "40–70", "70–100"]
    assert chart.table[2] == ("70–100", ["4"])
    with pytest.raises(ValueError, match="3 bins need 4 edges"):
        histogram(title="t", description="d", counts=[1, 2, 3], edges=[0, 1], series_label="x")


def _axis_ticks(chart) -> list[str]:
    """The labels of the value axis (written right-aligned left of the plot)."""
    root = ET.fromstring(str(chart.svg))
    return [text.text for text in root.iter(f"{SVG}text") if text.get("text-anchor") == "end"]


def test_count_axes_show_whole_numbers_only():
    # Two issues at most: without whole steps the axis read 0, 0.5, 1, 1.5, 2.
    counts = line_chart(
        title="Anliegen", description="d", categories=["2025", "2026"],
        series=[Series("Anliegen", [1, 2])], whole=True,
    )  # fmt: skip
    assert _axis_ticks(counts) == ["0", "1", "2"]
    bars = histogram(
        title="t", description="d", counts=[0, 1, 3], edges=[0, 10, 20, 30], series_label="x"
    )
    assert _axis_ticks(bars) == ["0", "1", "2", "3"]
    # Ten customers ranked: ticks at whole ranks (no 2.5 and 7.5).
    pareto = pareto_chart(
        title="p", description="d", points=[(rank, rank * 10) for rank in range(1, 11)],
        units=10,
    )  # fmt: skip
    root = ET.fromstring(str(pareto.svg))
    ranks = [t.text for t in root.iter(f"{SVG}text") if t.get("font-size") == "9"]
    assert "2,5" not in ranks and "2.5" not in ranks and "7.5" not in ranks


def test_review_count_charts_in_print_have_no_half_steps():
    from reviews.charts import review_charts

    rows = [
        {"year": 2025, "revenue": "1000000", "nps": 1, "issues_opened": 2,
         "issues_solved_in_time": 1},
        {"year": 2026, "revenue": "1100000", "nps": 2, "issues_opened": 1,
         "issues_solved_in_time": 1},
    ]  # fmt: skip
    with translation.override("de"):
        revenue, nps, issues = review_charts(rows, internal=False, for_print=True)
    assert nps.series_labels == ["NPS"]
    for chart in (nps, issues):
        ticks = _axis_ticks(chart)
        assert ticks and all(tick.isdigit() for tick in ticks), (chart.title, ticks)
