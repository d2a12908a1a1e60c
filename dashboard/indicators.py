"""Indicator logic: is a series moving in the pledge's desired direction?

Imported values (`indicator_values`) and series derived from incidents
(`derived_indicators`) share one long shape: indicator_id, kommun_kod,
period_start, period_type, value, target. Everything below (gaps, per-capita
figures, latest against previous, verdicts, the overview table) works on that
shape, so both kinds are judged the same way.

Missing data stays missing: `with_gaps` adds absent periods as NaN, so a chart
breaks its line and a verdict compares the latest value with the one before it
(named with its period), never with an invented zero or an interpolation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard import charts, derived_indicators, population
from dashboard.disclosure import Rule
from dashboard.formatting import fmt_number, fmt_signed
from dashboard.population import Populations
from dashboard.vocab import DIRECTIONS

if TYPE_CHECKING:
    from dashboard.hotspots import Runner

VERDICTS = {
    "good": ("i önskad riktning", "✔"),
    "bad": ("i fel riktning", "✖"),
    "flat": ("oförändrad", "→"),
    "neutral": ("ingen önskad riktning", "↕"),
    "unknown": ("ingen jämförelse", "–"),
}
#: A relative change smaller than this counts as unchanged.
FLAT_TOLERANCE = 0.01
PER = 100_000
PER_CAPITA_UNIT = "antal per 100 000 inv."
SERIES_KEY = ["indicator_id", "kommun_kod"]


def verdict(direction: str, latest: float | None, previous: float | None) -> str:
    """'good', 'bad', 'flat', 'neutral' or 'unknown' for a change from previous to latest.

    The desired direction decides: for `increase` indicators (detected drug
    offences, willingness to report) a rise is good; fewer is not always better.
    """
    if _missing(latest) or _missing(previous):
        return "unknown"
    change = latest - previous
    if abs(change) <= FLAT_TOLERANCE * max(abs(previous), 1e-9):
        return "flat"
    if direction not in ("increase", "decrease"):
        return "neutral"
    return "good" if (change > 0) == (direction == "increase") else "bad"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def verdict_text(code: str) -> str:
    """'✔ i önskad riktning': symbol and words, never colour alone."""
    label, symbol = VERDICTS[code]
    return f"{symbol} {label}"


def direction_text(direction: str) -> str:
    """'↑ Ska öka'."""
    label, arrow = DIRECTIONS.get(direction, DIRECTIONS["none"])
    return f"{arrow} {label}"


def target_remaining(direction: str, latest: float | None, target: float | None) -> float | None:
    """How far the latest value is from the target in the desired direction:
    0 when reached, None without a target or a direction."""
    if _missing(latest) or _missing(target) or direction not in ("increase", "decrease"):
        return None
    gap = target - latest if direction == "increase" else latest - target
    return max(gap, 0.0)


# --- Numbers as the room reads them -------------------------------------------------


def is_percent(unit: str) -> bool:
    return "%" in unit


def decimals(unit: str) -> int:
    return 0 if unit == "antal" else 1


def fmt_value(value: float | None, unit: str) -> str:
    """'71,2 %' for shares, '1 234,5' for rates, '45' for counts."""
    text = fmt_number(value, decimals(unit))
    return f"{text}\u00a0%" if is_percent(unit) and text != "–" else text


def period_label(start, period_type: str) -> str:
    """'2025', '2025 kv. 3' or '2025-10'."""
    start = pd.Timestamp(start)
    if period_type == "year":
        return str(start.year)
    if period_type == "quarter":
        return f"{start.year} kv.\u00a0{start.quarter}"
    return f"{start:%Y-%m}"


def change_text(row) -> str:
    """'+1,4 sedan 2024' (the previous period is named: it may lie before a gap)."""
    if _missing(row.previous):
        return "–"
    change = fmt_signed(row.latest - row.previous, decimals(row.unit))
    return f"{change} sedan {period_label(row.previous_start, row.period_type)}"


def target_text(row) -> str:
    """'Mål 75,0 %: 3,8 kvar', 'Mål 75,0 %: ✔ nått' or '' without a target."""
    if _missing(row.target):
        return ""
    goal = f"Mål {fmt_value(row.target, row.unit)}"
    remaining = target_remaining(row.direction, row.latest, row.target)
    if remaining is None:
        return goal
    if remaining == 0:
        return f"{goal}: ✔ nått"
    return f"{goal}: {fmt_number(remaining, decimals(row.unit))} kvar"


def status_line(row) -> str:
    """'**64,4 %** (2025) · **✔ i önskad riktning** · +1,6 sedan 2024 · Mål 75,0 %: 10,6 kvar' (markdown)."""
    parts = [
        f"**{fmt_value(row.latest, row.unit)}** ({period_label(row.period_start, row.period_type)})",
        f"**{verdict_text(row.verdict)}**",
        change_text(row),
        target_text(row),
    ]
    return " · ".join(p for p in parts if p)


# --- Series ------------------------------------------------------------------------


def per_100k(value, population):
    """Count per 100 000 inhabitants."""
    return value * PER / population


def is_count(unit: str, per_capita: bool) -> bool:
    """A plain count, fair to compare only per inhabitant. Values flagged
    `per_capita` are already per 100 000 inhabitants; shares are not counts."""
    return not per_capita and unit.strip().lower() == "antal"


def to_per_capita(
    catalog: pd.DataFrame, values: pd.DataFrame, populations: Populations
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts (and their targets) per 100 000 inhabitants of their municipality in
    the value's year (`population`); the population used, and its year, are kept
    in `population` and `population_year` (NaN for values not divided)."""
    counts = [i for i, row in catalog.iterrows() if is_count(row.unit, row.per_capita)]
    rows = values["indicator_id"].isin(counts)
    values = values.assign(population=math.nan, population_year=math.nan)
    years = pd.to_datetime(values.loc[rows, "period_start"]).dt.year
    found = populations.lookup(values.loc[rows, "kommun_kod"], years)
    values.loc[rows, ["population", "population_year"]] = found
    for column in ("value", "target"):
        values.loc[rows, column] = per_100k(values.loc[rows, column], values.loc[rows, "population"])
    catalog = catalog.copy()
    catalog.loc[counts, "unit"] = PER_CAPITA_UNIT
    return catalog, values


