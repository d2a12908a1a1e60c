"""Indicator trends: direction-aware verdicts, targets, per-capita figures,
gaps, mixed period types, the overview table, the chart and the page."""

import base64
import json
import math
import shutil
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st

from dashboard import charts, db, indicators, theme
from dashboard.filters import Selection
from dashboard.formatting import fmt_number
from dashboard.population import Populations
from dashboard.schema import to_arrow
from dashboard.storage import write_atomic
from dashboard.ui import indicator_views, presenter
from tests.conftest import indicator_table, page_text, rerun_fragments
from tests.datasets import TODAY, write_tables

NAN = math.nan


# --- Verdicts and targets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "previous", "latest", "expected"),
    [
        ("increase", 150, 180, "good"),  # more detected drug offences is the desired effect
        ("increase", 180, 150, "bad"),  # fewer is not always better
        ("decrease", 30, 25, "good"),
        ("decrease", 25, 30, "bad"),
        ("none", 800, 900, "neutral"),
        ("increase", 100, 100.5, "flat"),  # within 1 %
        ("decrease", 0, 0, "flat"),
        ("increase", NAN, 5, "unknown"),
        ("decrease", None, 5, "unknown"),
    ],
)
def test_verdict_respects_the_desired_direction(direction, previous, latest, expected):
    assert indicators.verdict(direction, latest, previous) == expected


def test_verdicts_are_written_with_a_symbol_never_colour_alone():
    assert indicators.verdict_text("good") == "✔ i önskad riktning"
    assert indicators.verdict_text("bad") == "✖ i fel riktning"
    assert indicators.verdict_text("flat") == "→ oförändrad"
    assert indicators.direction_text("increase") == "↑ Ska öka"
    assert indicators.direction_text("decrease") == "↓ Ska minska"


@pytest.mark.parametrize(
    ("direction", "latest", "target", "remaining"),
    [("increase", 70, 75, 5), ("increase", 80, 75, 0), ("decrease", 24, 18, 6), ("decrease", 17, 18, 0),
     ("none", 5, 10, None), ("increase", 5, NAN, None)],
)  # fmt: skip
def test_distance_to_target_follows_the_direction(direction, latest, target, remaining):
    assert indicators.target_remaining(direction, latest, target) == remaining


def row(**fields):
    base = {"unit": "andel (%)", "direction": "increase", "latest": 65.6, "previous": 63.7, "target": 75.0,
            "period_start": pd.Timestamp("2025-01-01"), "previous_start": pd.Timestamp("2024-01-01"), "period_type": "year"}  # fmt: skip
    return pd.Series(base | fields)


def test_change_and_target_texts_are_swedish():
    assert indicators.change_text(row()) == "+1,9 sedan 2024"
    assert indicators.target_text(row()) == "Mål 75,0\u00a0%: 9,4 kvar"
    assert indicators.target_text(row(latest=80.0)) == "Mål 75,0\u00a0%: ✔ nått"
    assert indicators.target_text(row(target=NAN)) == ""
    assert indicators.change_text(row(previous=NAN)) == "–"
    quarter = row(unit="antal", latest=1234.0, previous=1300.0, period_type="quarter", previous_start=pd.Timestamp("2026-04-01"))
    assert indicators.change_text(quarter) == "\u221266 sedan 2026 kv.\u00a02"
    assert indicators.fmt_value(1234.5, "antal per 100 000 inv.") == "1\u00a0234,5"


# --- Per capita ---------------------------------------------------------------------


def test_per_100k_arithmetic():
    assert indicators.per_100k(71, 14_200) == pytest.approx(500.0)
    assert indicators.per_100k(3, 60_000) == pytest.approx(5.0)


