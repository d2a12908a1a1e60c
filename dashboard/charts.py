"""Plotly figures shared by the pages, with Swedish labels and formats."""

from __future__ import annotations

import base64

import pandas as pd
import plotly.graph_objects as go

from dashboard.theme import date_axis, swedish_layout
from dashboard.vocab import ACTORS, STATUSES, status_badge


#: Months in a period type (vocab.PERIOD_TYPES).
PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}


def indicator_trend(
    values: pd.DataFrame, unit: str, kommun_names: dict, colors: dict, pledge_periods=(), height: int = 400
) -> go.Figure:
    """One line per municipality over time, targets dashed, pledge periods shaded.

    `values` has kommun_kod, period_type, period_start, label (the period as
    text), value and target; missing periods are NaN rows, so the line breaks
    there instead of bridging the gap or dropping to zero. Municipalities that
    share the same target get one dashed line.
    """
    hover = ("%{y:,.0f}" if unit == "antal" else "%{y:,.1f}") + ("\u00a0%" if "%" in unit else "")
    fig = go.Figure()
    for kod, rows in values.groupby("kommun_kod", sort=True):
        name = kommun_names.get(kod, kod)
        fig.add_scatter(
            x=rows["period_start"], y=rows["value"], customdata=rows["label"], name=name, mode="lines+markers",
            line={"color": colors[kod], "width": 3}, marker={"size": 8}, connectgaps=False,
            hovertemplate=f"{name}<br>%{{customdata}}: {hover}<extra></extra>",
        )  # fmt: skip
    targets = values.dropna(subset=["target"])
    shared = targets.groupby("kommun_kod")["target"].apply(tuple).reset_index().groupby("target")["kommun_kod"].apply(list)
    for kods in shared:
        rows = targets[targets["kommun_kod"] == kods[0]]
        who = ", ".join(kommun_names.get(k, k) for k in kods)
        fig.add_scatter(
            x=rows["period_start"], y=rows["target"], customdata=rows["label"], name=f"Mål {who}" if len(shared) > 1 else "Mål",
            mode="lines", line={"color": colors[kods[0]] if len(kods) == 1 else "#333333", "width": 2, "dash": "dash"},
            hovertemplate=f"Mål {who}<br>%{{customdata}}: {hover}<extra></extra>",
        )  # fmt: skip
    for start, end, label in pledge_periods:
        fig.add_vrect(
            x0=start, x1=end, fillcolor="#7F7F7F", opacity=0.15, line_width=0, layer="below",
            annotation_text=label, annotation_position="top left", annotation_font_size=14,
        )  # fmt: skip
    fig.update_yaxes(title=unit)
    finest = min((PERIOD_MONTHS[p] for p in set(values["period_type"])), default=1)
    return date_axis(swedish_layout(fig, height=height), min_months=finest)  # no month ticks on yearly values


def sparkline(values, width: int = 120, height: int = 30, color: str = "#0B4F9C") -> str:
    """A small line as an SVG data URI (for st.column_config.ImageColumn).

    A missing value (None or NaN) breaks the line; the latest value and any
    value standing alone between gaps are dots.
    """
    known = {i: v for i, v in enumerate(values) if v is not None and v == v}
    if not known:
        return ""
    low, high = min(known.values()), max(known.values())
    step = (width - 6) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height / 2 if high == low else height - 3 - (v - low) / (high - low) * (height - 6)

    xy = {i: (3 + i * step, y(v)) for i, v in known.items()}
    path = " ".join(f"{'L' if i - 1 in xy else 'M'}{x:.1f} {yy:.1f}" for i, (x, yy) in xy.items())
    alone = [i for i in xy if i - 1 not in xy and i + 1 not in xy]
    dots = "".join(f'<circle cx="{xy[i][0]:.1f}" cy="{xy[i][1]:.1f}" r="2.5" fill="{color}"/>' for i in {*alone, max(xy)})
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round"/>{dots}</svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def status_by_actor(counts: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: commitments per actor (rows of `counts`) by status
    (columns), each segment with its colour and a '✔ 3' label, so it reads without colour too."""
    actors = [ACTORS[a] for a in counts.index]
    fig = go.Figure()
    for status, (label, symbol, colour) in STATUSES.items():
        n = counts[status] if status in counts else pd.Series(0, index=counts.index)
        fig.add_bar(
            name=status_badge(status),
            y=actors,
            x=n,
            orientation="h",
            marker_color=colour,
            text=[f"{symbol} {v}" if v else "" for v in n],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "#FFFFFF", "size": 18},
            hovertemplate=f"%{{y}}: %{{x}} {label.lower()}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.25, legend_traceorder="normal")
    fig.update_xaxes(title="Antal åtaganden", dtick=1 if counts.sum(axis=1).max() <= 12 else None)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(automargin=True)
    return swedish_layout(fig, height=170 + 75 * len(actors))
