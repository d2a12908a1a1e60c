"""The public disclosure rule: what it shows, the floors, and the differencing
check: an attacker (tests/differencing.py) that subtracts parts from totals and
periods from each other recovers hidden counts from today's suppression and none
from the rule, on synthetic tables and on the demo data."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from datetime import date, timedelta
from functools import partial

import numpy as np
import pandas as pd
import pytest

from dashboard import db, disclosure, hotspots
from dashboard.disclosure import Rule, rule_for, time_blocks, whole_weeks
from dashboard.filters import Selection
from tests.datasets import TODAY
from tests.differencing import Publication

K = 3
PUBLIC = Rule.public(K)


# -- the rule itself --------------------------------------------------------------------


def test_internal_and_meeting_show_exact_counts():
    for mode in ("internal", "meeting"):
        rule = rule_for(mode, K)
        assert rule.exact and rule.count(1) == 1 and rule.format(1234) == "1\u00a0234" and rule.note == ""
        assert rule.interval(7) == (7, 7)


def test_public_rounds_to_tens_and_says_fewer_than_5_below_5():
    assert rule_for("public", K) == PUBLIC
    assert [PUBLIC.format(n) for n in (0, 1, 2, 4, 5, 14, 15, 1234)] == [
        "färre än 5", "färre än 5", "färre än 5", "färre än 5", "10", "10", "20", "1\u00a0230",
    ]  # fmt: skip
    assert "närmaste 10-tal" in PUBLIC.note and "färre än 5" in PUBLIC.note
    assert [PUBLIC.cell(PUBLIC.count(n)) for n in (4, 14)] == ["färre än 5", 10]  # spreadsheet cells alike


@pytest.mark.parametrize("k, base", [(3, 10), (4, 10), (5, 10), (6, 30), (15, 30), (16, 50)])
def test_the_base_grows_with_k_and_half_of_it_stays_odd(k, base):
    rule = Rule.public(k)
    assert rule.base == base and rule.smallest >= k and rule.smallest % 2 == 1


@pytest.mark.parametrize("k", [3, 5, 7, 20])
def test_no_count_from_1_to_k_minus_1_is_ever_shown_and_every_interval_holds_the_count(k):
    rule = Rule.public(k)
    values = pd.Series(range(0, 400))
    published = rule.counts(values)
    assert published.equals(values.map(rule.count))
    assert published.dropna().mod(rule.base).eq(0).all() and published.dropna().ge(rule.base).all()
    for n, shown in zip(values, published):
        low, high = rule.interval(shown)
        assert low <= n <= high and high - low == (rule.smallest - 1 if pd.isna(shown) else rule.base - 1)
        assert not any(str(m) == rule.format(n) for m in range(1, k))


def test_apply_rounds_the_count_columns_only():
    frame = pd.DataFrame({"category": ["A", "B"], "n_now": [3, 27], "n_before": [12, 0]})
    shown = PUBLIC.apply(frame, ["n_now", "n_before"])
    assert shown["category"].tolist() == ["A", "B"]
    assert shown["n_now"].isna().tolist() == [True, False] and shown["n_now"][1] == 30
    assert shown["n_before"][0] == 10 and math.isnan(shown["n_before"][1])
    assert Rule().apply(frame, ["n_now"]).equals(frame.astype({"n_now": float}))


def test_change_is_computed_from_published_values_only():
    assert PUBLIC.change(26, 14) == 20  # 30 − 10, not 12
    assert math.isnan(PUBLIC.change(26, 4))
    assert Rule().change(26, 14) == 12


# -- floors -----------------------------------------------------------------------------


def _sel(start: date, end: date) -> Selection:
    return Selection(("1488",), (), "anpassad", start, end)


def test_public_periods_are_whole_complete_months_compared_with_as_many_months_before():
    quarter = Selection(("1488",), (), "kvartal", TODAY - timedelta(days=90), TODAY)  # 2026-09-02 – 2026-12-01
    floored = PUBLIC.floor(quarter, TODAY)
    assert (floored.selection.start, floored.selection.end) == (date(2026, 9, 1), date(2026, 11, 30))
    assert floored.params["prev_start"].date() == date(2026, 6, 1)
    assert floored.params["start"].date() == date(2026, 9, 1) and floored.params["end"].date() == date(2026, 12, 1)
    assert "hela kalendermånader: 2026-09-01 – 2026-11-30" in floored.note
    assert "jämfört med 2026-06-01 – 2026-08-31" in floored.note


def test_a_period_within_the_current_month_becomes_the_last_whole_month():
    floored = PUBLIC.floor(_sel(date(2026, 12, 1), TODAY), TODAY)
    assert (floored.selection.start, floored.selection.end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert floored.params["prev_start"].date() == date(2026, 10, 1)


def test_whole_months_are_kept_as_they_are():
    floored = PUBLIC.floor(_sel(date(2025, 1, 1), date(2025, 3, 31)), TODAY)
    assert (floored.selection.start, floored.selection.end, floored.note) == (date(2025, 1, 1), date(2025, 3, 31), "")


def test_two_periods_a_day_apart_are_published_as_the_same_period():
    a, b = _sel(date(2026, 7, 1), date(2026, 9, 30)), _sel(date(2026, 7, 2), date(2026, 9, 30))
    c = _sel(date(2026, 7, 1), date(2026, 9, 29))
    assert PUBLIC.floor(b, TODAY).params["start"] == PUBLIC.floor(a, TODAY).params["start"]
    august = _sel(date(2026, 7, 1), date(2026, 8, 31))
    assert PUBLIC.floor(c, TODAY).params["end"] == PUBLIC.floor(august, TODAY).params["end"]


def test_internal_selections_are_not_floored():
    sel = _sel(date(2026, 7, 2), date(2026, 7, 2))
    floored = Rule().floor(sel, TODAY)
    assert floored.selection == sel and floored.params == sel.params() and floored.note == ""


def test_map_cells_are_at_least_1_km_in_public():
    assert PUBLIC.cell_size(500) == 1_000 and PUBLIC.cell_size(5_000) == 5_000 and Rule().cell_size(100) == 100


def test_time_blocks_sum_weekday_hour_into_eight_blocks():
    wh = pd.DataFrame([(d, h, d * 24 + h) for d in range(7) for h in range(24)], columns=["weekday", "hour", "n"])
    blocks = time_blocks(wh[wh["n"] % 5 != 0], ["n"])  # missing cells count 0
    assert len(blocks) == 8 and blocks["n"].sum() == wh.loc[wh["n"] % 5 != 0, "n"].sum()
    friday_night = wh[(wh["weekday"] == 4) & wh["hour"].between(18, 23) & (wh["n"] % 5 != 0)]["n"].sum()
    weekday_evening = blocks.query("day_type == 'Vardag' and band == '18–24'")["n"].item()
    assert weekday_evening >= friday_night and set(blocks["band"]) == set(disclosure.PUBLIC_HOUR_BANDS)


def test_whole_weeks_only():
    days = pd.DataFrame({"day": pd.date_range("2026-09-01", "2026-09-30"), "n": 1})  # Tuesday to Wednesday
    weeks = whole_weeks(days, date(2026, 9, 1), date(2026, 9, 30))
    assert weeks["week"].dt.date.tolist() == [date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 21)]
    assert weeks["n"].tolist() == [7, 7, 7]


# -- the differencing check on synthetic tables -----------------------------------------


def _publish(pub: Publication, rule: Rule, key, n: int) -> None:
    pub.add(key, n, rule.interval(rule.count(n)))


def _table(rule: Rule, parts: list[int]) -> Publication:
    pub = Publication()
    _publish(pub, rule, "total", sum(parts))
    for i, n in enumerate(parts):
        _publish(pub, rule, i, n)
    pub.sum("total", range(len(parts)))
    return pub


def test_suppression_alone_gives_small_counts_away():
    """Today's rule (exact counts, 1..k−1 blank): total minus the visible parts."""
    pub = Publication()
    for key, n in [("total", 12), ("A", 10), ("B", 2)]:
        pub.add(key, n, (1, K - 1) if 1 <= n < K else (n, n))
    pub.sum("total", ["A", "B"])
    assert pub.recovered(small=(1, K - 1)) == ["B"]


