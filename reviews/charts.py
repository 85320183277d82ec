"""The review's charts, drawn as inline SVG by kam.charts: the same SVG on the review page
and in the presentation folder. Built from the key-figure rows of the figures section
(amounts as strings); a chart without a single value is left out."""

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kam.charts import Chart, Series, bar_chart, line_chart
from kam.formats import money


def _values(rows: list[dict[str, Any]], key: str) -> list[Decimal | None]:
    return [None if row.get(key) in (None, "") else Decimal(str(row[key])) for row in rows]


def _percent(value) -> str:
    return f"{number_format(value, decimal_pos=1)} %"


def review_charts(rows: list[dict[str, Any]], *, internal: bool) -> list[Chart]:
    """Revenue against target (and the contribution margin, internal only), attainment,
    share of wallet, NPS, customer issues and contract value over the years."""
    if not rows:
        return []
    years = [str(row["year"]) for row in rows]
    money_series = [Series(_("Revenue"), _values(rows, "revenue"))]
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
             money_series, money),
            (line_chart, _("Target attainment"), _("Revenue as a share of the target, per year."),
             [Series(_("Target attainment"), _values(rows, "attainment"))], _percent),
            (line_chart, _("Share of wallet"),
             _("Our revenue as a share of the customer's total spend in our field."),
             [Series(_("Share of wallet"), _values(rows, "share_of_wallet"))], _percent),
        ]  # fmt: skip
    else:
        specs.append((bar_chart, _("Revenue"), _("Revenue per year."), money_series, money))
    specs += [
        (line_chart, _("Net promoter score"), _("NPS from the satisfaction surveys, per year."),
         [Series("NPS", _values(rows, "nps"))], str),
        (bar_chart, _("Customer issues"), _("Issues opened and solved in time, per year."),
         [Series(_("Issues opened"), _values(rows, "issues_opened")),
          Series(_("Issues solved in time"), _values(rows, "issues_solved_in_time"))], str),
        (bar_chart, _("Contract value"), _("Annual value of the contracts running, per year."),
         [Series(_("Contract value"), _values(rows, "contract_value"))], money),
    ]  # fmt: skip
    charts = []
    for draw, title, description, series, value_format in specs:
        if not any(v is not None and v != 0 for s in series for v in s.values):
            continue
        charts.append(
            draw(
                title=title,
                description=description,
                categories=years,
                series=series,
                value_format=value_format,
            )
        )
    return charts
