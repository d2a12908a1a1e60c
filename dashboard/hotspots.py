"""Hotspots: where and when incidents concentrate, counted in DuckDB.

The grid. Incidents are counted in square cells of a fixed size on the ground
(100 m to 50 km), laid over latitude and longitude: a cell is `size / 111 320`
degrees high and `size / (111 320 · cos φ)` wide, φ the middle latitude of the
selection, so cells are square to within a percent or two across a police
region. A square grid rather than hexagons or a density surface because:
binning is one `floor()` per axis in SQL, fast at ten million rows; now and
before fall into identical cells, so the change per cell is exact; every cell
has the same area, so counts compare directly; and a click maps back to its
cell by arithmetic.

Cell size follows the map extent. Panning and zooming deliberately do not
rerun the page, so the extent that sets the size is the selection's: the
smallest size of `CELL_SIZES_M` that keeps the grid at most `MAX_CELLS_ACROSS`
cells across the selected municipalities (one town: 500 m; all seven seed
municipalities: 5 km). The map then opens on the cells that hold most of the
incidents (`view_extent`). This also bounds what reaches the browser by the
grid, never by the number of incidents: at most `MAX_CELLS` cells of about 20
bytes each.

Privacy. Only incidents with `place_precision = 'point'` are drawn; the others
are counted in the totals and the charts, and the page says how many were
left out. Every count that leaves this module has passed the selection's
disclosure rule (`dashboard.disclosure`, `Hotspots.rule`): exact in internal
and meeting mode; in public mode rounded, with cells of at least 1 km drawn at
their centre, six-hour bands × weekday/weekend instead of weekday × hour, and
whole weeks in the trend. The raw counts stay in `Hotspots` for sums only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.disclosure import DAY_TYPES, PUBLIC_HOUR_BANDS, Rule, time_blocks, whole_weeks
from dashboard.formatting import fmt_number, fmt_signed
from dashboard.theme import DIVERGING, SEQUENTIAL
from dashboard.ui import access
from dashboard.vocab import PLACE_TYPES, WEEKDAYS_SV

#: Runs a named query with parameters: `cached.query`, or `db.run_query` bound to a connection.
Runner = Callable[[str, dict], pd.DataFrame]

CELL_SIZES_M = (100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000)
MAX_CELLS_ACROSS = 80
MAX_CELLS = MAX_CELLS_ACROSS**2
M_PER_DEGREE = 111_320
#: The map opens on, and scales change by, the densest cells holding this share of the incidents.
CORE_SHARE = 0.9
#: A hotspot this close to a named place is called by the place's name alone.
AT_PLACE_M = 250
COMPASS = ("N", "NO", "O", "SO", "S", "SV", "V", "NV")
HOUR_BANDS = {f"{h:02d}–{h + 3:02d}": tuple(range(h, h + 3)) for h in range(0, 24, 3)}
INCIDENT_LIST_LIMIT = 200


@dataclass(frozen=True)
class Extent:
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def around(cls, outlines: pd.DataFrame) -> Extent:
        """The box around municipalities given by centre (lat, lon) and radius_km."""
        dlat = outlines["radius_km"] * 1000 / M_PER_DEGREE
        dlon = dlat / np.cos(np.radians(outlines["lat"]))
        return cls(
            (outlines["lat"] - dlat).min(),
            (outlines["lon"] - dlon).min(),
            (outlines["lat"] + dlat).max(),
            (outlines["lon"] + dlon).max(),
        )

    @property
    def corners(self) -> list[list[float]]:
        return [[self.south, self.west], [self.north, self.east]]


@dataclass(frozen=True)
class Grid:
    size_m: int
    mid_lat: float

    @classmethod
    def for_extent(cls, extent: Extent) -> Grid:
        mid_lat = round((extent.south + extent.north) / 2, 3)
        height = (extent.north - extent.south) * M_PER_DEGREE
        width = (extent.east - extent.west) * M_PER_DEGREE * math.cos(math.radians(mid_lat))
        span = max(height, width)
        size = next((s for s in CELL_SIZES_M if span / s <= MAX_CELLS_ACROSS), CELL_SIZES_M[-1])
        return cls(size, mid_lat)

    @property
    def cell_lat(self) -> float:
        return self.size_m / M_PER_DEGREE

    @property
    def cell_lon(self) -> float:
        return self.size_m / (M_PER_DEGREE * math.cos(math.radians(self.mid_lat)))

    @property
    def label(self) -> str:
        """'500 m' or '5 km'."""
        if self.size_m < 1000:
            return f"{self.size_m} m"
        return f"{fmt_number(self.size_m / 1000, 1 if self.size_m % 1000 else 0)} km"

    def params(self) -> dict:
        return {"cell_lat": self.cell_lat, "cell_lon": self.cell_lon}

    def cell_of(self, lat: float, lon: float) -> tuple[int, int]:
        """The cell containing a point: the same arithmetic as the SQL."""
        return math.floor(lat / self.cell_lat), math.floor(lon / self.cell_lon)


@dataclass(frozen=True)
class LocalFilter:
    """The map page's own filter, on top of the shared selection; empty means all."""

    categories: tuple[str, ...] = ()
    hour_bands: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()

    def params(self) -> dict:
        hours = sorted({h for band in self.hour_bands for h in (HOUR_BANDS | PUBLIC_HOUR_BANDS)[band]})
        return {
            "categories": list(self.categories),
            "hours": hours or list(range(24)),
            "weekdays": sorted(self.weekdays) or list(range(7)),
        }


