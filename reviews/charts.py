"""The review's charts, drawn as inline SVG by kam.charts: the same code draws them on the
review page and in the presentation folder. Built from the key-figure rows of the figures
section (amounts as strings); a chart without a single value is left out.

Every number is written in the active language (the folder's: German "1,25 Mio. €",
English "1.25 m €"). The years run without a hole from the first to the last year with a
value of the chart: a year without figures is a gap in the chart, never a zero. In print
(`for_print`) each chart is drawn at its printed size with every text at PRINT_FONT_PT,
so that a chart half the page wide stays readable.
"""

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kam.charts import Chart, Number, Series, bar_chart, compact_axis, compact_number, line_chart
from kam.formats import SYMBOLS, money

# The folder prints two charts side by side (templates/reviews/print/folder_style.html:
# .chart svg.chart is PRINT_WIDTH_MM wide); drawn in points, one unit is one point.
PRINT_WIDTH_MM = 82
PRINT_WIDTH = round(PRINT_WIDTH_MM / 25.4 * 72)
PRINT_HEIGHT = 180
PRINT_FONT_PT = 8


def _values(rows: list[dict[str, Any]], key: str) -> list[Decimal | None]:
    return [None if row.get(key) in (None, "") else Decimal(str(row[key])) for row in rows]


def _percent(value: Number) -> str:
    return f"{number_format(value, decimal_pos=1)} %"


def _count(value: Number) -> str:
    return number_format(round(float(value)), decimal_pos=0, force_grouping=True)


def _currency() -> str:
    return SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)


def _short_money(value: Number) -> str:
    return f"{compact_number(value)} {_currency()}"


def _years(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with a row for every year between the first and the last: a year without
    any figures is there, empty, so the charts show it as a gap."""
    if not rows:
        return []
    by_year = {int(row["year"]): row for row in rows}
    return [by_year.get(year, {"year": year}) for year in range(min(by_year), max(by_year) + 1)]


def _trim(years: list[str], series: list[Series]) -> tuple[list[str], list[Series]]:
    """Leave out leading and trailing years in which no series has a value (a chart of
    customer issues does not start with the years before the first contract)."""

    def empty(index: int) -> bool:
        return all(s.values[index] in (None, 0) for s in series)

    first, last = 0, len(years) - 1
    while first <= last and empty(first):
        first += 1
    while last >= first and empty(last):
        last -= 1
    return years[first : last + 1], [
        Series(s.label, list(s.values[first : last + 1])) for s in series
    ]


def review_charts(
    rows: list[dict[str, Any]],
    *,
    internal: bool,
    for_print: bool = False,
    until: date | None = None,
) -> list[Chart]:
    """Revenue against target (and the contribution margin, internal only), attainment,
    share of wallet, NPS, customer issues and contract value over the years. With `until`
    (the meeting date) no year after it is drawn, even from a snapshot taken before the
    meeting was moved to an earlier year."""
    if until is not None:
        rows = [row for row in rows if int(row["year"]) <= until.year]
    rows = _years(rows)
    if not rows:
        return []
    years = [str(row["year"]) for row in rows]
    money_series = [Series(_("Revenue"), _values(rows, "revenue"))]
    money_axis = partial(compact_axis, unit=_currency()) if for_print else None
    money_label = _short_money if for_print else money
    percent_axis = partial(compact_axis, unit="%") if for_print else None
    count_axis = compact_axis
    specs: list = []
    if internal:
        # Targets, attainment, share of wallet and the margin are ours alone: the
        # customer's folder shows the revenue without them.
        money_series += [
            Series(_("Revenue target"), _values(rows, "revenue_target")),
            Series(_("Contribution margin"), _values(rows, "margin")),
        ]
        specs += [
            (bar_chart, _("Revenue and target"), _("Revenue per year against the target."),
             money_series, money, money_axis, money_label),
            (line_chart, _("Target attainment"), _("Revenue as a share of the target, per year."),
             [Series(_("Target attainment"), _values(rows, "attainment"))], _percent,
             percent_axis, _percent),
            (line_chart, _("Share of wallet"),
             _("Our revenue as a share of the customer's total spend in our field."),
             [Series(_("Share of wallet"), _values(rows, "share_of_wallet"))], _percent,
             percent_axis, _percent),
        ]  # fmt: skip
    else:
        specs.append(
            (bar_chart, _("Revenue"), _("Revenue per year."), money_series, money, money_axis,
             money_label)
        )  # fmt: skip
    specs += [
        (line_chart, _("Net promoter score"), _("NPS from the satisfaction surveys, per year."),
         [Series("NPS", _values(rows, "nps"))], _count, count_axis, _count),
        (bar_chart, _("Customer issues"), _("Issues opened and solved in time, per year."),
         [Series(_("Issues opened"), _values(rows, "issues_opened")),
          Series(_("Issues solved in time"), _values(rows, "issues_solved_in_time"))], _count,
         count_axis, _count),
        (bar_chart, _("Contract value"), _("Annual value of the contracts running, per year."),
         [Series(_("Contract value"), _values(rows, "contract_value"))], money, money_axis,
         money_label),
    ]  # fmt: skip
    size: dict[str, Any] = (
        {"width": PRINT_WIDTH, "height": PRINT_HEIGHT, "font_size": PRINT_FONT_PT}
        if for_print
        else {}
    )
    charts = []
    for draw, title, description, series, value_format, axis_format, label_format in specs:
        if not any(v is not None and v != 0 for s in series for v in s.values):
            continue
        categories, series = _trim(years, series)
        charts.append(
            draw(
                title=title,
                description=description,
                categories=categories,
                series=series,
                value_format=value_format,
                axis_format=axis_format,
                label_format=label_format,
                # NPS and issues are counts: ticks at whole numbers only.
                whole=value_format is _count,
                **size,
            )
        )
    return charts
