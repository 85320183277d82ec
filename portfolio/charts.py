"""The portfolio's charts, drawn by kam.charts; the words are here, the drawing there."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from kam import charts
from portfolio.selectors import Cockpit


def pareto(cockpit: Cockpit) -> charts.Chart | None:
    curve = cockpit.pareto
    if curve is None or not curve.points:
        return None
    boundaries = {c.abc: c for c in curve.classes}
    parts = [
        _("%(abc)s: %(units)s units, %(share)s %% of revenue")
        % {
            "abc": c.abc,
            "units": c.units,
            "share": charts.percent_label(c.revenue_share).rstrip(" %"),
        }
        for c in boundaries.values()
    ]
    # The table: the first ten ranks and the last unit of each class.
    ends, rank = set(), 0
    for c in curve.classes:
        rank += c.units
        ends.add(rank)
    rows = [(r, v) for r, v in curve.points if r <= 10 or r in ends]
    return charts.pareto_chart(
        title=_("Pareto curve %(year)s") % {"year": cockpit.year},
        description=_(
            "Cumulative share of revenue over %(units)s customers (groups counted once), "
            "ranked by revenue. %(classes)s."
        )
        % {"units": curve.units, "classes": "; ".join(parts)},
        points=curve.points,
        units=curve.units,
        lines=[
            (
                settings.PORTFOLIO_ABC_A,
                _("A line %(value)s %%") % {"value": settings.PORTFOLIO_ABC_A},
            ),
            (
                settings.PORTFOLIO_ABC_B,
                _("B line %(value)s %%") % {"value": settings.PORTFOLIO_ABC_B},
            ),
        ],
        x_label=_("Customers ranked by revenue"),
        y_label=_("Cumulative share of revenue"),
        table_points=rows,
    )


def hhi_trend(cockpit: Cockpit) -> charts.Chart | None:
    if not cockpit.summaries:
        return None
    return charts.line_chart(
        title=_("Concentration (HHI) per year"),
        description=_(
            "Herfindahl-Hirschman index of revenue per year, 0 to 10,000; above 2,500 the "
            "revenue is highly concentrated."
        ),
        categories=[str(s.year) for s in cockpit.summaries],
        series=[charts.Series(_("HHI"), [s.hhi for s in cockpit.summaries])],
    )


def top_shares(cockpit: Cockpit) -> charts.Chart | None:
    if not cockpit.summaries:
        return None
    summaries = cockpit.summaries
    return charts.line_chart(
        title=_("Top customers' and key accounts' share of revenue"),
        description=_(
            "Share of revenue of the 5 and 10 biggest customers and of all key accounts, per "
            "year, in percent."
        ),
        categories=[str(s.year) for s in summaries],
        series=[
            charts.Series(_("Top 5"), [s.top5_share for s in summaries]),
            charts.Series(_("Top 10"), [s.top10_share for s in summaries]),
            charts.Series(_("Key accounts"), [s.key_share for s in summaries]),
        ],
        value_format=charts.percent_label,
    )
