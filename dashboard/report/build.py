"""The meeting report's data: the lägesbild of one selection, to send after the meeting.

`build(run, sel, mode)` gathers what the pages show from the modules they use
(`overview`, `hotspots`, `commitments`, `indicators`); it counts nothing
itself. What a mode may hold is decided here and only here, so the renderers
(`report.html`, `report.xlsx`) show everything they are given:

- internal: everything, with each commitment's latest note and its author;
- meeting: no free text beyond the pledges' own words (no notes, no authors);
- public: as meeting, and every incident count published by the public
  disclosure rule (`dashboard.disclosure`): rounded, NaN here for 'färre än a',
  over the floored selection (whole months, six-hour bands, whole weeks).

Every incident count in a `Report` is already published by `Report.rule`;
commitment and indicator-verdict counts are not incident counts and are exact.

No mode puts a single incident or an incident's description in a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dashboard import areas, clock, commitments, disclosure, filter_options, hotspots, indicators, overview
from dashboard.disclosure import Floored, Rule
from dashboard.filters import Selection
from dashboard.formatting import fmt_percent_change
from dashboard.hotspots import Runner
from dashboard.vocab import STATUSES

#: The audience each mode writes for, printed on every report.
VERSIONS = {
    "internal": "Internt underlag: innehåller anteckningar från uppföljningen",
    "meeting": "Mötesunderlag: utan anteckningar och enskilda händelser",
    "public": "Publik version: bara sammanräknade uppgifter, små antal dolda",
}
TOP_PLACES = 10


@dataclass(frozen=True)
class KeyNumber:
    group: str  # Händelser, Löften, Indikatorer
    label: str
    value: float  # NaN: an incident count the rule does not publish
    note: str = ""


@dataclass(frozen=True)
class Report:
    mode: str
    created: datetime
    sel: Selection
    kommuner: str
    focus: str
    #: The app's one-line summary of the selection.
    summary: str
    #: How incident counts are shown (exact outside public mode).
    rule: Rule
    #: `sel` as the rule allows it (whole months in public) and its note.
    floored: Floored
    key_numbers: list[KeyNumber]
    hotspots: hotspots.Hotspots
    #: The largest hotspots now: place, n_now, n_before, change, lat, lon.
    places: pd.DataFrame
    #: Incidents per area (dashboard.areas): name, kind, n_now, n_before, change; largest first.
    areas: pd.DataFrame
    #: Incidents now, `hotspots.time_matrix`: weekday by hour, or day type by six-hour band.
    weekday_hour: pd.DataFrame
    #: One row per commitment, in the Löften page's order (see `_commitments`).
    commitments: pd.DataFrame
    #: indicators.overview_frame with the numbers behind its texts (see `_indicators`).
    indicators: pd.DataFrame

    @property
    def notes(self) -> bool:
        """Notes and authors of updates: internal mode only."""
        return self.mode == "internal"

    @property
    def version(self) -> str:
        return VERSIONS[self.mode]

    def count_text(self, value: float) -> str:
        """A published value: '1 234', or 'färre än 5'."""
        return self.rule.text(value)

    @property
    def period(self) -> tuple[date, date]:
        """The period the counts are of: the selection's, floored."""
        return self.floored.period

    @property
    def previous_period(self) -> tuple[date, date]:
        """The period compared with, as queried (`Floored.params`)."""
        return self.floored.previous_period

    @property
    def captions(self) -> str:
        """What the reader must know about the counts ('' when they are exact)."""
        return disclosure.captions(self.rule, self.floored)