def test_rounding_to_fives_would_leak_which_is_why_half_the_base_is_odd():
    """Rounded to the nearest 5, four parts of 2 (each shown as 0: 0–2) and their
    total 8 (shown as 10: 8–12) pin every part at 2."""
    pub = Publication()
    pub.add("total", 8, (8, 12))
    for i in range(4):
        pub.add(i, 2, (0, 2))
    pub.sum("total", range(4))
    assert set(pub.recovered()) == {"total", 0, 1, 2, 3}


@pytest.mark.parametrize("parts", [2, 3])
def test_no_part_of_a_rounded_table_is_ever_pinned_exhaustively(parts):
    top = {2: 45, 3: 26}[parts]
    for values in itertools.product(range(top), repeat=parts):
        assert _table(PUBLIC, list(values)).recovered() == [], values


def test_no_part_of_a_rounded_table_is_ever_pinned_at_the_edges_of_the_intervals():
    """The only way to pin a part is every interval at an end at once: all parts at
    the top (4, 14, …) against a total at its bottom, or the reverse."""
    edges = [0, 4, 5, 14, 15, 24, 25, 34]
    rng = random.Random(1)
    for _ in range(3_000):
        values = [rng.choice(edges) for _ in range(rng.randint(2, 14))]
        assert _table(PUBLIC, values).recovered() == [], values
    for k in (6, 16):
        rule = Rule.public(k)
        for _ in range(500):
            edges = [0, rule.smallest - 1, rule.smallest, rule.base + rule.smallest - 1]
            values = [rng.choice(edges) for _ in range(8)]
            assert _table(rule, values).recovered() == [], (k, values)


