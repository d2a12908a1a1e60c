"""Colours and chart layout for a projector: high contrast, Swedish charts.

`CHART_COLORS` is the Okabe-Ito palette (colour-blind safe); `kommun_colors`
gives each municipality the same colour on every chart of the app.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

#: Okabe-Ito without its yellow, which cannot be read as a line on white.
CHART_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Sequential (few -> many) and diverging (decrease -> increase) scales, colour-blind safe.
SEQUENTIAL = ("#FFF7BC", "#FEC44F", "#EC7014", "#993404", "#4A1A04")
DIVERGING = ("#2166AC", "#67A9CF", "#F7F7F7", "#EF8A62", "#B2182B")


def shade(value: float, top: float) -> tuple[str, str] | None:
    """A count's square among counts up to `top`: its SEQUENTIAL colour and a text
    colour readable on it (white on the darkest two); None for 0."""
    if not value:
        return None
    i = min(len(SEQUENTIAL) - 1, int(len(SEQUENTIAL) * value / (top + 1)))
    return SEQUENTIAL[i], "#FFFFFF" if i >= len(SEQUENTIAL) - 2 else "#0A0A0A"


def kommun_colors(kommun_kods) -> dict[str, str]:
    """A stable colour per municipality code (same code, same colour, everywhere)."""
    return {k: CHART_COLORS[i % len(CHART_COLORS)] for i, k in enumerate(sorted(kommun_kods))}


def swedish_layout(fig: go.Figure, height: int = 420) -> go.Figure:
    """Swedish separators (1 234,5), ISO dates, large fonts, no plotly logo clutter."""
    fig.update_layout(
        separators=", ",
        font={"size": 17, "color": "#0A0A0A"},
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        colorway=list(CHART_COLORS),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="#FFFFFF",
    )
    fig.update_xaxes(gridcolor="#DDDDDD")
    fig.update_yaxes(gridcolor="#DDDDDD")
    return fig


def date_axis(fig: go.Figure, min_months: int = 1) -> go.Figure:
    """Swedish ticks on a date x axis, computed here (plotly's own month names
    are English): months ('sep 2026'), quarters ('kv. 3 2026') or years, each
    tick once, at most `MAX_TICKS`; never finer than `min_months` (a yearly
    series gets year ticks). Hover shows the ISO date."""
    days = _x_dates(fig)
    if days:
        values, texts = date_ticks(min(days), max(days), min_months)
        fig.update_xaxes(tickmode="array", tickvals=values, ticktext=texts)
    return fig.update_xaxes(hoverformat="%Y-%m-%d")


MAX_TICKS = 8
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
#: Tick spacing in months, the finest that keeps to MAX_TICKS wins.
_TICK_STEPS = (1, 2, 3, 6, 12, 24, 60)


def date_ticks(first: date, last: date, min_months: int = 1) -> tuple[list[date], list[str]]:
    """Tick positions (first days of months, quarters or years) between two
    dates and their Swedish labels."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in _TICK_STEPS if s >= min_months and months / s <= MAX_TICKS), _TICK_STEPS[-1])
    index = first.year * 12 + first.month - 1
    index += -index % step  # the first tick on a whole step (quarter, year) at or after `first`
    if index == first.year * 12 + first.month - 1 and first.day > 1:
        index += step
    ticks = [date(i // 12, i % 12 + 1, 1) for i in range(index, last.year * 12 + last.month, step)]
    return ticks, [_tick_label(t, step) for t in ticks]


def _tick_label(day: date, step: int) -> str:
    if step >= 12:
        return str(day.year)
    if step % 3 == 0:
        return f"kv.\u00a0{(day.month - 1) // 3 + 1} {day.year}"
    return f"{MONTHS_SHORT[day.month - 1]} {day.year}"


def _x_dates(fig: go.Figure) -> list[date]:
    """Every date on the x axis: the traces' x values and the shapes' edges (shaded periods)."""
    values = [x for trace in fig.data if trace.x is not None for x in trace.x]
    values += [edge for shape in fig.layout.shapes for edge in (shape.x0, shape.x1)]
    stamps = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce").dropna()
    return [t.date() for t in stamps]


#: Meeting mode: every text on a chart at least this large (px), dark on white.
MEETING_FONT = {"size": 22, "color": "#0A0A0A"}
MEETING_HEIGHT = 520


def meeting_layout(fig: go.Figure) -> go.Figure:
    """The projected variant of a chart: ticks, titles, legend, hover, bar
    labels and annotations at `MEETING_FONT` size or larger."""
    size = MEETING_FONT["size"]
    height = max(fig.layout.height or 0, MEETING_HEIGHT)  # a slide has room: larger marks
    fig.update_layout(font=MEETING_FONT, legend_font=MEETING_FONT, hoverlabel_font_size=size, height=height)
    fig.update_xaxes(tickfont=MEETING_FONT, title_font=MEETING_FONT, automargin=True)
    fig.update_yaxes(tickfont=MEETING_FONT, title_font=MEETING_FONT, automargin=True)
    fig.for_each_annotation(lambda a: a.update(font_size=max(a.font.size or 0, size)))
    for trace in fig.data:
        if "textfont" in trace and trace.textfont.size:
            trace.textfont.size = max(trace.textfont.size, size)
        if "colorbar" in trace:
            trace.colorbar.update(tickfont=MEETING_FONT, title_font=MEETING_FONT)
    return fig


#: plotly's own texts (mode bar, notices, dates) in Swedish: a config `locales`
#: entry, as plotly.js ships no Swedish dictionary with Streamlit.
SWEDISH = {
    "dictionary": {
        "Autoscale": "Autoskala",
        "Box Select": "Välj rektangel",
        "Lasso Select": "Välj med lasso",
        "Download plot as a png": "Ladda ner diagrammet som png",
        "Download plot": "Ladda ner diagrammet",
        "Pan": "Panorera",
        "Reset axes": "Återställ axlarna",
        "Zoom": "Zooma",
        "Zoom in": "Zooma in",
        "Zoom out": "Zooma ut",
        "Toggle Spike Lines": "Visa eller dölj hjälplinjer",
        "Show closest data on hover": "Visa närmaste värde",
        "Compare data on hover": "Jämför värden",
        "Double-click to zoom back out": "Dubbelklicka för att zooma ut",
        "Taking snapshot - this may take a few seconds": "Tar en bild, det kan ta några sekunder",
        "Snapshot succeeded": "Bilden är klar",
        "Sorry, there was a problem downloading your snapshot!": "Bilden kunde inte laddas ner.",
        "Reset": "Återställ",
        "Reset view": "Återställ vyn",
    },
    "format": {
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": [m.capitalize() for m in ("januari", "februari", "mars", "april", "maj", "juni", "juli",
                                              "augusti", "september", "oktober", "november", "december")],
        "shortMonths": list(MONTHS_SHORT),
        "decimal": ",",
        "thousands": " ",
        "date": "%Y-%m-%d",
    },
}  # fmt: skip

#: Passed to st.plotly_chart: Swedish, no links to plotly's site, no selection tools.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "locale": "sv",
    "locales": {"sv": SWEDISH},
}
#: Meeting mode: nothing to click on the wall.
MEETING_CONFIG = PLOTLY_CONFIG | {"displayModeBar": False}