@dataclass(frozen=True)
class Legend:
    title: str
    colors: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Hotspots:
    """What the map page shows for one selection (or one cell of it)."""

    grid: Grid
    #: kommun, lat, lon, radius_km, geometry (WKB boundary) of the selected municipalities, and the box around them.
    outlines: pd.DataFrame
    extent: Extent
    compare: bool
    #: What a count may look like when shown (`disclosure.rule_for`).
    rule: Rule
    #: cell_row, cell_col, lat, lon (mean position of the incidents; the cell's centre
    #: unless exact), n_now, n_before and change as published (NaN: `rule.fewer`),
    #: cls (legend class): the cells that may be shown, densest first.
    cells: pd.DataFrame
    legend: Legend
    #: Cells left out: too few to publish or beyond MAX_CELLS (public pages don't say how many).
    hidden: int
    #: Counts as DuckDB gave them (weekday, hour / category / day; n_now, n_before):
    #: the rule is applied only to what is shown, after any sum.
    weekday_hour: pd.DataFrame
    categories: pd.DataFrame
    days: pd.DataFrame
    total_now: int
    total_before: int
    #: Incidents of the current period without a point location: counted, not drawn.
    left_out: int
    #: Incidents of the current period without a time of day: not on the hour axis.
    time_unknown: int = 0


def category_options(categories: pd.DataFrame, rule: Rule) -> list[str]:
    """Categories to filter by (from rows category, n): only those whose count the rule
    publishes, as a listed name already tells that one occurred."""
    return categories.loc[rule.counts(categories["n"]).notna(), "category"].tolist()


def hour_options(rule: Rule) -> dict[str, tuple[int, ...]]:
    """The time-of-day pills: three-hour bands, or six-hour ones where the rule is coarse."""
    return PUBLIC_HOUR_BANDS if rule.coarse_time else HOUR_BANDS


def day_options(rule: Rule) -> dict[str, tuple[int, ...]]:
    """The day pills (label -> weekdays, 0 = Monday): each weekday, or weekday/weekend where the rule is coarse."""
    return DAY_TYPES if rule.coarse_time else {WEEKDAYS_SV[d][:3].capitalize(): (d,) for d in range(7)}


def summary_params(sel_params: dict, local: LocalFilter, grid: Grid, cell: tuple[int, int] | None = None) -> dict:
    row, col = cell or (None, None)
    return sel_params | local.params() | grid.params() | {"cell_row": row, "cell_col": col}


def scanned(sel_params: dict, compare: bool) -> dict:
    """The selection's parameters as the map page reads incidents: the period
    before only when comparing. Otherwise it starts where the period does, so
    nothing before it is scanned and every count before is 0 (and not shown:
    `BEFORE_COLUMNS`)."""
    return sel_params if compare else sel_params | {"prev_start": sel_params["start"]}


#: The columns of the page's tables that compare with the period before.
BEFORE_COLUMNS = ["Före", "Förändring"]