def with_gaps(values: pd.DataFrame) -> pd.DataFrame:
    """Every period from a series' first to its last, missing ones as NaN.

    A target holds until a new one is set, so it is carried forward.
    """
    keys = [*SERIES_KEY, "period_type"]
    values = values.assign(period_start=pd.to_datetime(values["period_start"]))
    spans = values.groupby(keys, as_index=False)["period_start"].agg(["min", "max"])
    # Whole months from each series' first period to its last, one period type's step apart.
    first = spans["min"].to_numpy().astype("datetime64[M]")
    step = spans["period_type"].map(charts.PERIOD_MONTHS).to_numpy(dtype="int64")
    periods = (spans["max"].to_numpy().astype("datetime64[M]") - first).astype("int64") // step + 1
    calendar = spans.loc[spans.index.repeat(periods), keys].reset_index(drop=True)
    nth = np.arange(len(calendar)) - np.repeat(np.cumsum(periods) - periods, periods)
    starts = np.repeat(first, periods) + nth * np.repeat(step, periods)
    calendar["period_start"] = pd.Series(starts, dtype=values["period_start"].dtype)  # no series at all: not object
    full = calendar.merge(values, on=[*keys, "period_start"], how="outer").sort_values([*keys, "period_start"])
    full["target"] = full.groupby(keys)["target"].ffill()
    return full.reset_index(drop=True)


