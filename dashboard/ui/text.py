"""Data and user text on the page stays text, wherever it is shown.

- `inert(text)`: for everything Streamlit renders as markdown (titles, headers,
  captions, alerts, markdown, st.table cells, labels of expanders, metrics and
  widgets): `formatting.escape_markdown`, the project's one markdown rule.
- `dataframe(frame, ...)`: st.dataframe for every table. Its toolbar's
  "Download as CSV" and copy hand cells to a spreadsheet as they are, so text
  cells a spreadsheet would run as a formula are shown as `exports.inert` makes
  them (with a leading apostrophe), the project's one formula rule.
- `table(frame, ...)`: a short table as plain HTML (`html_charts.table`, cells
  escaped and formula-safe too, since copied cells paste into a spreadsheet):
  no grid script to load where a few rows are all there is.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports, html_charts
from dashboard.formatting import escape_markdown as inert

__all__ = ["dataframe", "formula_safe", "inert", "table"]


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every formula-like text cell made inert; other cells unchanged."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column])):
            continue
        cells = safe[column]
        risky = cells.map(lambda v: isinstance(v, str) and exports.formula_like(v))
        if risky.any():
            safe[column] = cells.astype(object).where(~risky, cells[risky].map(exports.inert))
    return safe


def dataframe(frame: pd.DataFrame, where=None, **kwargs):
    """st.dataframe of `frame` (in the container `where`, if given) with
    formula-safe cells, its CSV download included."""
    return (where or st).dataframe(formula_safe(frame), **kwargs)


def table(frame: pd.DataFrame, where=None, max_height: int | None = None) -> None:
    """`frame` as a plain HTML table (in the container `where`, if given), formula-safe like `dataframe`."""
    (where or st).html(html_charts.table(formula_safe(frame), max_height))