def test_two_nested_selections_never_pin_their_difference():
    """A period and the same period but its first day: the day is never recovered."""
    for before, day in itertools.product(range(80), range(12)):
        pub = Publication()
        _publish(pub, PUBLIC, "A", before + day)
        _publish(pub, PUBLIC, "B", before)
        pub.add("day", day)
        pub.sum("A", ["B", "day"])
        assert pub.recovered() == [], (before, day)


# -- the differencing check on the demo data --------------------------------------------

QUARTERS = [date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)]
END = date(2026, 10, 1)

AGGREGATES = """
WITH selected AS (
    SELECT kommun_kod, coalesce(focus_area, '') AS focus_area,
           date_trunc('quarter', occurred_at)::DATE AS quarter,
           category, isodow(occurred_at) - 1 AS weekday, hour(occurred_at) AS hour, occurred_at::DATE AS day,
           CASE WHEN place_precision = 'point' THEN floor(lat / g.old_lat)::INTEGER END AS old_row,
           CASE WHEN place_precision = 'point' THEN floor(lon / g.old_lon)::INTEGER END AS old_col,
           CASE WHEN place_precision = 'point' THEN floor(lat / g.pub_lat)::INTEGER END AS pub_row,
           CASE WHEN place_precision = 'point' THEN floor(lon / g.pub_lon)::INTEGER END AS pub_col
    FROM incidents JOIN grids g USING (kommun_kod)
    WHERE occurred_at >= $first AND occurred_at < $last
)
SELECT kommun_kod, focus_area, quarter, category, weekday, hour, day, old_row, old_col, pub_row, pub_col,
       grouping(category, day, old_row, pub_row) = 7 AS by_category, grouping(weekday) = 0 AS by_time,
       grouping(day, category) = 1 AS by_day, grouping(day, category) = 0 AS by_day_category,
       grouping(old_row, category) = 1 AS by_old_cell, grouping(old_row, category) = 0 AS by_old_cell_category,
       grouping(pub_row, category) = 1 AS by_pub_cell, grouping(pub_row, category) = 0 AS by_pub_cell_category,
       count(*) AS n
FROM selected
GROUP BY GROUPING SETS (
    (kommun_kod, focus_area, quarter, category), (kommun_kod, focus_area, quarter, weekday, hour),
    (kommun_kod, focus_area, quarter, day), (kommun_kod, focus_area, quarter, day, category),
    (kommun_kod, focus_area, quarter, old_row, old_col), (kommun_kod, focus_area, quarter, old_row, old_col, category),
    (kommun_kod, focus_area, quarter, pub_row, pub_col), (kommun_kod, focus_area, quarter, pub_row, pub_col, category)
)
"""


@pytest.fixture(scope="module")
def aggregates(demo_dir) -> dict:
    return demo_aggregates(demo_dir)