def test_only_plain_counts_are_turned_into_per_capita_figures():
    catalog = pd.DataFrame(
        {"unit": ["antal", "antal per 100 000 inv.", "andel (%)"], "per_capita": [False, True, False]},
        index=pd.Index(["count", "rate", "share"], name="indicator_id"),
    )
    values = pd.DataFrame(
        {"indicator_id": ["count", "count", "rate", "share"], "kommun_kod": ["1462", "1488", "1462", "1462"],
         "value": [71.0, 30.0, 150.0, 65.0], "target": [NAN, 60.0, 190.0, 75.0]}
    )  # fmt: skip
    values = values.assign(period_start=pd.Timestamp("2024-01-01"))
    catalog, values = indicators.to_per_capita(catalog, values, Populations.constant({"1462": 14_200, "1488": 60_000}))
    assert values["value"].tolist() == pytest.approx([500.0, 50.0, 150.0, 65.0])
    assert values["target"].iloc[1] == pytest.approx(100.0)
    assert catalog["unit"].tolist() == ["antal per 100 000 inv.", "antal per 100 000 inv.", "andel (%)"]


# --- Gaps and mixed period types -----------------------------------------------------


def series(*rows):
    """Values from (indicator_id, kommun_kod, period_start, period_type, value, target)."""
    frame = pd.DataFrame(rows, columns=["indicator_id", "kommun_kod", "period_start", "period_type", "value", "target"])
    return frame.assign(period_start=pd.to_datetime(frame["period_start"]))


MIXED = series(
    ("trygghet", "1488", "2021-01-01", "year", 70.0, 75.0),
    ("trygghet", "1488", "2023-01-01", "year", 72.0, NAN),  # 2022 missing: a gap
    ("trygghet", "1488", "2024-01-01", "year", 71.0, NAN),
    ("narkotika", "1488", "2024-01-01", "quarter", 10.0, NAN),
    ("narkotika", "1488", "2024-07-01", "quarter", 12.0, NAN),  # Q2 missing
)


def test_missing_periods_become_gaps_not_zeros():
    full = indicators.with_gaps(MIXED)
    yearly = full[full["indicator_id"] == "trygghet"].set_index("period_start")
    assert yearly.index.year.tolist() == [2021, 2022, 2023, 2024]
    assert math.isnan(yearly.loc["2022-01-01", "value"])
    assert yearly["target"].tolist() == [75.0, 75.0, 75.0, 75.0]  # a target holds until a new one is set
    quarterly = full[full["indicator_id"] == "narkotika"]
    assert quarterly["period_start"].dt.month.tolist() == [1, 4, 7]
    assert quarterly["value"].isna().tolist() == [False, True, False]


def test_latest_is_compared_with_the_value_before_it_and_names_its_period():
    pairs = indicators.latest_pairs(indicators.with_gaps(MIXED)).set_index("indicator_id")
    assert (pairs.at["trygghet", "latest"], pairs.at["trygghet", "previous"]) == (71.0, 72.0)
    assert pairs.at["narkotika", "previous"] == 10.0  # across the gap, not a zero
    assert pairs.at["narkotika", "previous_start"] == pd.Timestamp("2024-01-01")
    assert pairs.at["narkotika", "period_type"] == "quarter"
    assert pairs.at["trygghet", "target"] == 75.0


@pytest.fixture
def mixed_dir(tmp_path):
    """An indicator declared yearly with quarterly values too, and one with quarterly values only."""
    return write_tables(
        tmp_path,
        indicators=pd.DataFrame(
            {"indicator_id": ["trygghet", "inbrott"], "name_sv": ["Trygghet", "Inbrott"], "unit": ["andel (%)", "antal"],
             "direction": ["increase", "decrease"], "focus_area": ["narkotika", "narkotika"], "period_type": ["year", "year"],
             "per_capita": [False, False]}
        ),
        indicator_values=series(
            ("trygghet", "1462", "2023-01-01", "year", 60.0, NAN),
            ("trygghet", "1462", "2024-01-01", "year", 58.0, 70.0),
            ("trygghet", "1462", "2024-10-01", "quarter", 99.0, NAN),  # not mixed into the yearly line
            ("inbrott", "1462", "2024-04-01", "quarter", 40.0, NAN),
            ("inbrott", "1462", "2024-07-01", "quarter", 30.0, NAN),
        ),
    )  # fmt: skip