def load(
    run: Runner, sel_params: dict, local: LocalFilter = LocalFilter(), compare: bool = False, rule: Rule = Rule()
) -> Hotspots:
    """Hotspots of the selection (`Floored.params` where the rule floors), shown by `rule`."""
    outlines = run("kommun_outlines", sel_params)
    fitted = Grid.for_extent(Extent.around(outlines))
    grid = Grid(rule.cell_size(fitted.size_m), fitted.mid_lat)
    frame = run("hotspot_summary", summary_params(sel_params, local, grid))
    return _summarise(frame, grid, outlines, compare, rule)


def load_cell(run: Runner, hs: Hotspots, sel_params: dict, local: LocalFilter, cell: tuple[int, int]) -> Hotspots:
    """The same summary for one cell of `hs` (details on demand)."""
    frame = run("hotspot_summary", summary_params(sel_params, local, hs.grid, cell))
    return _summarise(frame, hs.grid, hs.outlines, hs.compare, hs.rule)


def load_area(run: Runner, hs: Hotspots, sel_params: dict, local: LocalFilter, area_id: str) -> Hotspots:
    """The charts' counts for the incidents of one area (`dashboard.areas`), no cells."""
    frame = run("area_summary", summary_params(sel_params, local, hs.grid) | {"area_id": area_id})
    return _summarise(frame, hs.grid, hs.outlines, hs.compare, hs.rule)


def _summarise(frame: pd.DataFrame, grid: Grid, outlines: pd.DataFrame, compare: bool, rule: Rule) -> Hotspots:
    def part(name: str, *cols: str) -> pd.DataFrame:
        rows = frame[frame["slice"] == name]
        return rows[[*cols, "n_now", "n_before"]].astype({"n_now": "int64", "n_before": "int64"}).reset_index(drop=True)

    all_cells = part("cell", "cell_row", "cell_col", "lat", "lon")
    unplaced = all_cells["cell_row"].isna()
    cells, hidden = _shown_cells(all_cells[~unplaced], grid, compare, rule)
    if compare:
        core = cells.loc[_core(cells, compare), "change"]
        classes, legend = change_classes(cells["change"], grid, core, rule.base)
    else:
        classes, legend = count_classes(cells["n_now"], grid, rule.base)
    days = part("day", "day")
    weekday_hour = part("weekday_hour", "weekday", "hour")
    return Hotspots(
        grid=grid,
        outlines=outlines,
        extent=Extent.around(outlines),
        compare=compare,
        rule=rule,
        cells=cells.assign(cls=classes),
        legend=legend,
        hidden=hidden,
        weekday_hour=weekday_hour[weekday_hour["hour"].notna()],
        categories=part("category", "category"),
        days=days,
        total_now=int(days["n_now"].sum()),
        total_before=int(days["n_before"].sum()),
        left_out=int(all_cells.loc[unplaced, "n_now"].sum()),
        time_unknown=int(weekday_hour.loc[weekday_hour["hour"].isna(), "n_now"].sum()),
    )


def _shown_cells(cells: pd.DataFrame, grid: Grid, compare: bool, rule: Rule) -> tuple[pd.DataFrame, int]:
    """The cells to draw, densest first, with published counts, and how many were left out.

    A cell is drawn when its count now is published (not 'färre än a'), and when
    comparing, its count before too; ordered by the published counts only, so
    the order tells nothing the numbers don't.
    """
    now, before = rule.counts(cells["n_now"]), rule.counts(cells["n_before"])
    if compare:
        keep = now.notna() & before.notna() & ((now > 0) | (before > 0))
    else:
        keep = now > 0
    shown = cells.assign(n_now=now, n_before=before)[keep]
    if not rule.exact:  # the mean position of a cell's incidents would tell more than the count
        shown = shown.assign(
            lat=(shown["cell_row"] + 0.5) * grid.cell_lat, lon=(shown["cell_col"] + 0.5) * grid.cell_lon
        )
    order = shown[["n_now", "n_before"]].max(axis=1) if compare else shown["n_now"]
    by_order = ["order", "cell_row", "cell_col"]
    shown = shown.assign(order=order).sort_values(by_order, ascending=[False, True, True])
    shown = shown.head(MAX_CELLS).drop(columns="order").reset_index(drop=True)
    shown = shown.assign(
        cell_row=shown["cell_row"].astype("int64"),
        cell_col=shown["cell_col"].astype("int64"),
        change=shown["n_now"] - shown["n_before"],
    )
    return shown, int((cells["n_now"] > 0).sum() - (shown["n_now"] > 0).sum())


