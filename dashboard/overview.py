"""The headline numbers a meeting starts with, for one selection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import commitments, indicators
from dashboard.formatting import change_delta
from dashboard.vocab import ACTORS, STATUSES

if TYPE_CHECKING:
    from dashboard.disclosure import Rule
    from dashboard.hotspots import Runner


@dataclass(frozen=True)
class Headline:
    incidents: int
    incidents_before: int
    commitments: pd.DataFrame  # actor x status counts
    late: int
    verdicts: dict[str, int]  # verdict -> number of imported indicator series


def headline(run: Runner, params: dict, today: date) -> Headline:
    totals = run("incident_totals", params).iloc[0]
    status = commitments.current_status(run, params, today)
    verdicts = indicators.judged_imported(run, params)["verdict"].value_counts()
    return Headline(
        incidents=int(totals["current"]),
        incidents_before=int(totals["previous"]),
        commitments=commitments.status_counts(status),
        late=int(status["is_late"].sum()),
        verdicts={v: int(verdicts.get(v, 0)) for v in indicators.VERDICTS},
    )


def incident_delta(rule: Rule, head: Headline) -> tuple[str | None, str]:
    """st.metric's delta and arrow for incidents now against before, from the published
    counts only; none when either is not published as a number."""
    now, before = rule.count(head.incidents), rule.count(head.incidents_before)
    if pd.isna(now) or pd.isna(before):
        return None, "off"
    return change_delta(now, before)


def actor_lines(counts: pd.DataFrame) -> list[str]:
    """'**Polisen**: ◐ pågår 2, ✔ genomförd 1' per actor (markdown), statuses without commitments left out."""
    return [
        f"**{ACTORS[actor]}**: "
        + ", ".join(f"{STATUSES[s][1]} {STATUSES[s][0].lower()} {n}" for s, n in row.items() if n)
        for actor, row in counts.iterrows()
    ]