SEL = Selection(("1462", "1488"), (), "anpassad", date(2025, 1, 1), date(2025, 3, 31))


def test_a_series_keeps_one_period_type(mixed_dir):
    con = db.connect(mixed_dir)
    values = db.run_query(con, "indicator_series", SEL.params())
    kinds = values.groupby("indicator_id")["period_type"].unique().map(list).to_dict()
    assert kinds == {"trygghet": ["year"], "inbrott": ["quarter"]}
    latest = indicators.latest_pairs(values).set_index("indicator_id")
    assert (latest.at["trygghet", "latest"], latest.at["trygghet", "previous"]) == (58.0, 60.0)
    assert (latest.at["inbrott", "latest"], latest.at["inbrott", "previous"]) == (30.0, 40.0)


# --- Loading, overview table and chart ------------------------------------------------


def runner(data_dir):
    """Named queries run straight on the directory, as the command line runs them."""
    return partial(db.run_query, db.connect(data_dir))


@pytest.fixture
def trends_of():
    """trends_of(data_dir, sel, **options) -> Trends, querying the directory directly."""

    def _load(data_dir, sel=SEL, **options):
        return indicators.load(runner(data_dir), sel.params(), **options)

    return _load


def test_overview_judges_imported_series_as_the_page_does(mixed_dir):
    judged = indicators.judged_imported(runner(mixed_dir), SEL.params()).set_index("indicator_id")
    assert judged["verdict"].to_dict() == {"trygghet": "bad", "inbrott": "good"}  # yearly 58 after 60; 30 after 40
    assert judged.at["trygghet", "previous_start"] == pd.Timestamp("2023-01-01")


NAMES = {"1462": "Lilla Edet", "1488": "Trollhättan"}


def ys(trace: dict) -> list[float]:
    """A trace's y values from plotly JSON (a list, or a base64 typed array); NaN is a gap."""
    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return [NAN if v is None else v for v in y]


def test_overview_table_has_latest_change_verdict_and_target(mixed_dir, trends_of):
    table = indicators.overview_frame(trends_of(mixed_dir), NAMES).set_index("indicator_id")
    trygghet = table.loc["trygghet"]
    assert trygghet["Kommun"] == "Lilla Edet"
    assert trygghet["Senaste"] == "58,0\u00a0% (2024)"
    assert trygghet["Förändring"] == "\u22122,0 sedan 2023"
    assert trygghet["Bedömning"] == "✖ i fel riktning"
    assert trygghet["Mål"] == "Mål 70,0\u00a0%: 12,0 kvar"
    assert table.loc["inbrott", "Bedömning"] == "✔ i önskad riktning"  # fewer burglaries: decrease is good
    assert table.loc["inbrott", "Senaste"] == "30 (2024 kv.\u00a03)"
    assert trygghet["Utveckling"].startswith("data:image/svg+xml;base64,")
    assert list(table.columns[:2]) == ["kommun_kod", "verdict"]


def test_overview_table_per_capita_converts_counts(mixed_dir, trends_of):
    table = indicators.overview_frame(trends_of(mixed_dir, per_capita=True), NAMES).set_index("indicator_id")
    assert table.loc["inbrott", "Senaste"] == f"{fmt_number(30 * 100_000 / 14_000, 1)} (2024 kv.\u00a03)"
    assert table.loc["trygghet", "Senaste"] == "58,0\u00a0% (2024)"  # shares stay shares


def test_sparkline_breaks_at_a_gap():
    svg = base64.b64decode(charts.sparkline([1.0, 2.0, NAN, 3.0, 4.0]).split(",", 1)[1]).decode()
    path = svg.split('d="')[1].split('"')[0]
    assert path.count("M") == 2 and path.count("L") == 2
    assert charts.sparkline([NAN, None]) == ""