def _span(low: int, high: int) -> str:
    return fmt_number(low) if low == high else f"{fmt_number(low)}–{fmt_number(high)}"


def _nice(x: float, step: int = 1) -> int:
    """The nearest of 1, 2, 5, 10, 20, 50, … (on a log scale), as a multiple of `step`
    (the rule's base): numbers a room reads at a glance."""
    power = 10 ** math.floor(math.log10(x))
    nice = int(min((m * power for m in (1, 2, 5, 10)), key=lambda v: abs(math.log(v / x))))
    return step * math.ceil(nice / step)


def count_classes(n: pd.Series, grid: Grid, step: int = 1) -> tuple[np.ndarray, Legend]:
    """Up to five classes of incidents per cell with round, roughly geometric
    breaks from the smallest shown count to the largest (1–4, 5–19, 20–99, …),
    so the darkest class holds the few real hotspots however many quiet cells
    there are. Counts are multiples of `step` (the rule's base), and so are the breaks."""
    lows = [step]
    for x in np.geomspace(lows[0], max(n.max() if len(n) else 1, lows[0]), 6)[1:-1]:
        if _nice(x, step) > lows[-1]:
            lows.append(_nice(x, step))
    labels = [_span(low, high - step) for low, high in zip(lows, lows[1:])] + [f"{fmt_number(lows[-1])} eller fler"]
    palette = [SEQUENTIAL[round(i)] for i in np.linspace(len(SEQUENTIAL) - len(lows), len(SEQUENTIAL) - 1, len(lows))]
    classes = np.searchsorted(lows, n.to_numpy(), side="right") - 1
    return classes, Legend(f"Händelser per ruta ({grid.label})", tuple(palette), tuple(labels))


def change_classes(
    change: pd.Series, grid: Grid, sample: pd.Series | None = None, step: int = 1
) -> tuple[np.ndarray, Legend]:
    """Five classes of change against the previous period, symmetric around
    zero, with round breaks near the median and the 90th percentile of the
    absolute change in `sample` (default: all); 'oförändrat' below the first.
    The page samples the core cells, so the many quiet cells, whose counts
    wobble by one or two, do not set the scale for the hotspots. Changes are
    multiples of `step` (the rule's base), and so are the breaks."""
    size = (change if sample is None else sample).abs()
    small = _nice(max(step, size.quantile(0.5)), step) if len(size) else step
    large = _nice(max(step, size.quantile(0.9)), step) if len(size) else 2 * step
    large = large if large > small else 2 * small
    classes = np.select(
        [change <= -large, change <= -small, change < small, change < large], [0, 1, 2, 3], default=4
    )
    steady = "Oförändrat" if small == step else f"Oförändrat (±{fmt_number(small - step)})"
    labels = (
        f"Minskning {fmt_number(large)} eller mer",
        f"Minskning {_span(small, large - step)}",
        steady,
        f"Ökning {_span(small, large - step)}",
        f"Ökning {fmt_number(large)} eller mer",
    )
    return classes, Legend(f"Förändring per ruta ({grid.label}) mot föregående period", DIVERGING, labels)


def cell_at(hs: Hotspots, point: dict | None) -> pd.Series | None:
    """The shown cell under a clicked point ({'lat': …, 'lng': …}), if any; a
    value that is no such point (the browser sends it) is ignored."""
    try:
        lat, lng = float(point["lat"]), float(point["lng"])
        row, col = hs.grid.cell_of(lat, lng)
    except (TypeError, KeyError, ValueError, OverflowError, IndexError):
        return None
    match = hs.cells[(hs.cells["cell_row"] == row) & (hs.cells["cell_col"] == col)]
    return match.iloc[0] if len(match) else None


def _core(cells: pd.DataFrame, compare: bool) -> pd.Series:
    """The densest cells (given densest first) that together hold CORE_SHARE of the incidents."""
    weight = cells[["n_now", "n_before"]].max(axis=1) if compare else cells["n_now"]
    return weight.cumsum().shift(fill_value=0) < CORE_SHARE * weight.sum()


def view_extent(hs: Hotspots) -> Extent:
    """Where the map opens: around the core cells (the towns rather than the
    forests between them); the selection's box when nothing is drawn."""
    if hs.cells.empty:
        return hs.extent
    core = hs.cells[_core(hs.cells, hs.compare)]
    south, west = core["cell_row"].min() * hs.grid.cell_lat, core["cell_col"].min() * hs.grid.cell_lon
    north, east = (core["cell_row"].max() + 1) * hs.grid.cell_lat, (core["cell_col"].max() + 1) * hs.grid.cell_lon
    return Extent(south, west, north, east)


