"""The review's charts (revenue and margin over the years, attainment, share of wallet),
drawn as inline SVG by kam.charts: the same SVG on the review page and in the folder."""

from typing import Any


def review_charts(rows: list[dict[str, Any]], *, internal: bool) -> list[dict[str, Any]]:
    return []
