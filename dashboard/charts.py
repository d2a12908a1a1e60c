"""Plotly figures shared by the pages, with Swedish labels and formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.theme import SEQUENTIAL, swedish_layout
from dashboard.vocab import WEEKDAYS_SV


def weekday_hour(counts: pd.DataFrame) -> go.Figure:
    """A weekday x hour heat matrix from rows (weekday 0-6, hour 0-23, n)."""
    grid = np.zeros((7, 24), dtype=int)
    grid[counts["weekday"].astype(int), counts["hour"].astype(int)] = counts["n"].astype(int)
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=[f"{h:02d}" for h in range(24)],
            y=[d.capitalize() for d in WEEKDAYS_SV],
            colorscale=list(SEQUENTIAL),
            colorbar={"title": "Antal"},
            hovertemplate="%{y} kl. %{x}: %{z} händelser<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Timme", type="category")
    return swedish_layout(fig, height=380)
