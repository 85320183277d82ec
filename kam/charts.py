"""Charts drawn by the server as inline SVG, for pages and for the PDF folders alike.

A chart is readable without colour: each series has a fill pattern (bars) or a dash and
marker shape (lines) of its own, and every value is written next to its bar or point.
It is accessible: the SVG has a title and a description, and `Chart.table` gives the
numbers for a table beside it (templates/partials/chart.html renders both).

Only SVG presentation attributes are used, no `style`, so the Content Security Policy
(style-src 'self') and WeasyPrint both accept the markup as it is.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = Decimal | int | float

# Grey levels and hatchings that stay distinct in black-and-white print.
_INKS = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#404040"]
_PATTERNS = ["solid", "hatch", "dots", "cross", "back-hatch", "grid"]
_DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]
_MARKERS = ["circle", "square", "triangle", "diamond", "circle", "square"]


def plain_number(value: Number) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def compact_number(value: Number, *, decimals: int | None = None) -> str:
    """A large number shortened for a chart's axis or label, in the active language:
    1250000 as "1,25 Mio." in German and "1.25 m" in English. Without `decimals`, one
    decimal where the shortened number is below ten, none above."""
    number = float(value)
    size = abs(number)
    units = [
        (1e9, _("%(number)s bn")),
        (1e6, _("%(number)s m")),
        (1e3, _("%(number)s k")),
    ]
    for scale, template in units:
        if size >= scale:
            short = number / scale
            places = decimals if decimals is not None else (1 if abs(short) < 10 else 0)
            text = number_format(Decimal(str(round(short, places))), decimal_pos=places)
            return template % {"number": text}
    places = decimals if decimals is not None else 0
    return number_format(
        Decimal(str(round(number, places))), decimal_pos=places, force_grouping=True
    )


def axis_decimals(step: float, scale: float) -> int:
    """Decimal places an axis needs so that neighbouring ticks differ (a step of 250,000
    in millions needs two: 0,25 Mio.)."""
    shortened = step / scale
    places = 0
    while places < 3 and abs(round(shortened, places) - shortened) > 1e-9:
        places += 1
    return places


def compact_axis(step: float, top: float, *, unit: str = "") -> Callable[[Number], str]:
    """A tick formatter for an axis with this step up to `top` (the largest tick in size):
    one scale for every tick (0,5 Mio. and 1,0 Mio., not 500 Tsd.), localised, with `unit`
    ("€", "%") after the number."""
    suffix = f" {unit}" if unit else ""
    scale = next((s for s in (1e9, 1e6, 1e3) if abs(top) >= s), 1.0)
    places = axis_decimals(step, scale)

    def fmt(value: Number) -> str:
        if float(value) == 0:
            return "0" + suffix
        if scale == 1.0:
            return compact_number(value, decimals=places) + suffix
        units = {1e9: _("%(number)s bn"), 1e6: _("%(number)s m"), 1e3: _("%(number)s k")}
        short = Decimal(str(round(float(value) / scale, places)))
        return units[scale] % {"number": number_format(short, decimal_pos=places)} + suffix

    return fmt


def _text_width(text: str, size: float) -> float:
    """About how wide a text of this size is (DejaVu Sans averages 0.6 em a letter)."""
    return 0.6 * size * len(text)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString
    categories: list[str]
    series_labels: list[str]
    # One row per category: (category, [formatted value per series]).
    table: list[tuple[str, list[str]]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.svg


@dataclass(frozen=True)
class _Frame:
    """The plotting area inside the SVG and the value scale."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    low: float
    high: float

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.top + self.plot_height * (1 - (value - self.low) / span)