def build(run: Runner, sel: Selection, mode: str, created: datetime | None = None) -> Report:
    """The report of a selection for a mode (`access.mode()` in the app, --mode on the command line)."""
    created = created or clock.now().replace(microsecond=0)
    rule, floored = filter_options.disclosed(sel, mode, created.date())
    params, opts = floored.params, filter_options.load(run)
    hs = hotspots.load(run, params, rule=rule)
    status = commitments.current_status(run, params, clock.today())
    return Report(
        mode=mode,
        created=created,
        sel=sel,
        kommuner=", ".join(opts.kommun_names.get(c, c) for c in sel.kommun_kods),
        focus=", ".join(opts.focus_names.get(f, f) for f in sel.focus_areas) or "Alla fokusområden",
        summary=filter_options.summary(sel, opts),
        rule=rule,
        floored=floored,
        key_numbers=_key_numbers(overview.headline(run, params, clock.today()), status, rule),
        hotspots=hs,
        places=_places(hs, run("hotspot_places", params)),
        areas=areas.load(run, hs, params, hotspots.LocalFilter()).areas[["name", "kind", "n_now", "n_before", "change"]],
        weekday_hour=hotspots.time_matrix(hs),
        commitments=_commitments(status, opts.focus_names, mode == "internal"),
        indicators=_indicators(indicators.load(run, params, rule=rule), opts.kommun_names),
    )


def key_numbers(run: Runner, floored: Floored, rule: Rule) -> list[KeyNumber]:
    """The headline numbers of a selection (`filter_options.disclosed`) as the report
    gives them (the minutes repeat them)."""
    today = clock.today()
    head = overview.headline(run, floored.params, today)
    return _key_numbers(head, commitments.current_status(run, floored.params, today), rule)


def _key_numbers(head: overview.Headline, status: pd.DataFrame, rule: Rule) -> list[KeyNumber]:
    now, before = rule.count(head.incidents), rule.count(head.incidents_before)
    change = "" if pd.isna(now) or pd.isna(before) else f"Förändring {fmt_percent_change(now, before)}"
    shown = commitments.effective_status(status)
    verdicts = indicators.VERDICTS
    return [
        KeyNumber("Händelser", "Under perioden", now, change),
        KeyNumber("Händelser", "Föregående period", before),
        KeyNumber("Löften", "Åtaganden", len(status)),
        *(KeyNumber("Löften", f"{STATUSES[s][1]} {STATUSES[s][0]}", int((shown == s).sum())) for s in STATUSES),
        *(
            KeyNumber("Indikatorer", f"{verdicts[v][1]} {verdicts[v][0].capitalize()}", head.verdicts[v])
            for v in ("good", "bad", "flat")
        ),
    ]


def _places(hs: hotspots.Hotspots, places: pd.DataFrame) -> pd.DataFrame:
    top = hs.cells.nlargest(TOP_PLACES, "n_now", keep="first")
    return pd.DataFrame(
        {
            "place": [hotspots.place_name(r.lat, r.lon, places) for r in top.itertuples()],
            "n_now": top["n_now"],
            "n_before": top["n_before"],
            "change": top["change"],
            "lat": top["lat"],
            "lon": top["lon"],
        }
    ).reset_index(drop=True)


def _commitments(status: pd.DataFrame, focus_names: dict[str, str], notes: bool) -> pd.DataFrame:
    """Pledge, actor, text, status as shown (late counts as late), progress, due
    date, latest update and, with `notes`, its note and author."""
    frame = pd.DataFrame(
        {
            "pledge": status["title"],
            "actor": status["actor"],
            "text": status["text"],
            "status": commitments.effective_status(status),
            "progress": status["progress"].astype(int),
            "due_date": [_day(d) for d in status["due_date"]],
            "updated_at": status["updated_at"],
            "updates": status["updates"].astype(int),
            "focus": [", ".join(focus_names.get(f, f) for f in codes) for codes in status["focus_areas"]],
        }
    )
    if notes:
        frame = frame.assign(note=status["note"], author=status["author"])
    return frame.reset_index(drop=True)


def _day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


#: Numbers behind the overview's texts, per indicator and municipality.
INDICATOR_NUMBERS = ["unit", "period_type", "period_start", "latest", "previous_start", "previous", "target"]


def _indicators(trends: indicators.Trends, kommun_names: dict[str, str]) -> pd.DataFrame:
    table = indicators.overview_frame(trends, kommun_names)
    numbers = trends.latest[[*indicators.SERIES_KEY, *INDICATOR_NUMBERS]]
    return table.merge(numbers, on=indicators.SERIES_KEY, how="left")