def demo_aggregates(data_dir) -> dict:
    """Counts per kommun × focus area × quarter, sliced as the pages slice them, from
    DuckDB: {(kommun_kod, focus_area, quarter): {slice: {key: n}}}."""
    con = db.connect(data_dir)
    run = partial(db.run_query, con)
    grids = []
    for kod in run("municipalities", {})["kommun_kod"]:
        grid = hotspots.Grid.for_extent(hotspots.Extent.around(run("kommun_outlines", {"kommun_kods": [kod]})))
        public = hotspots.Grid(PUBLIC.cell_size(grid.size_m), grid.mid_lat)
        grids.append((kod, grid.cell_lat, grid.cell_lon, public.cell_lat, public.cell_lon))
    con.register("grids", pd.DataFrame(grids, columns=["kommun_kod", "old_lat", "old_lon", "pub_lat", "pub_lon"]))
    frame = con.execute(AGGREGATES, {"first": QUARTERS[0], "last": END}).df()
    selection = ["kommun_kod", "focus_area", "quarter"]
    blocks = time_blocks(frame[frame["by_time"]], ["n"], by=tuple(selection))
    slices = {
        "category": ("by_category", ["category"]),
        "time": ("by_time", ["weekday", "hour"]),
        "day": ("by_day", ["day"]),
        "day_category": ("by_day_category", ["day", "category"]),
        "old_cell": ("by_old_cell", ["old_row", "old_col"]),
        "old_cell_category": ("by_old_cell_category", ["old_row", "old_col", "category"]),
        "pub_cell": ("by_pub_cell", ["pub_row", "pub_col"]),
        "pub_cell_category": ("by_pub_cell_category", ["pub_row", "pub_col", "category"]),
    }
    found: dict = {}
    for name, (flag, cols) in [*slices.items(), ("blocks", (None, ["day_type", "band"]))]:
        rows = blocks if flag is None else frame[frame[flag]]
        for row in rows[[*selection, *cols, "n"]].itertuples(index=False):
            key = tuple(None if pd.isna(v) else v for v in row[3:-1])
            found.setdefault((row[0], row[1], row[2].date()), {}).setdefault(name, {})[key] = int(row[-1])
    return found


class Today:
    """What the pages publish today: exact counts, 1..k−1 blank, counts of hidden map cells."""

    floors = False
    cells = "old_cell"

    @staticmethod
    def publish(pub: Publication, key, n: int) -> None:
        pub.add(key, n, (1, K - 1) if 1 <= n < K else (n, n))

    @staticmethod
    def drawn(n: int) -> bool:
        return n >= K


class Rounded:
    """What the pages publish under the rule (`floors=False`: without the period floor)."""

    cells = "pub_cell"

    def __init__(self, floors: bool = True):
        self.floors = floors

    @staticmethod
    def publish(pub: Publication, key, n: int) -> None:
        _publish(pub, PUBLIC, key, n)

    @staticmethod
    def drawn(n: int) -> bool:
        return not math.isnan(PUBLIC.count(n))


def _cells(pub: Publication, policy, counts: dict) -> None:
    """The map: total = placed + unplaced (the caption), placed = drawn cells + the rest,
    and each drawn cell with its categories (a click)."""
    cells = counts.get(policy.cells, {})
    placed = {rc: n for rc, n in cells.items() if rc[0] is not None}
    policy.publish(pub, "unplaced", sum(cells.values()) - sum(placed.values()))
    policy.publish(pub, "placed", sum(placed.values()))
    pub.sum("total", ["placed", "unplaced"])
    in_cells = counts.get(policy.cells + "_category", {})
    parts = []
    for rc, n in placed.items():
        parts.append(("cell", rc))
        if not policy.drawn(n):
            if isinstance(policy, Today):  # not drawn, but counted in the caption
                pub.add(("cell", rc), n, (1, K - 1))
            continue
        policy.publish(pub, ("cell", rc), n)
        mine = [(key[2], m) for key, m in in_cells.items() if key[:2] == rc]
        for category, m in mine:
            policy.publish(pub, ("cell", rc, category), m)
        pub.sum(("cell", rc), [("cell", rc, c) for c, _ in mine])
    if isinstance(policy, Rounded):  # cells under 5 are neither drawn nor counted: one unknown rest
        drawn = [p for p in parts if p in pub.truth]
        pub.add("rest", sum(placed.values()) - sum(pub.truth[p] for p in drawn))
        parts = [*drawn, "rest"]
    pub.sum("placed", parts)


def publication(counts: dict, policy, start: date) -> Publication:
    """What Översikt, Karta and a day-shifted link publish for one kommun × focus area × quarter."""
    pub = Publication()
    categories = {key[0]: n for key, n in counts["category"].items()}
    policy.publish(pub, "total", sum(categories.values()))
    for category, n in categories.items():
        policy.publish(pub, ("category", category), n)
    pub.sum("total", [("category", c) for c in categories])
    times = counts["blocks"] if isinstance(policy, Rounded) else counts["time"]
    for key, n in times.items():
        policy.publish(pub, ("time", key), n)
    pub.sum("total", [("time", key) for key in times])
    _cells(pub, policy, counts)
    _trend(pub, policy, counts, start)
    _day_apart(pub, policy, counts, start, categories)
    return pub


