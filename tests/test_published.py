"""The differencing check against what public mode really publishes.

For kommun × focus area × quarter selections of the demo data (and a link one
day later), the numbers are taken from the loaders and shaping functions the
pages and the report call (`overview.headline`, `hotspots.load` and its public
tables, every drawn cell's details, `indicators.load`, `report.build` and its
Excel), never recomputed here. The attacker of tests/differencing.py gets every
published number as the interval it stands for, every relation a reader knows
(a total is the sum of its categories, of its time blocks, of its cells, of its
days; a cell of its categories and blocks; a category or block of its cells),
and the fact that an unnamed category or an undrawn cell is 'färre än a'. It
must pin no count. An AppTest of the issue's planted-incident link closes it.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from functools import partial

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import db, hotspots, indicators, overview
from dashboard.disclosure import DAY_TYPES, PUBLIC_HOUR_BANDS, Rule, time_blocks
from dashboard.filters import Selection
from dashboard.report import build as report
from dashboard.report import xlsx as report_xlsx
from tests.conftest import indicator_table, page_text
from tests.datasets import TODAY
from tests.differencing import Publication

K = 3
RULE = Rule.public(K)
QUARTERS = [date(2026, 7, 1)]
BLOCKS = [(d, b) for d in DAY_TYPES for b in PUBLIC_HOUR_BANDS]


@pytest.fixture(scope="module")
def run(demo_dir):
    con = db.connect(demo_dir)
    yield partial(db.run_query, con)
    con.close()


@pytest.fixture(scope="module")
def selections(run) -> list[Selection]:
    """Every kommun × (every focus area, and all of them) × quarter."""
    kommuner = run("municipalities", {})["kommun_kod"].tolist()
    focus = [(), *((f,) for f in run("focus_areas", {})["focus_area"])]
    return [
        Selection((kod,), fa, "anpassad", q, (pd.Timestamp(q) + pd.offsets.QuarterEnd(0)).date())
        for kod in kommuner
        for fa in focus
        for q in QUARTERS
    ]


def _published(pub: Publication, key, true: int, shown: float) -> None:
    assert pd.isna(shown) or (shown % RULE.base == 0 and shown >= RULE.base), (key, shown)  # never 1..k−1
    pub.add(key, true, RULE.interval(shown))


def _unnamed(pub: Publication, key, true: int) -> None:
    """A category not listed or a cell not drawn: the reader knows it is 'färre än a'."""
    pub.add(key, true, RULE.interval(float("nan")))


def _listed(pub: Publication, key, true: int, shown: float | None, period: str) -> None:
    """A row of a category table: its published value if listed; if not, 'färre än a'
    now (that is why it isn't listed), and nothing known before."""
    if shown is not None:
        _published(pub, key, true, shown)
    elif period == "now":
        _unnamed(pub, key, true)
    else:
        pub.add(key, true)


def _texts(table: pd.DataFrame, column: str) -> dict:
    """{Kategori: published value} from a category table's Swedish text."""
    return {r["Kategori"]: _number(r[column]) for _, r in table.iterrows()}


def _number(text: str) -> float:
    return float("nan") if text == RULE.fewer else float(text.replace("\u00a0", ""))


def page_numbers(run, sel: Selection) -> dict:
    """Everything Översikt and Karta publish for `sel` in public mode, with the raw counts
    behind it: {'floored', 'headline', 'hs', 'raw', 'cells': {rc: (detail, raw detail)}, 'options', …}."""
    rule, floored = RULE, RULE.floor(sel, TODAY)
    params = floored.params
    head = overview.headline(run, params, TODAY)
    hs = hotspots.load(run, params, hotspots.LocalFilter(), False, rule)
    raw = run("hotspot_summary", hotspots.summary_params(params, hotspots.LocalFilter(), hs.grid))
    cells = {}
    for r in hs.cells.itertuples():
        rc = (r.cell_row, r.cell_col)
        detail = hotspots.load_cell(run, hs, params, hotspots.LocalFilter(), rc)
        cells[rc] = (hotspots.category_table(detail), hotspots.hour_counts(detail), detail)
    return {
        "floored": floored,
        "headline": (rule.count(head.incidents), rule.count(head.incidents_before)),
        "head": head,
        "hs": hs,
        "raw": raw,
        "cells": cells,
        "categories": hotspots.category_table(hs),
        "matrix": hotspots.time_matrix(hs),
        "trend": pd.concat(hotspots.weekly_totals(hs, params)),
        "coverage": hotspots.coverage_text(hs),
        "options": hotspots.category_options(run("incident_categories", params), rule),
    }


def publication(found: dict) -> Publication:
    """What the reader knows from `page_numbers`, as intervals and sums."""
    pub, hs, raw = Publication(), found["hs"], found["raw"]
    head, (now, before) = found["head"], found["headline"]
    _published(pub, ("total", "now"), head.incidents, now)
    _published(pub, ("total", "before"), head.incidents_before, before)
    # Karta's caption: placed + unplaced, both always said.
    coverage = found["coverage"]
    placed = re.search(r"Kartan visar (.+?) händelser? med exakt plats", coverage).group(1)
    unplaced = re.search(r"\. (.+?) händelser? saknar exakt plats", coverage).group(1)
    _published(pub, "placed", hs.total_now - hs.left_out, _number(placed))
    _published(pub, "unplaced", hs.left_out, _number(unplaced))
    pub.sum(("total", "now"), ["placed", "unplaced"])
    # Categories, now and before; the unnamed ones are 'färre än a'. The filter names
    # those whose count over both periods is published.
    table = found["categories"]
    categories = hs.categories.set_index("category")
    for period, column, header in (("now", "n_now", "Nu"), ("before", "n_before", "Före")):
        named = _texts(table, header)
        for c, n in categories[column].items():
            _listed(pub, ("category", period, c), n, named.get(c), period)
        pub.sum(("total", period), [("category", period, c) for c in categories.index])
    for c, r in categories.iterrows():
        both = r["n_now"] + r["n_before"]
        pub.add(("category", "both", c), both, (RULE.smallest, float("inf")) if c in found["options"] else RULE.interval(float("nan")))
        pub.sum(("category", "both", c), [("category", "now", c), ("category", "before", c)])
    # Time blocks of the period (the 2 × 4 matrix).
    blocks = time_blocks(hs.weekday_hour, ["n_now"]).set_index(["day_type", "band"])["n_now"]
    for block in BLOCKS:
        _published(pub, ("block", block), blocks[block], found["matrix"].loc[block])
    pub.sum(("total", "now"), [("block", b) for b in BLOCKS])
    _days_and_weeks(pub, found)
    _cells(pub, found, raw)
    return pub


def _days_and_weeks(pub: Publication, found: dict) -> None:
    params, hs = found["floored"].params, found["hs"]
    start, prev_start, end = (pd.Timestamp(params[k]) for k in ("start", "prev_start", "end"))
    days = hs.days.set_index(pd.to_datetime(hs.days["day"]))[["n_now", "n_before"]].sum(axis=1)
    for first, last, period in ((prev_start, start, "before"), (start, end, "now")):
        span = pd.date_range(first, last, inclusive="left")
        for d in span:
            pub.add(("day", d), int(days.get(d, 0)))
        pub.sum(("total", period), [("day", d) for d in span])
    for w in found["trend"].itertuples():
        week = pd.date_range(w.week_start, periods=7)
        _published(pub, ("week", w.week_start), sum(pub.truth[("day", d)] for d in week), w.n)
        pub.sum(("week", w.week_start), [("day", d) for d in week])


def _cells(pub: Publication, found: dict, raw: pd.DataFrame) -> None:
    """Every cell of the grid: drawn ones with their published counts, categories and
    blocks; the others 'färre än a'; and each category and block the sum over cells."""
    hs = found["hs"]
    cells = raw[(raw["slice"] == "cell") & raw["cell_row"].notna()]
    drawn = {(r.cell_row, r.cell_col): r for r in hs.cells.itertuples()}
    category_parts: dict = {}
    block_parts: dict = {}
    for r in cells.itertuples():
        rc = (int(r.cell_row), int(r.cell_col))
        for period, n in (("now", r.n_now), ("before", r.n_before)):
            if rc in drawn:
                _published(pub, ("cell", period, rc), n, getattr(drawn[rc], f"n_{period}"))
            elif period == "now":
                _unnamed(pub, ("cell", period, rc), n)
            else:
                pub.add(("cell", period, rc), n)
        if rc not in drawn:
            continue
        table, hours, detail = found["cells"][rc]
        for period, column, header in (("now", "n_now", "Nu"), ("before", "n_before", "Före")):
            named = _texts(table, header)
            parts = []
            for c, n in zip(detail.categories["category"], detail.categories[column]):
                key = ("cell category", period, rc, c)
                _listed(pub, key, n, named.get(c), period)
                parts.append(key)
                category_parts.setdefault((period, c), []).append(key)
            pub.sum(("cell", period, rc), parts)
        cell_blocks = time_blocks(detail.weekday_hour, ["n_now"]).set_index(["day_type", "band"])["n_now"]
        shown = dict(zip(hours["label"], hours["n"]))
        for block in BLOCKS:
            key = ("cell block", rc, block)
            _published(pub, key, cell_blocks[block], shown[f"{block[0]} {block[1]}"])
            block_parts.setdefault(block, []).append(key)
        pub.sum(("cell", "now", rc), [("cell block", rc, b) for b in BLOCKS])
    pub.sum("placed", [("cell", "now", (int(r.cell_row), int(r.cell_col))) for r in cells.itertuples()])
    columns = [(("category", p, c), keys) for (p, c), keys in category_parts.items()]
    columns += [(("block", b), keys) for b, keys in block_parts.items()]
    for total, keys in columns:  # a category (or block) of the whole: its drawn cells + the rest
        pub.add(("rest", total), pub.truth[total] - sum(pub.truth[k] for k in keys))
        pub.sum(total, [*keys, ("rest", total)])


@pytest.fixture(scope="module")
def published(run, selections) -> list[tuple[Selection, dict]]:
    return [(sel, page_numbers(run, sel)) for sel in selections]


def test_the_pages_publish_nothing_from_which_a_count_can_be_recovered(published):
    hidden = recovered = tables = 0
    for sel, found in published:
        if found["head"].incidents == 0:
            continue
        pub = publication(found)
        tables += 1
        hidden += sum(low != high for low, high in pub.shown.values())
        pinned = pub.recovered()
        recovered += len(pinned)
        assert pinned == [], (sel, pinned[:5])
    assert tables > 50 and hidden > 1_000 and recovered == 0


def test_a_link_one_day_later_publishes_exactly_the_same_numbers(run, published):
    for sel, found in published[::5]:
        twin = page_numbers(run, Selection(sel.kommun_kods, sel.focus_areas, "anpassad", sel.start + timedelta(days=1), sel.end))
        assert twin["floored"].params == found["floored"].params
        assert twin["headline"] == pytest.approx(found["headline"], nan_ok=True)
        assert twin["coverage"] == found["coverage"]
        assert twin["categories"].equals(found["categories"]) and twin["matrix"].equals(found["matrix"])
        assert twin["hs"].cells[["cell_row", "cell_col", "n_now", "n_before"]].equals(
            found["hs"].cells[["cell_row", "cell_col", "n_now", "n_before"]]
        )


def test_the_derived_indicators_tell_no_focus_area_from_all_incidents(run):
    """Indikatorer: per kommun and period 'Alla händelser' = its focus areas + incidents without one."""
    tables = 0
    for kod in run("municipalities", {})["kommun_kod"]:
        sel = Selection((kod,), (), "anpassad", QUARTERS[0], QUARTERS[-1] + timedelta(days=91))
        params = RULE.floor(sel, TODAY).params
        for grain in ("quarter", "month"):
            truth = run("indicator_derived", params | {"grain": grain})
            values = indicators.load(run, params, False, grain, RULE).values
            shown = values.set_index(["indicator_id", "period_start"])["value"]
            for period, rows in truth.groupby("period_start"):
                pub = Publication()
                focus = [f for f in rows["focus_area"] if not pd.isna(f)]
                for f, n in zip(rows["focus_area"], rows["n"]):
                    key = "all" if pd.isna(f) else f
                    _published(pub, key, n, shown[(f"handelser_{key}" if key != "all" else "handelser_alla", pd.Timestamp(period))])
                pub.add("no focus area", pub.truth["all"] - sum(pub.truth[f] for f in focus))
                pub.sum("all", [*focus, "no focus area"])
                assert pub.recovered() == [], (kod, grain, period)
                tables += 1
    assert tables > 50


def test_the_public_report_and_its_excel_publish_what_the_pages_do(run, published):
    for sel, found in published[::9]:
        r = report.build(run, sel, "public")
        keys = {k.label: k.value for k in r.key_numbers}
        assert (keys["Under perioden"], keys["Föregående period"]) == pytest.approx(found["headline"], nan_ok=True)
        assert r.weekday_hour.equals(found["matrix"])
        assert r.hotspots.cells[["n_now", "n_before"]].equals(found["hs"].cells[["n_now", "n_before"]])
        wb = load_workbook(io.BytesIO(report_xlsx.render(r)))
        counts = [row[2:4] for row in wb["Platser"].iter_rows(min_row=2, values_only=True)]
        counts += [row[1:] for row in wb["Veckodag och timme"].iter_rows(min_row=2, values_only=True)]
        counts += [(row[2],) for row in wb["Nyckeltal"].iter_rows(min_row=2, max_row=3, values_only=True)]
        for value in (v for row in counts for v in row):
            assert value == RULE.fewer or (value % RULE.base == 0 and value >= RULE.base), (sel, value)


def test_the_planted_incident_link_shows_no_count_from_1_to_k_minus_1(render, demo_dir):
    """The issue's case: one day, one kommun, one focus area, where one incident happened."""
    con = db.connect(demo_dir)
    kod, focus, day = con.execute(
        "SELECT kommun_kod, focus_area, occurred_at::DATE FROM incidents WHERE focus_area IS NOT NULL "
        "AND occurred_at < $today GROUP BY ALL HAVING count(*) = 1 ORDER BY 3 DESC LIMIT 1",
        {"today": TODAY - timedelta(days=2)},
    ).fetchone()
    con.close()
    link = {"kommun": kod, "fokus": focus, "period": "anpassad", "fran": day.isoformat(), "till": day.isoformat()}
    for page in ("oversikt", "karta", "indikatorer"):
        at = render(demo_dir, page, mode="public", query=link)
        assert not at.exception
        assert "hela kalendermånader" in page_text(at)  # one day became its whole month
        # Översikt's Löften and Indikatorer cards count commitments and indicators, not incidents.
        cards = at.columns[1:3] if page == "oversikt" else []
        card_lines = {line for card in cards for line in page_text(card).splitlines()}
        card_labels = {m.label for card in cards for m in card.metric}
        shown = "\n".join(line for line in page_text(at).splitlines() if line not in card_lines)
        shown += " " + " ".join(str(m.value) for m in at.metric if m.label not in card_labels)
        if page == "indikatorer":  # the incident-derived rows (the others are imported statistics)
            table = indicator_table(at)
            derived = table[table["indicator_id"].str.startswith("handelser_")]
            shown = " ".join(derived["Senaste"].str.replace(r"\(.*\)", "", regex=True)) + " " + " ".join(derived["Förändring"])
        else:
            shown += " ".join(f.value.to_string() for f in at.dataframe)
        text = _without_dates(shown)
        small = [
            text[max(0, m.start() - 50) : m.end() + 10]
            for m in re.finditer(r"(?<![\d\u00a0.,:–-])\d+(?![\d\u00a0.,:–-]| ?%)", text)
            if 1 <= int(m.group()) < K
        ]
        assert small == [], page


def _without_dates(text: str) -> str:
    """The text without dates, hour bands and cell sizes ('rutor om 1 km'): numbers that count nothing."""
    return re.sub(r"\d{4}-\d{2}-\d{2}|\d{2}–\d{2}|kl\. \d{2}|\d+ k?m\b", " ", text)