def coverage_text(hs: Hotspots) -> str:
    """What the map shows and what it leaves out, in one paragraph (counts as the rule publishes them)."""
    rule = hs.rule
    shown, left_out = rule.count(hs.total_now - hs.left_out), rule.count(hs.left_out)
    parts = [f"Kartan visar {_amount(rule, shown, 'händelse', 'händelser')} med exakt plats i rutor om {hs.grid.label}."]
    if hs.left_out or not rule.exact:  # in public even none is 'färre än a', never an exact 0
        parts.append(
            f"{_amount(rule, left_out, 'händelse', 'händelser')} saknar exakt plats (bara kommunen är känd): "
            "de räknas i totalen och i diagrammen men ritas inte."
        )
    if not rule.exact:  # always, and without a number: how many would tell how the rest is spread
        parts.append(f"Rutor med {rule.fewer} händelser visas inte.")
    elif hs.hidden:
        parts.append(f"{_amount(rule, hs.hidden, 'ruta', 'rutor')} med få händelser visas inte.")
    return " ".join(parts)


def _amount(rule: Rule, published: float, one: str, many: str) -> str:
    return f"{rule.text(published)} {one if published == 1 else many}"


def place_name(lat: float, lon: float, places: pd.DataFrame) -> str:
    """The nearest named place, with distance and direction unless it is right there:
    'Lödöse', 'Lödöse, 400 m NV', 'Lödöse, 3,2 km S'."""
    if places.empty:
        return f"{fmt_number(lat, 3)}° N, {fmt_number(lon, 3)}° Ö"
    north = (lat - places["lat"]) * M_PER_DEGREE
    east = (lon - places["lon"]) * M_PER_DEGREE * math.cos(math.radians(lat))
    distance = np.hypot(north, east)
    i = distance.idxmin()
    name, metres = str(places.at[i, "name"]), distance[i]
    if metres < AT_PLACE_M:
        return name
    away = f"{round(metres, -2):.0f} m" if metres < 1000 else f"{fmt_number(metres / 1000, 1)} km"
    heading = COMPASS[round(math.degrees(math.atan2(east[i], north[i])) / 45) % 8]
    return f"{name}, {away} {heading}"


