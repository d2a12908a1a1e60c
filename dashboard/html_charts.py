"""Charts as plain HTML and inline SVG, for `st.html`.

A plotly chart costs a first visit a 4.7 MB script and its first draw: the
Karta page's time patterns need neither. These are drawn here as markup whose
size follows the chart's marks (7×24 squares, a bar per hour, a point per
week), never the number of incidents. Every mark's figures are in its hover
text (a `title`); every text from data is escaped. `meeting`: type for the wall
(nothing under 20 px where the chart fills half a slide).
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from dashboard.formatting import fmt_number
from dashboard.theme import shade

#: The drawing's width in px: drawn at most this wide, so its type stays the size given.
WIDTH = 560
BLUE, GREY, INK, GRID = "#0072B2", "#6E6E6E", "#0A0A0A", "#DDDDDD"
#: Column heads up to this many: the counts are written in the squares too.
WRITTEN_MAX = 8


def _count(value: float) -> str:
    return f"{fmt_number(value)} {'händelse' if value == 1 else 'händelser'}"


def heat_table(matrix: pd.DataFrame) -> str:
    """`hotspots.time_matrix` as a table of shaded squares (weekdays by hours, or
    day types by six-hour bands, with the counts written in), and a legend of the
    shades; NaN (a count the rule does not publish) leaves its square blank."""
    values = matrix.to_numpy(dtype=float)
    top = 0.0 if pd.isna(values).all() else float(pd.Series(values.ravel()).max())
    written = len(matrix.columns) <= WRITTEN_MAX
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in matrix.columns)
    rows = "".join(
        f'<tr><th scope="row">{escape(str(day))}</th>'
        + "".join(_square(f"{day} kl. {hour}", v, top, written) for hour, v in zip(matrix.columns, row))
        + "</tr>"
        for day, row in zip(matrix.index, values)
    )
    style = (
        "<style>.lb-heat{width:100%;table-layout:fixed;border-collapse:separate;border-spacing:2px;margin:0}"
        ".lb-heat th,.lb-heat td{padding:0;border:none;text-align:center;font-weight:400;font-size:.8em}"
        ".lb-heat th[scope=row]{text-align:left}.lb-heat td{height:1.7em;border:1px solid #E4E4E4}"
        ".lb-heat-key{display:flex;flex-wrap:wrap;gap:.3em 1em;margin:.4em 0 0}"
        ".lb-heat-key i{display:inline-block;width:1em;height:1em;margin-right:.35em;vertical-align:-.15em;"
        "border:1px solid #3A3A3A}</style>"
    )
    caption = "Timme" if len(matrix.columns) == 24 else "Tid på dygnet"
    table = f'<table class="lb-heat" aria-label="{caption}"><tr><th style="width:5.5em"></th>{head}</tr>{rows}</table>'
    return style + table + _heat_key(values, top)


def _square(where: str, value: float, top: float, written: bool) -> str:
    if pd.isna(value):
        return "<td></td>"
    colours = shade(value, top)
    style = f' style="background:{colours[0]};color:{colours[1]}"' if colours else ""
    return f'<td title="{escape(where)}: {_count(value)}"{style}>{fmt_number(value) if written else ""}</td>'


def _heat_key(values, top: float) -> str:
    """The shades with the counts shown in each, taken from the counts (a rounded count's key is rounded too)."""
    shown = pd.Series(values.ravel()).dropna()
    items = ['<span><i style="background:#FFFFFF"></i>0</span>'] if (shown == 0).any() else []
    counted = shown[shown > 0].sort_values()
    for colour, counts in counted.groupby(counted.map(lambda v: shade(v, top)[0]), sort=False):
        low, high = counts.iloc[0], counts.iloc[-1]
        span = fmt_number(low) if low == high else f"{fmt_number(low)}–{fmt_number(high)}"
        items.append(f'<span><i style="background:{colour}"></i>{span}</span>')
    return f'<div class="lb-heat-key"><strong>Antal händelser:</strong>{"".join(items)}</div>'


def table(frame: pd.DataFrame, max_height: int | None = None) -> str:
    """A plain table of `frame`'s cells as escaped text: the first column names
    (a place, a category), the others are figures, right-aligned and kept whole;
    scrolled within `max_height` px, if given."""
    style = (
        "<style>.lb-table{width:100%;border-collapse:collapse;margin:0 0 .5rem}"
        ".lb-table th,.lb-table td{padding:.3em .6em;border:none;border-bottom:1px solid #DDDDDD;text-align:left}"
        ".lb-table th{font-weight:600;border-bottom:2px solid #0A0A0A}"
        ".lb-table td+td,.lb-table th+th{text-align:right;white-space:nowrap;width:1%}</style>"
    )
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    table = f'<table class="lb-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return style + (f'<div style="max-height:{max_height}px;overflow-y:auto">{table}</div>' if max_height else table)


def week_step(weeks: int) -> int:
    """Weeks between labelled ticks: about 10–27 ticks over up to two years."""
    return 1 if weeks <= 16 else 4 if weeks <= 53 else 13


class _Plot:
    """An SVG plot area with a y axis from 0 to a round top, a title on each axis and the marks added."""

    def __init__(self, top: float, x_title: str, y_title: str, meeting: bool, unit: int, legend: bool = False):
        self.font = 22 if meeting else 15
        self.height = 440 if meeting else 340
        self.left, self.right = 4.6 * self.font, WIDTH - 12
        self.top_y, self.bottom = (2.2 * self.font if legend else self.font), self.height - 2.6 * self.font - 8
        self.step, self.known = _nice_step(top, unit), top > 0
        self.y_max = max(self.step, math.ceil(top / self.step) * self.step)
        self.parts = [self._y_axis(y_title), self._text(x_title, (self.left + self.right) / 2, self.height - 6, "middle")]

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_max * (self.bottom - self.top_y)

    def _text(self, text: str, x: float, y: float, anchor: str, extra: str = "") -> str:
        return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'

    def _y_axis(self, title: str) -> str:
        ticks = []
        for i in range(int(self.y_max / self.step) + 1 if self.known else 1):  # nothing shown: 0 only
            v = i * self.step
            ticks.append(f'<line x1="{self.left}" x2="{self.right}" y1="{self.y(v):.1f}" y2="{self.y(v):.1f}" stroke="{GRID}"/>')
            ticks.append(self._text(fmt_number(v), self.left - 6, self.y(v) + self.font * 0.35, "end"))
        middle = (self.top_y + self.bottom) / 2
        rotate = f' transform="rotate(-90 {self.font:.1f} {middle:.1f})"'
        return "".join(ticks) + self._text(title, self.font, middle, "middle", rotate)

    def x_label(self, text: str, x: float) -> None:
        lines = text.split(" ")
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 1.05}em">{escape(line)}</tspan>' for i, line in enumerate(lines)
        )
        self.parts.append(f'<text y="{self.bottom + self.font * 1.2:.1f}" text-anchor="middle">{spans}</text>')

    def svg(self, label: str) -> str:
        return (
            f'<svg viewBox="0 0 {WIDTH} {self.height}" width="100%" role="img" aria-label="{escape(label)}" '
            f'style="font-size:{self.font}px;fill:{INK};max-width:{WIDTH}px">'
            + "".join(self.parts)
            + "</svg>"
        )