def test_chart_breaks_the_line_at_a_gap_and_shades_the_pledge(tmp_path, trends_of):
    data = write_tables(
        tmp_path,
        indicators=pd.DataFrame({"indicator_id": ["trygghet"], "name_sv": ["Trygghet"], "unit": ["andel (%)"],
                                 "direction": ["increase"], "focus_area": ["narkotika"], "period_type": ["year"]}),
        indicator_values=series(
            ("trygghet", "1488", "2021-01-01", "year", 70.0, 75.0),
            ("trygghet", "1488", "2023-01-01", "year", 72.0, 75.0),
            ("trygghet", "1462", "2021-01-01", "year", 60.0, 75.0),
            ("trygghet", "1462", "2023-01-01", "year", 61.0, 75.0),
        ),
        pledges=pd.DataFrame({"pledge_id": ["p"], "title": ["Löftet"], "kommun_kods": [["1488"]],
                              "period_start": [pd.Timestamp("2021-01-01")], "period_end": [pd.Timestamp("2022-12-31")]}),
        desired_effects=pd.DataFrame({"effect_id": ["e"], "pledge_id": ["p"], "text": ["Tryggare"], "indicator_id": ["trygghet"]}),
    )  # fmt: skip
    trends = trends_of(data)
    fig = json.loads(indicators.trend_figure(trends, "trygghet", NAMES, theme.kommun_colors(NAMES)).to_json())
    lines = {t["name"]: t for t in fig["data"]}
    assert [math.isnan(y) for y in ys(lines["Trollhättan"])] == [False, True, False]  # 2022: a gap, not 0
    assert lines["Trollhättan"]["connectgaps"] is False
    assert lines["Trollhättan"]["line"]["color"] == theme.kommun_colors(NAMES)["1488"]
    assert lines["Mål"]["line"]["dash"] == "dash"  # one line for the target both share
    assert len(fig["data"]) == 3
    shade = fig["layout"]["shapes"][0]
    assert (shade["x0"][:10], shade["x1"][:10]) == ("2021-01-01", "2023-01-01")
    assert fig["layout"]["annotations"][0]["text"] == "Löfte Trollhättan"
    assert fig["layout"]["separators"] == ", "


def test_display_order_puts_the_linked_then_the_followed_indicators_first(demo_dir, trends_of):
    sel = Selection(("1462",), (), "kvartal", date(2026, 1, 1), date(2026, 3, 31))
    trends = trends_of(demo_dir, sel)
    order = indicators.display_order(trends, "anmalda_bedragerier")
    assert order[0] == "anmalda_bedragerier"
    followed = list(dict.fromkeys(trends.effects["indicator_id"]))
    assert order[1 : 1 + len(followed)] == followed
    assert order[-1].startswith("handelser_")  # incident-derived series come after imported ones


# --- The page -----------------------------------------------------------------------


def expected(demo_dir, indicator_id, kommun_kod):
    """(latest, previous, unit, direction) of a demo series, straight from the Parquet files."""
    rows = db.connect(demo_dir).execute(
        "SELECT value, unit, direction FROM indicator_values JOIN indicators USING (indicator_id) "
        "WHERE indicator_id = ? AND kommun_kod = ? ORDER BY period_start DESC LIMIT 2",
        [indicator_id, kommun_kod],
    ).fetchall()
    return rows[0][0], rows[1][0], rows[0][1], rows[0][2]