def _nice_step(span: float, ticks: int = 4, *, whole: bool = False) -> float:
    """A round tick step for the span; with `whole` (counts) a whole number, at least 1
    and never 2.5 (no tick at 0.5 or 7.5 of a count)."""
    raw = span / ticks if span > 0 else 1.0
    if whole and raw <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if whole and magnitude < 10 else (1, 2, 2.5, 5, 10)
    for factor in factors:
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _scale(values: list[float], *, zero: bool, whole: bool = False) -> tuple[float, float, float]:
    """Low and high end of the axis and the tick step, with zero on the axis for bars;
    `whole` for counts: whole-number ticks only."""
    low = min(values, default=0.0)
    high = max(values, default=1.0)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = low + 1.0
    step = _nice_step(high - low, whole=whole)
    low = step * (low // step)
    high = step * -(-high // step)
    return low, high, step


def _defs(chart_id: str, count: int) -> str:
    parts = []
    for index in range(count):
        ink, kind = _INKS[index % len(_INKS)], _PATTERNS[index % len(_PATTERNS)]
        pid = f"{chart_id}-p{index}"
        shapes = {
            "solid": "",
            "hatch": '<path d="M0,6 L6,0" stroke="#fff" stroke-width="1.5"/>',
            "back-hatch": '<path d="M0,0 L6,6" stroke="#fff" stroke-width="1.5"/>',
            "dots": '<circle cx="3" cy="3" r="1.2" fill="#fff"/>',
            "cross": '<path d="M0,3 H6 M3,0 V6" stroke="#fff" stroke-width="1"/>',
            "grid": '<path d="M0,0 H6 V6" fill="none" stroke="#fff" stroke-width="1"/>',
        }[kind]
        parts.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{ink}"/>{shapes}</pattern>'
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _axis(frame: _Frame, step: float, fmt: Callable[[Number], str], *, font: float = 9) -> str:
    parts = []
    tick = frame.low
    while tick <= frame.high + step / 1000:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#d0d0d0" stroke-width="0.5"/>'
            f'<text x="{frame.left - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="{font:g}" '
            f'fill="#333">{escape(fmt(tick))}</text>'
        )
        tick += step
    return "".join(parts)


def _legend_places(
    labels: list[str], *, start: float, width: float, font: float
) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: entries wrap onto a new row at the chart's edge."""
    places, x, row = [], start, 0
    for label in labels:
        entry = 22 + _text_width(label, font)
        if x > start and x + entry > width:
            x, row = start, row + 1
        places.append((x, row))
        x += entry + 8
    return places


def _legend(
    frame: _Frame, chart_id: str, labels: list[str], *, lines: bool, font: float = 10
) -> str:
    parts = []
    places = _legend_places(labels, start=frame.left, width=frame.width, font=font)
    rows = max((row for _x, row in places), default=0) + 1
    for index, (label, (x, row)) in enumerate(zip(labels, places, strict=True)):
        y = frame.height - 8 - (rows - 1 - row) * (font + 4)
        if lines:
            parts.append(
                f'<line x1="{x}" x2="{x + 18}" y1="{y - 3}" y2="{y - 3}" '
                f'stroke="{_INKS[index % len(_INKS)]}" stroke-width="2" '
                f'stroke-dasharray="{_DASHES[index % len(_DASHES)]}"/>'
                + _marker(index, x + 9, y - 3)
            )
        else:
            parts.append(
                f'<rect x="{x}" y="{y - 9}" width="12" height="10" '
                f'fill="url(#{chart_id}-p{index})" stroke="#000" stroke-width="0.5"/>'
            )
        parts.append(
            f'<text x="{x + 22}" y="{y}" font-size="{font:g}" fill="#000">{escape(label)}</text>'
        )
    return "".join(parts)


def _bottom(labels: list[str], *, left: float, width: float, font_size: float | None) -> int:
    """Room under the plot for the category names and the legend's rows."""
    if font_size is None:
        base, font = 48, 10.0
    else:
        base, font = round(3.2 * font_size + 12), font_size
    places = _legend_places(labels, start=left, width=width, font=font)
    rows = max((row for _x, row in places), default=0) + 1
    return base + round((rows - 1) * (font + 4))


def _marker(index: int, x: float, y: float) -> str:
    ink = _INKS[index % len(_INKS)]
    shape = _MARKERS[index % len(_MARKERS)]
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{ink}"/>'
    if shape == "triangle":
        points = [(x, y - 4), (x + 4, y + 3), (x - 4, y + 3)]
        return _polygon(points, ink)
    if shape == "diamond":
        points = [(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)]
        return _polygon(points, ink)
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ink}"/>'


