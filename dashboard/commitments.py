"""Commitment logic: the current state of a commitment is its latest update."""

from __future__ import annotations

import pandas as pd

from dashboard.vocab import ACTORS, STATUSES


def effective_status(frame: pd.DataFrame) -> pd.Series:
    """The status to show: a commitment past its due date that is not done is late."""
    return frame["status"].where(~frame["is_late"].fillna(False).astype(bool), "forsenad")


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Commitments per actor (rows) and shown status (columns), every status present."""
    shown = frame.assign(shown=effective_status(frame))
    table = pd.crosstab(shown["actor"], shown["shown"])
    return table.reindex(index=[a for a in ACTORS if a in table.index], columns=list(STATUSES), fill_value=0)
