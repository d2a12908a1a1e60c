"""Colours and chart layout for a projector: high contrast, Swedish charts.

`CHART_COLORS` is the Okabe-Ito palette (colour-blind safe); `kommun_colors`
gives each municipality the same colour on every chart of the app.
"""

from __future__ import annotations

import plotly.graph_objects as go

#: Okabe-Ito without its yellow, which cannot be read as a line on white.
CHART_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: Sequential (few -> many) and diverging (decrease -> increase) scales, colour-blind safe.
SEQUENTIAL = ("#FFF7BC", "#FEC44F", "#EC7014", "#993404", "#4A1A04")
DIVERGING = ("#2166AC", "#67A9CF", "#F7F7F7", "#EF8A62", "#B2182B")

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


def date_axis(fig: go.Figure) -> go.Figure:
    """Numeric ISO dates on the x axis: plotly's own month names are English."""
    return fig.update_xaxes(tickformat="%Y-%m", hoverformat="%Y-%m-%d")


#: Passed to st.plotly_chart: no links to plotly's site, no mode bar clutter.
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