def _polygon(points: list[tuple[float, float]], ink: str) -> str:
    return (
        '<path d="M' + " L".join(f"{px:.1f},{py:.1f}" for px, py in points) + f' Z" fill="{ink}"/>'
    )


def _svg(chart_id: str, title: str, description: str, frame: _Frame, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in body is escaped where it is built
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="{frame.width}" height="{frame.height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" font-family="DejaVu Sans, sans-serif">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{body}</svg>'
    )


def _table(
    categories: list[str], series: Sequence[Series], fmt: Callable[[Number], str]
) -> list[tuple[str, list[str]]]:
    return [
        (category, ["–" if s.values[i] is None else fmt(s.values[i]) for s in series])  # type: ignore[arg-type]
        for i, category in enumerate(categories)
    ]


def _chart_id(title: str, categories: Sequence[str], series: Sequence[Series]) -> str:
    """Stable per content, so the same chart renders the same bytes (PDF checksums)."""
    key = repr((title, list(categories), [(s.label, list(s.values)) for s in series]))
    return "chart-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"series {s.label!r} has {len(s.values)} values, not {len(categories)}"
            )


@dataclass(frozen=True)
class _Type:
    """Text sizes of a chart: the page's defaults, or one size for every text when a chart
    is drawn for print at its printed size (the folder: 8 pt and more)."""

    tick: float = 9
    value: float = 8
    category: float = 10
    legend: float = 10

    @classmethod
    def of(cls, font_size: float | None) -> _Type:
        if font_size is None:
            return cls()
        return cls(font_size, font_size, font_size, font_size)


def _ticks(low: float, high: float, step: float) -> list[float]:
    ticks, tick = [], low
    while tick <= high + step / 1000:
        ticks.append(tick)
        tick += step
    return ticks


