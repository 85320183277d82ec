"""The pipeline changes' waterfall, drawn by kam.charts; the words are here."""

from functools import partial

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deals.changes import PipelineChanges
from kam import charts
from kam.formats import SYMBOLS, money

BAR_LABELS = {
    "new": gettext_lazy("New"),
    "won": gettext_lazy("Won"),
    "lost": gettext_lazy("Lost"),
    "value": gettext_lazy("Value changed"),
    "forward": gettext_lazy("Moved forward"),
    "back": gettext_lazy("Moved back"),
    "pushed": gettext_lazy("Close date pushed out"),
}


def _short_money(value: charts.Number) -> str:
    return f"{charts.compact_number(value)} {SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)}"


def waterfall(changes: PipelineChanges) -> charts.Chart:
    """Opening pipeline, new, won, lost, value changed, closing pipeline; each change bar
    links to the table of its deals (#changes-<key>)."""
    start = date_format(changes.start, "SHORT_DATE_FORMAT")
    steps = [charts.Step(_("Opening %(date)s") % {"date": start}, changes.opening, total=True)]
    steps += [
        charts.Step(str(BAR_LABELS[bar.key]), bar.amount, href=f"#changes-{bar.key}")
        for bar in changes.flows
    ]
    steps.append(charts.Step(_("Closing today"), changes.closing, total=True))
    return charts.waterfall_chart(
        title=_("Open pipeline since %(date)s") % {"date": start},
        description=_(
            "Open pipeline value on %(start)s, the value of new, won and lost deals and of "
            "value changes since, and the open pipeline value today."
        )
        % {"start": start},
        steps=steps,
        legend=(_("Pipeline value"), _("Increase"), _("Decrease")),
        value_format=money,
        axis_format=partial(
            charts.compact_axis, unit=SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)
        ),
        label_format=_short_money,
    )