def top_table(hs: Hotspots, places: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The largest hotspots now, with place, count now and before, and change, as Swedish text."""
    top = hs.cells.nlargest(n, "n_now", keep="first")
    return pd.DataFrame(
        {
            "Plats": [place_name(r.lat, r.lon, places) for r in top.itertuples()],
            "Nu": top["n_now"].map(hs.rule.text),
            "Före": top["n_before"].map(hs.rule.text),
            "Förändring": top["change"].map(lambda v: "–" if pd.isna(v) else fmt_signed(v)),
        }
    )


def weekly_totals(hs: Hotspots, sel_params: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents per week of the selected period and of the period before, as
    published (frames of week, week_start, n): week k of both periods lie on one
    axis. Only whole weeks: a part-week at a period's end would look like a drop.

    Exact: week 1 starts on each period's first day. Coarse: whole calendar weeks
    within each period (`disclosure.whole_weeks`, week_start a Monday), rounded,
    since weeks of two selections a day apart would subtract to single days.
    """
    start, prev_start, end = (pd.Timestamp(sel_params[key]) for key in ("start", "prev_start", "end"))
    days = hs.days.assign(day=pd.to_datetime(hs.days["day"]))
    periods = ((start, end, "n_now"), (prev_start, start, "n_before"))
    if hs.rule.coarse_time:
        now, before = (_calendar_weeks(days, column, first, last, hs.rule) for first, last, column in periods)
        return now, before
    weeks = (start - prev_start).days // 7
    return _weeks(days, "n_now", start, weeks), _weeks(days, "n_before", prev_start, weeks)


def _calendar_weeks(days: pd.DataFrame, column: str, first: pd.Timestamp, end: pd.Timestamp, rule: Rule) -> pd.DataFrame:
    weeks = whole_weeks(days, first.date(), (end - pd.Timedelta(days=1)).date(), column)
    numbered = pd.DataFrame({"week": range(1, len(weeks) + 1), "week_start": weeks["week"], "n": weeks[column]})
    return rule.apply(numbered, ["n"])


def _weeks(days: pd.DataFrame, column: str, first: pd.Timestamp, weeks: int) -> pd.DataFrame:
    week = (days["day"] - first).dt.days // 7 + 1
    counts = days[column].groupby(week).sum().reindex(range(1, weeks + 1), fill_value=0).astype(float)
    return pd.DataFrame(
        {
            "week": counts.index,
            "week_start": [first + pd.Timedelta(days=7 * (w - 1)) for w in counts.index],
            "n": counts.to_numpy(),
        }
    )


def trend_caption(rule: Rule, compare: bool = True) -> str:
    before = "; föregående period ligger på samma axel." if compare else "."
    if rule.coarse_time:
        return (
            "Antal per hel kalendervecka (måndag–söndag) inom varje period, räknat från periodens första hela "
            f"vecka{before}"
        )
    return f"Antal per hel vecka. Vecka 1 börjar periodens första dag{before}"


def time_matrix(hs: Hotspots) -> pd.DataFrame:
    """Incidents now as published, weekday (rows, 'Måndag', …) by hour (columns '00'–'23'),
    or where the rule is coarse day type ('Vardag', 'Helg') by six-hour band; 0 where nothing happened."""
    if hs.rule.coarse_time:
        blocks = hs.rule.apply(time_blocks(hs.weekday_hour, ["n_now"]), ["n_now"])
        matrix = blocks.pivot(index="day_type", columns="band", values="n_now")
        return matrix.reindex(index=list(DAY_TYPES), columns=list(PUBLIC_HOUR_BANDS))
    every = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    counts = hs.weekday_hour.astype({"weekday": int, "hour": int}).set_index(["weekday", "hour"])["n_now"]
    matrix = counts.reindex(every, fill_value=0).astype(float).unstack("hour")
    return matrix.set_axis([d.capitalize() for d in WEEKDAYS_SV]).set_axis([f"{h:02d}" for h in range(24)], axis=1)


def hour_counts(hs: Hotspots) -> pd.DataFrame:
    """Incidents now per time of day as published (label, n): per hour ('00'–'23'),
    or where the rule is coarse per day type and six-hour band ('Vardag 00–06', …)."""
    if hs.rule.coarse_time:
        blocks = hs.rule.apply(time_blocks(hs.weekday_hour, ["n_now"]), ["n_now"])
        return pd.DataFrame({"label": blocks["day_type"] + " " + blocks["band"], "n": blocks["n_now"]})
    hours = hs.weekday_hour.groupby("hour")["n_now"].sum().reindex(range(24), fill_value=0)
    return pd.DataFrame({"label": [f"{h:02d}" for h in hours.index], "n": hours.to_numpy().astype(float)})


def category_table(hs: Hotspots) -> pd.DataFrame:
    """Incidents by category, now and before, most frequent first, as Swedish text; a
    category whose count now the rule does not publish is not named."""
    rule = hs.rule
    rows = hs.categories.assign(now=rule.counts(hs.categories["n_now"]), before=rule.counts(hs.categories["n_before"]))
    rows = rows[rows["now"].notna()].sort_values(["now", "category"], ascending=[False, True])
    return pd.DataFrame(
        {"Kategori": rows["category"], "Nu": rows["now"].map(rule.text), "Före": rows["before"].map(rule.text)}
    ).reset_index(drop=True)


def incidents_in_cell(
    run: Runner, hs: Hotspots, sel_params: dict, local: LocalFilter, cell: tuple[int, int]
) -> pd.DataFrame | None:
    """The latest single incidents of a cell, for internal mode only (None otherwise).

    Description and category are untrusted text: show them with elements that
    do not interpret markup (st.dataframe).
    """
    if not access.shows_single_incidents():
        return None
    params = summary_params(sel_params, local, hs.grid, cell) | {"limit": INCIDENT_LIST_LIMIT}
    frame = run("incident_cell_list", params)
    return pd.DataFrame(
        {
            "Tidpunkt": pd.to_datetime(frame["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            "Kategori": frame["category"],
            "Platstyp": frame["place_type"].map(lambda t: PLACE_TYPES.get(t, t)),
            "Beskrivning": frame["description"],
        }
    )

