"""The headline numbers a meeting starts with, for one selection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import commitments, indicators
from dashboard.ui.cached import query


@dataclass(frozen=True)
class Headline:
    incidents: int
    incidents_before: int
    commitments: pd.DataFrame  # actor x status counts
    late: int
    verdicts: dict[str, int]  # verdict -> number of indicator series


def headline(params: dict) -> Headline:
    totals = query("incident_totals", params).iloc[0]
    status = query("commitment_status", params)
    latest = query("indicator_latest", params)
    verdicts = [indicators.verdict(r.direction, r.latest, r.previous) for r in latest.itertuples()]
    return Headline(
        incidents=int(totals["current"]),
        incidents_before=int(totals["previous"]),
        commitments=commitments.status_counts(status),
        late=int(status["is_late"].fillna(False).sum()),
        verdicts={v: verdicts.count(v) for v in indicators.VERDICTS},
    )