def test_page_shows_values_verdicts_and_every_pledge_effect(render, demo_dir):
    at = render(demo_dir, "indikatorer")
    assert not at.exception
    text = page_text(at)
    table = indicator_table(at).set_index(["indicator_id", "Kommun"])
    # Lilla Edet's perceived drug problem should decrease; detected drug offences should increase.
    for key, kod in [(("upplevd_missbruksproblem", "Lilla Edet"), "1462"), (("upptackta_narkotikabrott", "Trollhättan"), "1488")]:
        latest, previous, unit, direction = expected(demo_dir, key[0], kod)
        assert table.loc[key, "Senaste"].startswith(indicators.fmt_value(latest, unit) + " (")
        assert table.loc[key, "Bedömning"] == indicators.verdict_text(indicators.verdict(direction, latest, previous))
    con = db.connect(demo_dir)
    pledges = con.execute("SELECT pledge_id, title FROM pledges").fetchall()
    assert {title for _, title in pledges} <= {e.label for e in at.expander}
    assert "Följs med" in text  # the first pledge's effects are open
    for pledge_id, _ in pledges:  # the others are built when opened
        at.session_state[f"ind_pledge_{pledge_id}"] = True
    text = page_text(at.run())
    for (name,) in con.execute("SELECT DISTINCT name_sv FROM desired_effects JOIN indicators USING (indicator_id)").fetchall():
        assert f"Följs med **{name}**" in text
    assert "i fel riktning" in text and "i önskad riktning" in text


def test_an_opened_indicator_shows_a_metric_per_municipality_and_its_chart(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"kommun": "1462,1488"})
    assert not at.metric and not at.get("plotly_chart")  # series on demand: nothing open at first
    at.session_state["ind_open_upplevd_trygghet"] = True
    at.run()
    latest, *_ = expected(demo_dir, "upplevd_trygghet", "1462")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lilla Edet · 2025"] == indicators.fmt_value(latest, "andel (%)")
    assert "Trollhättan · 2025" in metrics
    assert len(at.get("plotly_chart")) == 1  # closed expanders build no chart


def test_trollhattan_gap_reaches_the_page_as_a_gap(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"kommun": "1488", "indikator": "upplevd_trygghet"})
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    line = next(t for t in fig["data"] if t["name"] == "Trollhättan")
    values = dict(zip([x[:4] for x in line["x"]], ys(line)))
    assert math.isnan(values["2022"])
    assert not math.isnan(values["2021"]) and not math.isnan(values["2023"])


def test_a_link_to_an_indicator_shows_it_first(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"kommun": "1462", "indikator": "upplevd_missbruksproblem"})
    assert at.header[0].value == "★ Upplevda problem med narkotikaförsäljning och påverkade personer"
    assert at.query_params["indikator"] == "upplevd_missbruksproblem"  # the filter keeps the page's parameter
    assert at.query_params["kommun"] == "1462"


def test_an_unknown_indicator_link_is_explained(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"indikator": "<script>finns_inte"})
    assert not at.exception
    assert "Länken pekar på en indikator som inte finns." in page_text(at)


def test_per_capita_toggle_changes_counts(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"kommun": "1462"})
    at.toggle(key="ind_per_capita").set_value(True).run()
    table = indicator_table(at).set_index("indicator_id")
    end = (pd.Timestamp(TODAY) + pd.Timedelta(days=1)).to_period("Q").start_time  # last complete quarter ends here
    con = db.connect(demo_dir)
    (n,) = con.execute(
        "SELECT count(*) FROM incidents WHERE kommun_kod = '1462' AND occurred_at >= ? AND occurred_at < ?",
        [end - pd.DateOffset(months=3), end],
    ).fetchone()
    # The demo's population ends with last year: this year's counts use it, and the page says so.
    (population,) = con.execute(
        "SELECT population FROM population WHERE kommun_kod = '1462' AND year = ?", [TODAY.year - 1]
    ).fetchone()
    assert table.loc["handelser_alla", "Senaste"].startswith(fmt_number(n * 100_000 / population, 1) + " (")
    assert f"befolkning {TODAY.year - 1} använd för {TODAY.year} (Lilla Edet)" in page_text(at)