def _left_margin(low: float, high: float, step: float, fmt, size: float) -> int:
    """Room for the widest tick label left of the plot, at least the former 64 units
    wide on the page."""
    widest = max(_text_width(fmt(tick), size) for tick in _ticks(low, high, step))
    return max(64 if size >= 9 else 0, math.ceil(widest + 8))


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_format: Callable[[Number], str] = plain_number,
    axis_format: Callable[[float, float], Callable[[Number], str]] | None = None,
    label_format: Callable[[Number], str] | None = None,
    font_size: float | None = None,
    whole: bool = False,
    width: int = 560,
    height: int = 260,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series. A value of None
    draws no bar (a gap), never a zero. `axis_format(step, top)` gives the tick formatter
    (default `value_format`), `label_format` the values written over the bars (default
    `value_format`; a label wider than its bar is left out, the table beside the chart
    has every value); `font_size` sets every text to one size (print)."""
    _check(categories, series)
    sizes = _Type.of(font_size)
    labels = label_format or value_format
    chart_id = _chart_id(title, categories, series)
    values = [float(v) for s in series for v in s.values if v is not None]
    low, high, step = _scale(values, zero=True, whole=whole)
    ticks = axis_format(step, max(abs(low), abs(high))) if axis_format else value_format
    left = _left_margin(low, high, step, ticks, sizes.tick)
    bottom = _bottom([s.label for s in series], left=left, width=width, font_size=font_size)
    frame = _Frame(width, height, left=left, right=12, top=16, bottom=bottom, low=low, high=high)
    group = frame.plot_width / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    body = [_defs(chart_id, len(series)), _axis(frame, step, ticks, font=sizes.tick)]
    for c, category in enumerate(categories):
        x0 = frame.left + c * group + group * 0.1
        for s_index, s in enumerate(series):
            value = s.values[c]
            if value is None:
                continue
            top, base = frame.y(max(float(value), 0.0)), frame.y(min(float(value), 0.0))
            x = x0 + s_index * bar
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar * 0.92:.1f}" '
                f'height="{max(base - top, 0.5):.1f}" fill="url(#{chart_id}-p{s_index})" '
                f'stroke="#000" stroke-width="0.5"><title>{escape(s.label)}, {escape(category)}: '
                f"{escape(value_format(value))}</title></rect>"
            )
            label = labels(value)
            fits = bar >= 18 if font_size is None else _text_width(label, sizes.value) <= bar
            if fits:
                body.append(
                    f'<text x="{x + bar * 0.46:.1f}" y="{top - 3:.1f}" text-anchor="middle" '
                    f'font-size="{sizes.value:g}" fill="#000">{escape(label)}</text>'
                )
        body.append(
            f'<text x="{x0 + group * 0.4:.1f}" '
            f'y="{frame.height - frame.bottom + sizes.category + 4:g}" text-anchor="middle" '
            f'font-size="{sizes.category:g}" fill="#000">{escape(category)}</text>'
        )
    body.append(_legend(frame, chart_id, [s.label for s in series], lines=False, font=sizes.legend))
    return Chart(
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, frame, "".join(body)),
        categories=list(categories),
        series_labels=[s.label for s in series],
        table=_table(list(categories), series, value_format),
    )


def line_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_format: Callable[[Number], str] = plain_number,
    axis_format: Callable[[float, float], Callable[[Number], str]] | None = None,
    label_format: Callable[[Number], str] | None = None,
    font_size: float | None = None,
    whole: bool = False,
    zero_based: bool = True,
    width: int = 560,
    height: int = 260,
) -> Chart:
    """One line per series over the categories (e.g. years); gaps where a value is None.
    `axis_format`, `label_format`, `font_size` and `whole` as for bar_chart."""
    _check(categories, series)
    sizes = _Type.of(font_size)
    labels = label_format or value_format
    chart_id = _chart_id(title, categories, series)
    values = [float(v) for s in series for v in s.values if v is not None]
    low, high, step = _scale(values, zero=zero_based, whole=whole)
    ticks = axis_format(step, max(abs(low), abs(high))) if axis_format else value_format
    left = _left_margin(low, high, step, ticks, sizes.tick)
    bottom = _bottom([s.label for s in series], left=left, width=width, font_size=font_size)
    frame = _Frame(width, height, left=left, right=24, top=16, bottom=bottom, low=low, high=high)
    slot = frame.plot_width / max(len(categories), 1)
    xs = [frame.left + slot * (i + 0.5) for i in range(len(categories))]
    body = [_axis(frame, step, ticks, font=sizes.tick)]
    for s_index, s in enumerate(series):
        ink = _INKS[s_index % len(_INKS)]
        path, pen_down = [], False
        for x, value in zip(xs, s.values, strict=True):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{frame.y(float(value)):.1f}")
            pen_down = True
        body.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{ink}" stroke-width="2" '
            f'stroke-dasharray="{_DASHES[s_index % len(_DASHES)]}"/>'
        )
        for x, value in zip(xs, s.values, strict=True):
            if value is None:
                continue
            y = frame.y(float(value))
            body.append(_marker(s_index, x, y))
            label = labels(value)
            if font_size is None or _text_width(label, sizes.value) <= slot:
                body.append(
                    f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" '
                    f'font-size="{sizes.value:g}" fill="#000">{escape(label)}</text>'
                )
    for x, category in zip(xs, categories, strict=True):
        body.append(
            f'<text x="{x:.1f}" y="{frame.height - frame.bottom + sizes.category + 4:g}" '
            f'text-anchor="middle" font-size="{sizes.category:g}" fill="#000">'
            f"{escape(category)}</text>"
        )
    body.append(_legend(frame, chart_id, [s.label for s in series], lines=True, font=sizes.legend))
    return Chart(
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, frame, "".join(body)),
        categories=list(categories),
        series_labels=[s.label for s in series],
        table=_table(list(categories), series, value_format),
    )


def _x_axis(frame: _Frame, low: float, high: float, step: float, fmt, x_of) -> str:
    parts = []
    tick = low
    while tick <= high + step / 1000:
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" '
            f'y2="{frame.height - frame.bottom}" stroke="#e4e4e4" stroke-width="0.5"/>'
            f'<text x="{x:.1f}" y="{frame.height - frame.bottom + 12}" text-anchor="middle" '
            f'font-size="9" fill="#333">{escape(fmt(tick))}</text>'
        )
        tick += step
    return "".join(parts)


def _axis_label(frame: _Frame, x_label: str, y_label: str) -> str:
    mid_y = frame.top + frame.plot_height / 2
    return (
        f'<text x="{frame.left + frame.plot_width / 2:.1f}" '
        f'y="{frame.height - frame.bottom + 26}" text-anchor="middle" font-size="10" '
        f'fill="#000">{escape(x_label)}</text>'
        f'<text x="12" y="{mid_y:.1f}" text-anchor="middle" font-size="10" fill="#000" '
        f'transform="rotate(-90 12 {mid_y:.1f})">{escape(y_label)}</text>'
    )


def percent_label(value: Number) -> str:
    return f"{number_format(value, decimal_pos=1)} %"


def pareto_chart(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[int, Number]],
    units: int,
    lines: Sequence[tuple[Number, str]] = (),
    x_label: str = "",
    y_label: str = "",
    table_points: Sequence[tuple[int, Number]] | None = None,
    width: int = 560,
    height: int = 280,
) -> Chart:
    """A cumulative share (0-100 %) over ranks 1..units, as a stepped line with markers,
    and horizontal reference lines (e.g. the ABC lines) labelled at their right end.
    `table_points` chooses the rows of the table (all points by default)."""
    chart_id = _chart_id(
        title, [str(rank) for rank, _ in points], [Series("", [v for _, v in points])]
    )
    frame = _Frame(width, height, left=56, right=64, top=16, bottom=44, low=0.0, high=100.0)
    units = max(units, 1)

    def x_of(rank: float) -> float:
        return frame.left + frame.plot_width * rank / units

    rank_step = _nice_step(units, whole=True)
    body = [
        _axis(frame, 20.0, lambda v: f"{plain_number(v)} %"),
        _x_axis(frame, 0.0, float(units), rank_step, plain_number, x_of),
    ]
    for value, label in lines:
        y = frame.y(float(value))
        body.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#000" stroke-width="0.8" stroke-dasharray="4 3"/>'
            f'<text x="{frame.width - frame.right + 4}" y="{y + 3:.1f}" font-size="9" '
            f'fill="#000">{escape(label)}</text>'
        )
    path = [f"M{x_of(0):.1f},{frame.y(0):.1f}"]
    path += [f"L{x_of(rank):.1f},{frame.y(float(value)):.1f}" for rank, value in points]
    body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{_INKS[0]}" stroke-width="2"/>')
    for rank, value in points[:20]:
        body.append(_marker(0, x_of(rank), frame.y(float(value))))
    body.append(_axis_label(frame, x_label, y_label))
    rows = table_points if table_points is not None else points
    return Chart(
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, frame, "".join(body)),
        categories=[str(rank) for rank, _ in rows],
        series_labels=[y_label],
        table=[(plain_number(rank), [percent_label(value)]) for rank, value in rows],
    )


@dataclass(frozen=True)
class Bubble:
    """One bubble: x and y in 0-100, `size` (e.g. revenue) scales the area, `group` picks
    the ink and marker shape (e.g. the status), `url` makes it a link, `trail` holds
    earlier (x, y) positions, oldest first, drawn as a dashed path into the bubble."""

    label: str
    x: Number
    y: Number
    size: Number
    group: int = 0
    url: str = ""
    trail: Sequence[tuple[Number, Number]] = ()


def bubble_chart(
    *,
    title: str,
    description: str,
    bubbles: Sequence[Bubble],
    groups: Sequence[str],
    x_label: str,
    y_label: str,
    size_label: str,
    size_format: Callable[[Number], str] = plain_number,
    width: int = 560,
    height: int = 420,
) -> Chart:
    """A 0-100 × 0-100 portfolio matrix with quadrant lines at 50; bubble areas grow with
    `size`; groups differ by ink *and* by the shape of the centre marker."""
    key = [Series(b.label, [b.x, b.y, b.size]) for b in bubbles]
    chart_id = _chart_id(title, list(groups), key)
    frame = _Frame(width, height, left=56, right=16, top=16, bottom=64, low=0.0, high=100.0)

    def x_of(value: float) -> float:
        return frame.left + frame.plot_width * value / 100

    body = [
        _axis(frame, 25.0, plain_number),
        _x_axis(frame, 0.0, 100.0, 25.0, plain_number, x_of),
        f'<line x1="{x_of(50):.1f}" x2="{x_of(50):.1f}" y1="{frame.top}" '
        f'y2="{frame.height - frame.bottom}" stroke="#000" stroke-width="0.8"/>'
        f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{frame.y(50):.1f}" '
        f'y2="{frame.y(50):.1f}" stroke="#000" stroke-width="0.8"/>',
    ]
    biggest = max((float(b.size) for b in bubbles), default=0.0) or 1.0
    # Biggest first, so small bubbles stay on top and clickable.
    for bubble in sorted(bubbles, key=lambda b: -float(b.size)):
        ink = _INKS[bubble.group % len(_INKS)]
        x, y = x_of(float(bubble.x)), frame.y(float(bubble.y))
        radius = 4 + 22 * math.sqrt(max(float(bubble.size), 0.0) / biggest)
        trail = ""
        if bubble.trail:
            steps = [f"{x_of(float(tx)):.1f},{frame.y(float(ty)):.1f}" for tx, ty in bubble.trail]
            trail = (
                f'<path d="M{" L".join([*steps, f"{x:.1f},{y:.1f}"])}" fill="none" '
                f'stroke="{ink}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
        tip = (
            f"{bubble.label}: {x_label} {plain_number(bubble.x)}, {y_label} "
            f"{plain_number(bubble.y)}, {size_label} {size_format(bubble.size)}"
        )
        shape = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{ink}" '
            f'fill-opacity="0.35" stroke="{ink}" stroke-width="1"><title>{escape(tip)}</title>'
            f"</circle>{_marker(bubble.group, x, y)}"
            f'<text x="{x:.1f}" y="{y - radius - 2:.1f}" text-anchor="middle" font-size="8" '
            f'fill="#000">{escape(bubble.label)}</text>'
        )
        if bubble.url:
            shape = f'<a href="{escape(bubble.url)}" aria-label="{escape(tip)}">{shape}</a>'
        body.append(trail + shape)
    body.append(_axis_label(frame, x_label, y_label))
    body.append(_legend(frame, chart_id, list(groups), lines=True))
    return Chart(
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, frame, "".join(body)),
        categories=[b.label for b in bubbles],
        series_labels=[x_label, y_label, size_label],
        table=[
            (b.label, [plain_number(b.x), plain_number(b.y), size_format(b.size)]) for b in bubbles
        ],
    )


def histogram(
    *,
    title: str,
    description: str,
    counts: Sequence[int],
    edges: Sequence[Number],
    series_label: str,
    width: int = 560,
    height: int = 240,
) -> Chart:
    """Counts per bin as bars; bin i runs from edges[i] to edges[i + 1] (the last bin
    includes its upper edge). The binning itself belongs in SQL, next to the data."""
    if len(edges) != len(counts) + 1:
        raise ValueError(f"{len(counts)} bins need {len(counts) + 1} edges, not {len(edges)}")
    categories = [
        f"{plain_number(low)}–{plain_number(high)}"
        for low, high in zip(edges, edges[1:], strict=False)
    ]
    return bar_chart(
        title=title,
        description=description,
        categories=categories,
        series=[Series(series_label, list(counts))],
        whole=True,
        width=width,
        height=height,
    )


@dataclass(frozen=True)
class Step:
    """One bar of a waterfall: a total (drawn from zero) or a change (drawn from the
    running total); `href` makes the bar a link (to the table of what is behind it)."""

    label: str
    value: Number
    total: bool = False
    href: str = ""


def waterfall_chart(
    *,
    title: str,
    description: str,
    steps: Sequence[Step],
    legend: tuple[str, str, str],
    value_format: Callable[[Number], str] = plain_number,
    axis_format: Callable[[float, float], Callable[[Number], str]] | None = None,
    label_format: Callable[[Number], str] | None = None,
    width: int = 640,
    height: int = 280,
) -> Chart:
    """A waterfall: totals as bars from zero, each change as a bar floating from the
    running total, up or down, joined by thin lines. `legend` names the totals, the
    increases and the decreases; they are told apart by fill pattern, not colour alone.
    Each change's label carries its sign."""
    sizes = _Type()
    labels = label_format or value_format
    series = [Series(legend[0], [s.value for s in steps])]
    chart_id = _chart_id(title, [s.label for s in steps], series)
    running, spans = 0.0, []
    for step in steps:
        value = float(step.value)
        if step.total:
            spans.append((0.0, value))
            running = value
        else:
            spans.append((running, running + value))
            running += value
    low, high, step_size = _scale([v for span in spans for v in span], zero=True)
    ticks = axis_format(step_size, max(abs(low), abs(high))) if axis_format else value_format
    left = _left_margin(low, high, step_size, ticks, sizes.tick)
    bottom = _bottom([legend[0], legend[2], legend[1]], left=left, width=width, font_size=None) + 12
    frame = _Frame(width, height, left=left, right=12, top=18, bottom=bottom, low=low, high=high)
    slot = frame.plot_width / max(len(steps), 1)
    bar = slot * 0.7
    body = [_defs(chart_id, 3), _axis(frame, step_size, ticks, font=sizes.tick)]
    for index, (step, (start, end)) in enumerate(zip(steps, spans, strict=True)):
        x = frame.left + index * slot + slot * 0.15
        top, base = frame.y(max(start, end)), frame.y(min(start, end))
        pattern = 0 if step.total else (2 if end >= start else 1)
        text = labels(step.value) if step.total else _signed(labels, step.value)
        rect = (
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" '
            f'height="{max(base - top, 0.5):.1f}" '
            f'fill="url(#{chart_id}-p{pattern})" stroke="#000" stroke-width="0.5">'
            f"<title>{escape(step.label)}: {escape(text)}</title></rect>"
        )
        if step.href:
            rect = f'<a href="{escape(step.href)}" class="chart-bar-link">{rect}</a>'
        body.append(rect)
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle" '
            f'font-size="{sizes.value:g}" fill="#000">{escape(text)}</text>'
        )
        if index + 1 < len(steps):
            y = frame.y(end)
            body.append(
                f'<line x1="{x + bar:.1f}" x2="{x + slot:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#555" stroke-width="0.7" stroke-dasharray="2 2"/>'
            )
        first_line = frame.height - frame.bottom + sizes.category + 4
        body.extend(
            f'<text x="{x + bar / 2:.1f}" y="{first_line + row * (sizes.category + 2):g}" '
            f'text-anchor="middle" font-size="{sizes.category:g}" fill="#000">{escape(line)}</text>'
            for row, line in enumerate(_wrap(step.label, slot, sizes.category))
        )
    # Pattern 0 the totals, 1 (hatched) the decreases, 2 (dotted) the increases.
    names = [legend[0], legend[2], legend[1]]
    body.append(_legend(frame, chart_id, names, lines=False, font=sizes.legend))
    return Chart(
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, frame, "".join(body)),
        categories=[s.label for s in steps],
        series_labels=[legend[0]],
        table=[
            (s.label, [value_format(s.value) if s.total else _signed(value_format, s.value)])
            for s in steps
        ],
    )


def _signed(fmt: Callable[[Number], str], value: Number) -> str:
    return ("+" if float(value) > 0 else "") + fmt(value)


def _wrap(label: str, width: float, size: float) -> list[str]:
    """A category name on at most two lines under its bar."""
    if _text_width(label, size) <= width or " " not in label:
        return [label]
    words = label.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        first = " ".join(words[:cut])
        if _text_width(first, size) <= width:
            return [first, " ".join(words[cut:])]
    return [words[0], " ".join(words[1:])]