def _nice_step(top: float, unit: int) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about four steps up to
    `top`, a multiple of `unit` (the rule's rounding: no tick between published counts)."""
    rough = max(top, 1) / 4
    power = 10 ** math.floor(math.log10(rough))
    nice = min(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return unit * max(1, math.ceil(nice / unit))


def weekly_trend(now: pd.DataFrame, before: pd.DataFrame | None, unit: int = 1, meeting: bool = False) -> str:
    """Incidents per week (frames of week, week_start, n) of the selected period,
    solid blue, over the previous period's (unless None), dotted grey, on one
    axis of week numbers: week 1 of both periods above each other; a week whose
    count is not published (NaN) breaks its line. `unit`: the counts' rounding."""
    lines = [(before, "Föregående period", GREY, ' stroke-dasharray="3 5"')] if before is not None else []
    lines.append((now, "Vald period", BLUE, ""))
    weeks = max([int(f["week"].max()) for f, *_ in lines if not f.empty] or [1])
    top = max([float(f["n"].max()) for f, *_ in lines if f["n"].notna().any()] or [0])
    plot = _Plot(top, "Vecka i perioden", "Händelser per vecka", meeting, unit, legend=before is not None)

    def x(week: float) -> float:
        return plot.left + (week - 0.5) / weeks * (plot.right - plot.left)

    for week in range(1, weeks + 1, week_step(weeks)):
        plot.x_label(str(week), x(week))
    for frame, name, colour, dash in lines:
        plot.parts.append(_line(frame, x, plot.y, colour, dash, name))
    if before is not None:
        for i, (_, name, colour, dash) in enumerate(reversed(lines)):
            at = plot.left + i * 9 * plot.font
            plot.parts.append(
                f'<line x1="{at:.1f}" x2="{at + 2 * plot.font:.1f}" y1="{plot.font:.1f}" y2="{plot.font:.1f}" '
                f'stroke="{colour}" stroke-width="3"{dash}/>'
            )
            plot.parts.append(plot._text(name, at + 2.4 * plot.font, plot.font * 1.35, "start"))
    return plot.svg("Händelser per vecka")


def _line(frame: pd.DataFrame, x, y, colour: str, dash: str, name: str) -> str:
    """A line through the known weeks (broken at unknown ones) with a dot per week carrying its figures."""
    path, dots, joined = [], [], False
    for week, start, n in zip(frame["week"], frame["week_start"], frame["n"]):
        if pd.isna(n):
            joined = False
            continue
        path.append(f"{'L' if joined else 'M'}{x(week):.1f} {y(n):.1f}")
        joined = True
        tip = f"{name}, vecka {int(week)} (från {pd.Timestamp(start):%Y-%m-%d}): {_count(n)}"
        dots.append(f'<circle cx="{x(week):.1f}" cy="{y(n):.1f}" r="5" fill="{colour}"><title>{escape(tip)}</title></circle>')
    line = f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>' if path else ""
    return line + "".join(dots)


def hour_bars(hours: pd.DataFrame, unit: int = 1) -> str:
    """Incidents per time of day from rows (label: '00'–'23' or 'Vardag 00–06', …; n), a bar each
    (beside a clicked cell's details, never on the wall)."""
    top = float(hours["n"].max()) if hours["n"].notna().any() else 0
    plot = _Plot(top, "Timme" if len(hours) == 24 else "Tid på dygnet", "Händelser", False, unit)
    slot = (plot.right - plot.left) / max(len(hours), 1)
    for i, (label, n) in enumerate(zip(hours["label"], hours["n"])):
        centre = plot.left + (i + 0.5) * slot
        if len(hours) <= WRITTEN_MAX or i % 2 == 0:  # every other hour labelled: 24 fit at any width
            plot.x_label(str(label), centre)
        if pd.isna(n):
            continue
        plot.parts.append(
            f'<rect x="{centre - slot * 0.4:.1f}" y="{plot.y(n):.1f}" width="{slot * 0.8:.1f}" '
            f'height="{plot.bottom - plot.y(n):.1f}" fill="{BLUE}"><title>{escape(f"kl. {label}: {_count(n)}")}</title></rect>'
        )
    return plot.svg("Händelser per tid på dygnet")
