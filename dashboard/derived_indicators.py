"""Indicator series computed from the incident table, beside the imported ones.

`queries/indicator_derived.sql` counts incidents per municipality, focus area
and month or quarter in DuckDB (only counts leave the database); `series` turns
those counts into the same long shape as `indicator_values`, with a catalog row
per series, so they are judged, charted and tabulated like imported indicators.
"""

from __future__ import annotations

import pandas as pd

from dashboard.disclosure import Rule

GRAINS = {"quarter": "Kvartal", "month": "Månad"}
SOURCE = "Händelser i Lägesbild (beräknat)"
ALL_ID = "handelser_alla"
#: The desired direction where the seed pledges state one for the matching
#: crime statistic; every other focus area gets none, since more reports can be
#: the effect a pledge wants (never assume that fewer is better).
DIRECTIONS = {
    "narkotika": "increase",  # detected drug offences should rise (Lilla Edet)
    "utsatta_brottsoffer": "increase",  # more reports from especially vulnerable victims
    "tillgrepp_inbrott": "decrease",
    "bedrageri": "decrease",
}


def indicator_id(focus_area: str | None) -> str:
    return f"handelser_{focus_area}" if focus_area else ALL_ID


def series(
    counts: pd.DataFrame, focus_names: dict[str, str], grain: str, focus_selected: bool, rule: Rule = Rule()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(catalog, values) from rows of `indicator_derived` (kommun_kod, focus_area, period_start, n).

    A NULL focus area is the total of the selection: all incidents, or those
    of the chosen focus areas. Every count is published by `rule`, the total
    and the focus areas alike (in public: rounded, 'färre än a' a gap), so the
    total minus the focus areas tells nothing; per-capita figures and verdicts
    are computed from these values.
    """
    focus = counts["focus_area"].astype(object).where(counts["focus_area"].notna(), None)
    values = pd.DataFrame(
        {
            "indicator_id": [indicator_id(f) for f in focus],
            "kommun_kod": counts["kommun_kod"],
            "period_start": pd.to_datetime(counts["period_start"]),
            "period_type": grain,
            "value": rule.counts(counts["n"]),
            "target": float("nan"),
        }
    )
    present = [None, *sorted({f for f in focus if f}, key=lambda f: focus_names.get(f, f))] if len(counts) else []
    total_name = "Händelser i valda fokusområden" if focus_selected else "Alla händelser"
    catalog = pd.DataFrame(
        {
            "indicator_id": [indicator_id(f) for f in present],
            "name_sv": [f"Händelser: {focus_names.get(f, f)}" if f else total_name for f in present],
            "unit": "antal",
            "source": SOURCE,
            "direction": [DIRECTIONS.get(f, "none") if f else "none" for f in present],
            "focus_area": present,
            "period_type": grain,
            "per_capita": False,
            "derived": True,
        }
    )
    return catalog, values