def latest_pairs(values: pd.DataFrame) -> pd.DataFrame:
    """Per series: the latest known value, the one before it and the target in force.

    The one rule of latest against previous: the Indikatorer page, Översikt
    (`judged_imported`) and the meeting report all judge by it."""
    known = values.dropna(subset=["value"]).sort_values([*SERIES_KEY, "period_start"])
    rank = known.groupby(SERIES_KEY).cumcount(ascending=False)
    latest = known[rank == 0][[*SERIES_KEY, "period_type", "period_start", "value", "target"]]
    previous = known[rank == 1][[*SERIES_KEY, "period_start", "value"]]
    pairs = latest.merge(previous, on=SERIES_KEY, how="left", suffixes=("", "_previous"))
    return pairs.rename(
        columns={"value": "latest", "value_previous": "previous", "period_start_previous": "previous_start"}
    ).reset_index(drop=True)


def judge(pairs: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Latest pairs with each indicator's direction and unit, and a verdict."""
    judged = pairs.join(catalog[["name_sv", "unit", "direction"]], on="indicator_id")
    judged["verdict"] = [verdict(r.direction, r.latest, r.previous) for r in judged.itertuples()]
    return judged


# --- Loading for pages -------------------------------------------------------------


@dataclass(frozen=True)
class Trends:
    #: One row per indicator (imported, then derived), indexed by indicator_id.
    catalog: pd.DataFrame
    #: Long values with gaps as NaN rows.
    values: pd.DataFrame
    #: One judged row per series (see `judge`).
    latest: pd.DataFrame
    #: Desired effects of the pledges covering the selection (indicator_effects.sql).
    effects: pd.DataFrame

    def judged(self, indicator_id: str, kommun_kods=None) -> pd.DataFrame:
        """The judged series of one indicator, optionally for some municipalities only."""
        rows = self.latest[self.latest["indicator_id"] == indicator_id]
        return rows if kommun_kods is None else rows[rows["kommun_kod"].isin(kommun_kods)]

    def population_note(self, kommun_names: dict[str, str], indicator_id: str | None = None) -> str:
        """'Per 100 000 invånare: befolkning 2024 använd för 2025 (Lilla Edet).' where
        per-capita figures (of one indicator, or all) used another year's population; else ''."""
        values = self.values if indicator_id is None else self.values[self.values["indicator_id"] == indicator_id]
        lines = population.substitutions(values, kommun_names)
        return f"Per 100 000 invånare: {'; '.join(lines)}." if lines else ""


def load(
    run: Runner, params: dict, per_capita: bool = False, grain: str = "quarter", rule: Rule = Rule()
) -> Trends:
    """Imported and incident-derived indicators for a selection's parameters;
    incident counts are published by `rule` (imported values are not counts of incidents)."""
    focus_names = dict(run("focus_areas", {})[["focus_area", "name_sv"]].itertuples(index=False))
    counts = run("indicator_derived", params | {"grain": grain})
    derived_catalog, derived_values = derived_indicators.series(
        counts, focus_names, grain, bool(params["focus_areas"]), rule
    )
    catalog = run("indicator_catalog", {})
    if params["focus_areas"]:
        catalog = catalog[catalog["focus_area"].isin(params["focus_areas"])]
    catalog = pd.concat([catalog.assign(derived=False), derived_catalog], ignore_index=True).set_index("indicator_id")
    values = with_gaps(pd.concat([run("indicator_series", params), derived_values], ignore_index=True))
    if per_capita:
        catalog, values = to_per_capita(catalog, values, Populations.load(run))
    return Trends(catalog, values, judge(latest_pairs(values), catalog), run("indicator_effects", params))


def judged_imported(run: Runner, params: dict) -> pd.DataFrame:
    """One judged row per imported series of the selection (`judge`), as counted on Översikt."""
    catalog = run("indicator_catalog", {}).set_index("indicator_id")
    return judge(latest_pairs(run("indicator_series", params)), catalog)


def known_ids(run: Runner) -> set[str]:
    """Ids a link (`?indikator=`) may name: every stored indicator."""
    return set(run("indicator_catalog", {})["indicator_id"])


def display_order(trends: Trends, first: str | None = None) -> list[str]:
    """Indicators with values: the linked one first, then those following a
    desired effect of the selection's pledges (newest pledge first), then the rest."""
    valued = set(trends.latest["indicator_id"])
    with_values = [i for i in trends.catalog.index if i in valued]
    followed = list(dict.fromkeys(trends.effects["indicator_id"]))
    rank = {i: n for n, i in enumerate([first, *followed])}
    return sorted(with_values, key=lambda i: rank.get(i, len(rank)))


def pledges_own(trends: Trends, ids: list[str]) -> tuple[list[str], list[str]]:
    """(own, rest): the ids that follow a desired effect of the selection's pledges, and the others."""
    followed = set(trends.effects["indicator_id"])
    return [i for i in ids if i in followed], [i for i in ids if i not in followed]


def by_kind(trends: Trends, ids: list[str]) -> tuple[list[str], list[str]]:
    """(imported, derived) ids, each in the order given."""
    derived = trends.catalog["derived"]
    return [i for i in ids if not derived[i]], [i for i in ids if derived[i]]


def pledge_periods(effects: pd.DataFrame, indicator_id: str, kommun_names: dict[str, str]) -> list[tuple]:
    """(start, end, label) of each pledge that follows up this indicator, for shading."""
    rows = effects[effects["indicator_id"] == indicator_id].drop_duplicates("pledge_id")
    return [
        (
            pd.Timestamp(r.period_start),
            pd.Timestamp(r.period_end) + pd.Timedelta(days=1),
            "Löfte " + ", ".join(kommun_names.get(k, k) for k in r.kommun_kods),
        )
        for r in rows.itertuples()
    ]


def trend_figure(trends: Trends, indicator_id: str, kommun_names: dict[str, str], colors: dict[str, str]):
    """The plotly chart of one indicator for the selected municipalities."""
    values = trends.values[trends.values["indicator_id"] == indicator_id]
    values = values.assign(label=[period_label(s, t) for s, t in zip(values["period_start"], values["period_type"])])
    periods = pledge_periods(trends.effects, indicator_id, kommun_names)
    return charts.indicator_trend(values, trends.catalog.at[indicator_id, "unit"], kommun_names, colors, periods)


# --- The overview table ------------------------------------------------------------


def overview_frame(trends: Trends, kommun_names: dict[str, str]) -> pd.DataFrame:
    """One row per indicator and municipality: trend, latest value, change and verdict.

    Machine columns (indicator_id, kommun_kod, verdict) come first; the Swedish
    ones are ready to show.
    """
    ordered = trends.values.sort_values([*SERIES_KEY, "period_start"])
    series: dict[tuple, list] = {}
    for key, value in zip(zip(*(ordered[c].tolist() for c in SERIES_KEY)), ordered["value"].tolist()):
        series.setdefault(key, []).append(value)
    sparks = {key: charts.sparkline(values) for key, values in series.items()}
    order = {i: n for n, i in enumerate(display_order(trends))}
    latest = trends.latest.assign(rank=trends.latest["indicator_id"].map(order)).sort_values(["rank", "kommun_kod"])
    rows = list(latest.itertuples())
    return pd.DataFrame(
        {
            "indicator_id": latest["indicator_id"],
            "kommun_kod": latest["kommun_kod"],
            "verdict": latest["verdict"],
            "Indikator": latest["name_sv"],
            "Kommun": latest["kommun_kod"].map(lambda k: kommun_names.get(k, k)),
            "Bedömning": latest["verdict"].map(verdict_text),
            "Senaste": [f"{fmt_value(r.latest, r.unit)} ({period_label(r.period_start, r.period_type)})" for r in rows],
            "Förändring": [change_text(r) for r in rows],
            "Utveckling": [sparks[(r.indicator_id, r.kommun_kod)] for r in rows],
            "Mål": [target_text(r) for r in rows],
            "Önskad riktning": latest["direction"].map(direction_text),
        }
    ).reset_index(drop=True)