def test_the_pages_own_controls_rerun_without_the_frame(render, demo_dir, queries_run):
    st.cache_data.clear()  # the series are kept per selection and grain, also from earlier tests
    at = render(demo_dir, "indikatorer", query={"kommun": "1462"})
    counts = indicator_table(at).set_index("indicator_id").loc["handelser_alla", "Senaste"]
    queries_run.clear()
    at.toggle(key="ind_per_capita").set_value(True)
    rerun_fragments(at)
    assert not at.exception
    assert indicator_table(at).set_index("indicator_id").loc["handelser_alla", "Senaste"] != counts  # per 100 000
    names = {name for name, _ in queries_run}
    assert "indicator_derived" in names
    assert not {"latest_pledge_periods", "meeting_days"} & names  # the frame's filter choices


def test_opening_an_indicator_reuses_the_series(render, demo_dir, queries_run):
    at = render(demo_dir, "indikatorer", query={"kommun": "1462"})
    queries_run.clear()
    at.session_state["ind_open_upplevd_trygghet"] = True
    rerun_fragments(at)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert not {"indicator_series", "indicator_derived", "indicator_effects"} & {name for name, _ in queries_run}


def test_the_kept_series_follow_new_values(render, demo_dir, tmp_path):
    data = Path(shutil.copytree(demo_dir, tmp_path / "data"))
    at = render(data, "indikatorer", query={"kommun": "1462"})
    values = pd.read_parquet(data / "indicator_values.parquet")
    latest = values[(values["indicator_id"] == "upplevd_trygghet") & (values["kommun_kod"] == "1462")].iloc[[-1]]
    write_atomic(to_arrow(pd.concat([values, latest.assign(value=88.8)]).drop_duplicates(
        ["indicator_id", "kommun_kod", "period_start"], keep="last"), "indicator_values"), data / "indicator_values.parquet")
    at.run()  # e.g. after an import from the command line
    assert indicator_table(at).set_index("indicator_id").loc["upplevd_trygghet", "Senaste"].startswith("88,8")


def test_every_slide_of_a_presentation_shows(render, demo_dir):
    at = render(demo_dir, "indikatorer", mode="meeting", query={"kommun": "1462"})
    labels = at.session_state[presenter.LABELS]
    assert labels[-1].startswith("Alla indikatorer")
    for n, label in enumerate(labels):
        if n:
            at.button(key="presenter_next").click().run()
        assert not at.exception, label
        if label.startswith("Alla indikatorer"):  # the overview in parts, large enough for the room
            assert len(at.table) == 1 and 0 < len(at.table[0].value) <= indicator_views.OVERVIEW_ROWS_PER_SLIDE
        else:
            assert at.header[0].value.startswith("Önskad effekt")


def test_import_form_only_for_editors(render, demo_dir, monkeypatch):
    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    assert "Importera indikatorvärden" in page_text(render(demo_dir, "indikatorer"))
    for mode in ("meeting", "public"):
        at = render(demo_dir, "indikatorer", mode=mode)
        assert not at.exception
        assert "Importera indikatorvärden" not in page_text(at)


def test_public_view_rounds_incident_counts(render, demo_dir):
    at = render(demo_dir, "indikatorer", mode="public", query={"kommun": "1960"})
    assert "visas som ”färre än 5” är luckor i linjen." not in page_text(at)  # folded away behind the pledge's own
    at.toggle(key="ind_rest").set_value(True).run()
    assert "visas som ”färre än 5” är luckor i linjen." in page_text(at)
    table = indicator_table(at)
    derived = table[table["indicator_id"].str.startswith("handelser_")]
    latest = derived["Senaste"].str.split(" ").str[0].str.replace("\u00a0", "").astype(float)
    assert len(latest) and (latest % 10 == 0).all() and (latest >= 10).all()


def test_the_pledges_own_indicators_come_first_and_the_rest_fold_away(render, demo_dir):
    at = render(demo_dir, "indikatorer", query={"kommun": "1462"})
    headers = [h.value for h in at.header]
    assert "Löftets indikatorer" in headers and "Från händelserna" not in headers
    own = {e.label for e in at.expander}
    at.toggle(key="ind_rest").set_value(True).run()
    assert "Från händelserna" in [h.value for h in at.header]
    assert own < {e.label for e in at.expander}
