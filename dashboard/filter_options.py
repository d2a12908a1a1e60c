"""What the shared filter offers: municipality and focus-area names and each
municipality's latest pledge period and its meetings, the one-line summary of
a selection, and the disclosure rule with the selection as it may be shown
(`disclosed`).

Pure data for the filter bar, the pages and the meeting report alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import disclosure
from dashboard.config import settings
from dashboard.filters import Selection
from dashboard.formatting import fmt_period

if TYPE_CHECKING:
    from dashboard.hotspots import Runner


@dataclass(frozen=True)
class Options:
    kommun_names: dict[str, str]
    focus_names: dict[str, str]
    pledge_periods: dict[str, tuple[date, date]]
    #: Per municipality, (kind, held_on) of its meetings, for "sedan förra mötet".
    meeting_days: dict[str, list[tuple[str, date]]] = field(default_factory=dict)


def load(run: Runner) -> Options:
    munis = run("municipalities", {})
    focus = run("focus_areas", {})
    periods = run("latest_pledge_periods", {})
    meeting_days: dict[str, list[tuple[str, date]]] = {}
    for row in run("meeting_days", {}).itertuples():
        meeting_days.setdefault(row.kommun_kod, []).append((row.kind, _day(row.held_on)))
    return Options(
        dict(zip(munis["kommun_kod"], munis["kommun"])),
        dict(zip(focus["focus_area"], focus["name_sv"])),
        {r.kommun_kod: (_day(r.period_start), _day(r.period_end)) for r in periods.itertuples()},
        meeting_days,
    )


def _day(value) -> date:
    return pd.Timestamp(value).date()


def summary(sel: Selection, opts: Options) -> str:
    """One line: who, what and when, as the room should read it."""
    kommuner = (
        "Alla kommuner"
        if len(sel.kommun_kods) == len(opts.kommun_names) > 1  # one kommun is named, not "all"
        else ", ".join(opts.kommun_names[k] for k in sel.kommun_kods)
    )
    focus = ", ".join(opts.focus_names[f] for f in sel.focus_areas) or "Alla fokusområden"
    prev = sel.previous()
    return (
        f"{kommuner} · {focus} · {fmt_period(sel.start, sel.end)} "
        f"(jämförs med {fmt_period(prev.start, prev.end)})"
    )


def disclosed(sel: Selection, mode: str, today: date) -> tuple[disclosure.Rule, disclosure.Floored]:
    """The rule of `mode` and `sel` floored by it: what every incident count of a run
    (pages and report) is queried with (`Floored.params`) and shown by (`Rule`)."""
    rule = disclosure.rule_for(mode, settings().min_count)
    return rule, rule.floor(sel, today)