def _quarter_end(start: date) -> date:
    return (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()


def _trend(pub: Publication, policy, counts: dict, start: date) -> None:
    days = pd.date_range(start, _quarter_end(start))
    for day in days:
        pub.add(("day", day), counts["day"].get((day,), 0))
    pub.sum("total", [("day", d) for d in days])
    if isinstance(policy, Today):  # rolling seven-day sums, a point per day
        windows = [days[i - 6 : i + 1] for i in range(6, len(days))]
    else:
        per_day = pd.DataFrame({"day": days, "n": 0})
        windows = [pd.date_range(week, periods=7) for week in whole_weeks(per_day, start, _quarter_end(start))["week"]]
    for window in windows:
        policy.publish(pub, ("week to", window[-1]), sum(pub.truth[("day", d)] for d in window))
        pub.sum(("week to", window[-1]), [("day", d) for d in window])


def _day_apart(pub: Publication, policy, counts: dict, start: date, categories: dict) -> None:
    """A second link to the same quarter but its first day: its total and categories."""
    if policy.floors:
        shifted = _sel(start + timedelta(days=1), _quarter_end(start))
        assert PUBLIC.floor(shifted, TODAY).params["start"].date() == start  # the same months, the same numbers
        return
    first = pd.Timestamp(start)
    first_day = {c: counts.get("day_category", {}).get((first, c), 0) for c in categories}
    policy.publish(pub, "total later", pub.truth["total"] - sum(first_day.values()))
    pub.sum("total", ["total later", ("day", first)])
    for category, n in categories.items():
        policy.publish(pub, ("category later", category), n - first_day[category])
        pub.add(("first day", category), first_day[category])
        pub.sum(("category", category), [("category later", category), ("first day", category)])
    pub.sum("total later", [("category later", c) for c in categories])


def derived(aggregates: dict, policy) -> list[Publication]:
    """Indikatorer: per kommun and quarter, 'Alla händelser' and one series per focus area."""
    series: dict = {}
    for (kod, focus, quarter), counts in aggregates.items():
        series.setdefault((kod, quarter), {})[focus] = sum(counts["category"].values())
    tables = []
    for by_focus in series.values():
        pub = Publication()
        policy.publish(pub, "all", sum(by_focus.values()))
        for focus, n in by_focus.items():
            policy.publish(pub, focus, n)
        pub.sum("all", list(by_focus))
        tables.append(pub)
    return tables


def attack(aggregates: dict, policy) -> Counter:
    """How many selections, hidden counts, and recovered ones: a hidden count (true
    1..k−1) under today's suppression, any count that was not published exactly under the rule."""
    found = Counter()
    for (kod, focus, quarter), counts in aggregates.items():
        pub = publication(counts, policy, quarter)
        hidden = [key for key, (low, high) in pub.shown.items() if low != high]
        recovered = pub.recovered(small=None if isinstance(policy, Rounded) else (1, K - 1))
        found["selections"] += 1
        found["hidden counts"] += len(hidden)
        found["selections with a recovered count"] += bool(recovered)
        found["recovered counts"] += len(recovered)
        time_hidden = {k for k in hidden if k[0] == "time"}
        every_blank = bool(time_hidden) and time_hidden <= set(recovered)
        found["selections with every blank weekday × hour cell recoverable"] += every_blank
    for pub in derived(aggregates, policy):
        found["derived indicator tables"] += 1
        found["derived indicator tables with a recovered count"] += bool(pub.recovered())
    return found


def test_today_s_suppression_gives_hidden_counts_away_on_the_demo_data(aggregates):
    found = attack(aggregates, Today())
    assert found["selections"] > 250
    assert found["selections with a recovered count"] > found["selections"] / 2  # 183 of 257
    assert found["selections with every blank weekday × hour cell recoverable"] > found["selections"] / 3  # 159
    assert found["derived indicator tables with a recovered count"] > 0  # 5 of 28


@pytest.mark.parametrize("floors", [True, False])
def test_the_rule_gives_no_count_away_on_the_demo_data(aggregates, floors):
    found = attack(aggregates, Rounded(floors))
    assert found["selections"] > 250 and found["hidden counts"] > 0
    assert found["selections with a recovered count"] == 0 and found["recovered counts"] == 0
    assert found["derived indicator tables with a recovered count"] == 0


def test_the_attacker_is_sound_and_finds_what_it_should():
    """Pins a planted small count through a chain of tables and never excludes the truth."""
    pub = Publication()
    Today().publish(pub, "quarter", 40)
    Today().publish(pub, "quarter but its first day", 39)
    pub.add("first day", 1)
    pub.sum("quarter", ["quarter but its first day", "first day"])
    assert pub.recovered() == ["first day"]
    rng = np.random.default_rng(3)
    for _ in range(200):
        parts = rng.integers(0, 30, size=rng.integers(2, 9)).tolist()
        assert _table(PUBLIC, parts).recovered() == []  # asserts inside that every truth stays in its range
