"""Hotspots: binning, counts, change and the public disclosure rule on a hand-made
data set with known answers, the map's HTML, and the payload bound at a million incidents."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date
from functools import partial

import pandas as pd
import pytest

from dashboard import basemap, db, hotspots, static_assets
from dashboard.demo import write_demo
from dashboard.disclosure import Rule
from dashboard.filters import Selection
from dashboard.hotspots import LocalFilter
from dashboard.ui import map_view
from tests.datasets import incidents, write_tables

#: March 2025, compared with 29 January – 28 February 2025.
SELECTION = Selection(("1488",), (), "anpassad", date(2025, 3, 1), date(2025, 3, 31))
CENTRUM = (58.2840, 12.2890)
NORTH = (58.3110, 12.2890)  # 3 km north of CENTRUM
PLACES = pd.DataFrame(
    {
        "kommun_kod": ["1488", "1488"],
        "name": ["Trollhättans centrum", "Kronogården"],
        "place_type": ["centrum", "bostadsomrade"],
        "lat": [58.2840, 58.2600],
        "lon": [12.2890, 12.3200],
    }
)
HOSTILE = "<script>alert(1)</script> \"'><img src=x onerror=alert(2)>"


def write_hotspot_data(path, description: str = "", places: pd.DataFrame = PLACES, copies: int = 1):
    """Now: 4 at CENTRUM, 1 at NORTH, 2 known only to the municipality.
    Before: 2 at CENTRUM, 3 at NORTH. Plus one too early and one elsewhere.
    Each incident `copies` times (public counts are rounded to tens)."""
    frame = incidents(
        ("1488", "Narkotikabrott", "narkotika", "2025-03-07 22:10", *CENTRUM),  # Friday
        ("1488", "Narkotikabrott", "narkotika", "2025-03-07 22:40", *CENTRUM),
        ("1488", "Narkotikabrott", "narkotika", "2025-03-14 23:05", *CENTRUM),  # Friday
        ("1488", "Rattfylleri", "trafik", "2025-03-10 08:00", *CENTRUM),  # Monday
        ("1488", "Rattfylleri", "trafik", "2025-03-20 12:00", *NORTH),
        ("1488", "Rattfylleri", "trafik", "2025-03-21 12:00", 58.2837, 12.2886),  # kommun only
        ("1488", "Rattfylleri", "trafik", "2025-03-22 12:00", 58.2837, 12.2886),  # kommun only
        ("1488", "Narkotikabrott", "narkotika", "2025-02-07 22:00", *CENTRUM),  # Friday, before
        ("1488", "Narkotikabrott", "narkotika", "2025-02-08 01:00", *CENTRUM),
        ("1488", "Rattfylleri", "trafik", "2025-02-10 12:00", *NORTH),
        ("1488", "Rattfylleri", "trafik", "2025-02-11 12:00", *NORTH),
        ("1488", "Rattfylleri", "trafik", "2025-02-12 12:00", *NORTH),
        ("1488", "Narkotikabrott", "narkotika", "2024-12-01 12:00", *CENTRUM),  # too early
        ("1462", "Narkotikabrott", "narkotika", "2025-03-07 22:00", 58.134, 12.123),  # other municipality
    )
    frame.loc[[5, 6], "place_precision"] = "kommun"
    frame["description"] = description
    frame = pd.concat([frame] * copies, ignore_index=True)
    frame["incident_id"] = [f"t{i}" for i in range(len(frame))]
    return write_tables(path, incidents=frame, places=places)


@pytest.fixture
def run(tmp_path):
    con = db.connect(write_hotspot_data(tmp_path))
    yield partial(db.run_query, con)
    con.close()


@pytest.fixture
def tripled(tmp_path):
    """The data set with every incident three times: now 12 at CENTRUM (9 Narkotikabrott),
    3 at NORTH, 6 without a place; before 6 at CENTRUM, 9 at NORTH."""
    con = db.connect(write_hotspot_data(tmp_path, copies=3))
    yield partial(db.run_query, con)
    con.close()


PUBLIC = Rule.public(3)


def load(run, local=LocalFilter(), compare=False, rule=Rule()) -> hotspots.Hotspots:
    return hotspots.load(run, SELECTION.params(), local, compare, rule)


def counts(hs: hotspots.Hotspots) -> dict:
    """{(lat, lon) of a fixture spot: (now, before)} for the shown cells."""
    spots = {hs.grid.cell_of(*spot): spot for spot in (CENTRUM, NORTH)}
    return {spots[(r.cell_row, r.cell_col)]: (r.n_now, r.n_before) for r in hs.cells.itertuples()}


def test_cell_size_follows_the_selected_municipalities():
    one = hotspots.Extent(58.14, 12.02, 58.43, 12.56)  # about 32 km across
    region = hotspots.Extent(57.9, 11.4, 59.6, 16.4)  # about 290 km across
    assert hotspots.Grid.for_extent(one).size_m == 500
    assert hotspots.Grid.for_extent(region).size_m == 5_000
    grid = hotspots.Grid.for_extent(one)
    assert grid.label == "500 m" and hotspots.Grid.for_extent(region).label == "5 km"
    # Square on the ground: a cell is as many metres wide as high.
    width_m = grid.cell_lon * hotspots.M_PER_DEGREE * math.cos(math.radians(grid.mid_lat))
    assert width_m == pytest.approx(grid.size_m) and grid.cell_lat * hotspots.M_PER_DEGREE == pytest.approx(500)


def test_incidents_are_counted_in_their_cells_now_and_before(run):
    hs = load(run)
    assert hs.grid.size_m == 500
    assert counts(hs) == {CENTRUM: (4, 2), NORTH: (1, 3)}
    assert (hs.total_now, hs.total_before, hs.left_out, hs.hidden) == (7, 5, 2, 0)


def test_python_and_sql_put_a_point_in_the_same_cell(tmp_path):
    grid = hotspots.Grid(500, 58.284)
    row, col = grid.cell_of(*CENTRUM)
    # Points just inside each edge of one cell, and just outside.
    edges = [(row * grid.cell_lat, col * grid.cell_lon), ((row + 1) * grid.cell_lat, (col + 1) * grid.cell_lon)]
    points = [(lat + d, lon + d) for lat, lon in edges for d in (-1e-7, 1e-7)]
    rows = [("1488", "Stöld", "tillgrepp_inbrott", "2025-03-02 12:00", lat, lon) for lat, lon in points]
    con = db.connect(write_tables(tmp_path, incidents=incidents(*rows)))
    params = hotspots.summary_params(SELECTION.params(), LocalFilter(), grid)
    cells = db.run_query(con, "hotspot_summary", params).query("slice == 'cell'")
    in_sql = dict(zip(zip(cells["cell_row"], cells["cell_col"]), cells["n_now"]))
    assert in_sql == Counter(grid.cell_of(*p) for p in points)
    assert in_sql == {(row - 1, col - 1): 1, (row, col): 2, (row + 1, col + 1): 1}


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (LocalFilter(categories=("Rattfylleri",)), {CENTRUM: (1, 0), NORTH: (1, 3)}),
        (LocalFilter(hour_bands=("21–24",)), {CENTRUM: (3, 1)}),
        (LocalFilter(hour_bands=("21–24", "00–03")), {CENTRUM: (3, 2)}),
        (LocalFilter(weekdays=(4,)), {CENTRUM: (3, 1)}),
        (LocalFilter(weekdays=(0,), hour_bands=("06–09",)), {CENTRUM: (1, 0)}),
    ],
)
def test_the_page_filters_narrow_the_cells(run, local, expected):
    assert counts(load(run, local)) == expected


def test_change_against_the_previous_period_is_classed_increase_or_decrease(run):
    hs = load(run, compare=True)
    by_spot = dict(zip([hs.grid.cell_of(*s) for s in (CENTRUM, NORTH)], (CENTRUM, NORTH)))
    change = {by_spot[(r.cell_row, r.cell_col)]: (r.change, r.cls) for r in hs.cells.itertuples()}
    assert change[CENTRUM][0] == 2 and change[NORTH][0] == -2
    labels = hs.legend.labels
    assert labels[change[CENTRUM][1]].startswith("Ökning") and labels[change[NORTH][1]].startswith("Minskning")
    assert hs.legend.colors == hotspots.DIVERGING
    assert "föregående period" in hs.legend.title


def test_change_classes_are_symmetric_with_a_steady_middle():
    classes, legend = hotspots.change_classes(pd.Series([-30, -5, 0, 1, 5, 30]), hotspots.Grid(500, 58.0))
    assert list(classes) == [0, 1, 2, 2, 3, 4]
    assert legend.labels == (
        "Minskning 20 eller mer", "Minskning 5–19", "Oförändrat (±4)", "Ökning 5–19", "Ökning 20 eller mer",
    )  # fmt: skip


def test_count_classes_have_round_breaks_and_the_darkest_colour_on_top():
    classes, legend = hotspots.count_classes(pd.Series([1, 4, 5, 120, 3140]), hotspots.Grid(500, 58.0))
    assert legend.labels == ("1–4", "5–19", "20–99", "100–499", "500 eller fler")
    assert list(classes) == [0, 0, 1, 3, 4]
    assert legend.colors[-1] == hotspots.SEQUENTIAL[-1]


def test_top_table_names_places_and_shows_now_before_and_change(run):
    table = hotspots.top_table(load(run), PLACES)
    assert table.to_dict("records") == [
        {"Plats": "Trollhättans centrum", "Nu": "4", "Före": "2", "Förändring": "+2"},
        {"Plats": "Trollhättans centrum, 3,0 km N", "Nu": "1", "Före": "3", "Förändring": "\u22122"},
    ]


def test_public_mode_rounds_every_count_and_draws_only_published_cells(tripled):
    hs = load(tripled, rule=PUBLIC)
    assert hs.grid.size_m == 1_000  # at least 1 km
    assert counts(hs) == {CENTRUM: (10, 10)}  # 12 and 6; NORTH (3 now) is not drawn
    row, col = hs.grid.cell_of(*CENTRUM)
    centre = ((row + 0.5) * hs.grid.cell_lat, (col + 0.5) * hs.grid.cell_lon)  # not where the incidents are
    assert (hs.cells.at[0, "lat"], hs.cells.at[0, "lon"]) == pytest.approx(centre)
    assert hs.legend.labels[0].startswith("10")
    assert hotspots.coverage_text(hs) == (
        "Kartan visar 20 händelser med exakt plats i rutor om 1 km. 10 händelser saknar exakt plats (bara "
        "kommunen är känd): de räknas i totalen och i diagrammen men ritas inte. Rutor med färre än 5 händelser "
        "visas inte."
    )  # 15 placed, 6 without a place; no count of the hidden cells
    assert hotspots.top_table(hs, PLACES)[["Nu", "Före", "Förändring"]].to_dict("records") == [
        {"Nu": "10", "Före": "10", "Förändring": "0"}
    ]
    matrix = hotspots.time_matrix(hs)
    assert matrix.shape == (2, 4) and list(matrix.index) == ["Vardag", "Helg"]
    assert (matrix.isna() | (matrix % 10 == 0)).all().all() and matrix.loc["Vardag", "18–24"] == 10  # 9 Friday nights
    assert hotspots.category_table(hs).to_dict("records") == [
        {"Kategori": "Narkotikabrott", "Nu": "10", "Före": "10"},
        {"Kategori": "Rattfylleri", "Nu": "10", "Före": "10"},
    ]
    for trend in hotspots.weekly_totals(hs, SELECTION.params()):
        assert (trend["week_start"].dt.day_of_week == 0).all() and (trend["n"].isna() | (trend["n"] % 10 == 0)).all()
    compared = load(tripled, compare=True, rule=PUBLIC)
    assert list(counts(compared)) == [CENTRUM] and compared.cells.at[0, "change"] == 0


def test_public_details_of_a_cell_name_only_published_categories(tripled):
    hs = load(tripled, rule=PUBLIC)
    detail = hotspots.load_cell(tripled, hs, SELECTION.params(), LocalFilter(), hs.grid.cell_of(*CENTRUM))
    # Rattfylleri, 3 in the cell now, is not named: its name alone would tell.
    assert hotspots.category_table(detail).to_dict("records") == [{"Kategori": "Narkotikabrott", "Nu": "10", "Före": "10"}]
    hours = hotspots.hour_counts(detail)
    assert len(hours) == 8 and hours.set_index("label").at["Vardag 18–24", "n"] == 10
    assert hours["n"].drop(hours.index[hours["label"] == "Vardag 18–24"]).isna().all()  # 3 on Monday morning: hidden


def test_public_filters_offer_six_hour_bands_and_day_types_and_published_categories(tripled):
    assert list(hotspots.hour_options(PUBLIC)) == ["00–06", "06–12", "12–18", "18–24"]
    assert hotspots.day_options(PUBLIC) == {"Vardag": (0, 1, 2, 3, 4), "Helg": (5, 6)}
    friday_nights = counts(load(tripled, LocalFilter(hour_bands=("18–24",), weekdays=(4,)), rule=PUBLIC))
    assert list(friday_nights) == [CENTRUM] and friday_nights[CENTRUM][0] == 10  # 9 now
    assert math.isnan(friday_nights[CENTRUM][1])  # 3 before: 'färre än 5'
    categories = pd.DataFrame({"category": ["A", "B", "C"], "n": [4, 5, 0]})
    assert hotspots.category_options(categories, PUBLIC) == ["B"]
    assert hotspots.category_options(categories, Rule()) == ["A", "B", "C"]


def test_details_of_a_cell_count_its_categories_and_hours(run):
    hs = load(run)
    cell = hotspots.cell_at(hs, {"lat": CENTRUM[0], "lng": CENTRUM[1]})
    detail = hotspots.load_cell(run, hs, SELECTION.params(), LocalFilter(), (cell.cell_row, cell.cell_col))
    assert hotspots.category_table(detail).to_dict("records") == [
        {"Kategori": "Narkotikabrott", "Nu": "3", "Före": "2"},
        {"Kategori": "Rattfylleri", "Nu": "1", "Före": "0"},
    ]
    hours = hotspots.hour_counts(detail).set_index("label")["n"]
    assert hours["22"] == 2 and hours["23"] == 1 and hours["08"] == 1 and hours.sum() == 4
    assert hotspots.cell_at(hs, {"lat": 58.0, "lng": 12.0}) is None  # nothing drawn there


def test_single_incidents_only_in_internal_mode(run, monkeypatch):
    hs = load(run)
    cell = hotspots.cell_at(hs, {"lat": CENTRUM[0], "lng": CENTRUM[1]})
    key = (cell.cell_row, cell.cell_col)
    monkeypatch.setenv("LAGESBILD_MODE", "internal")
    listed = hotspots.incidents_in_cell(run, hs, SELECTION.params(), LocalFilter(), key)
    assert list(listed["Tidpunkt"]) == ["2025-03-14 23:05", "2025-03-10 08:00", "2025-03-07 22:40", "2025-03-07 22:10"]
    for mode in ("meeting", "public"):
        monkeypatch.setenv("LAGESBILD_MODE", mode)
        assert hotspots.incidents_in_cell(run, hs, SELECTION.params(), LocalFilter(), key) is None


def test_weekly_totals_of_both_periods_share_week_numbers(run):
    hs = load(run)
    now, before = hotspots.weekly_totals(hs, SELECTION.params())
    assert list(now["week"]) == list(before["week"]) == [1, 2, 3, 4]  # whole weeks only
    assert now["week_start"].iloc[0] == pd.Timestamp(SELECTION.start)
    assert before["week_start"].iloc[0] == pd.Timestamp(SELECTION.previous().start)
    days = hs.days.assign(day=pd.to_datetime(hs.days["day"])).set_index("day")
    first_week = days.loc[pd.Timestamp(SELECTION.start) : pd.Timestamp(SELECTION.start) + pd.Timedelta(days=6), "n_now"]
    assert now["n"].iloc[0] == first_week.sum()
    assert now["n"].sum() + before["n"].sum() <= days[["n_now", "n_before"]].to_numpy().sum()


def test_place_names_say_how_far_and_which_way():
    assert hotspots.place_name(58.2841, 12.2891, PLACES) == "Trollhättans centrum"
    assert hotspots.place_name(58.2600, 12.3300, PLACES) == "Kronogården, 600 m O"
    assert hotspots.place_name(58.2840, 12.2890, PLACES.iloc[0:0]) == "58,284° N, 12,289° Ö"


def test_map_html_loads_only_the_apps_own_leaflet(run):
    html = map_view.map_html(map_view.build_map(load(run)))
    assert re.findall(r"https?://", html) == []
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in html
    assert "leaflet.css" in html and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    data = map_view.layer_data(load(run))
    assert len(data["cells"]) == 2 and data["outlines"][0][0] == "Trollhättan"


def test_map_html_keeps_text_from_the_data_inert(run):
    hs = load(run)
    hostile = hs.outlines.assign(kommun=HOSTILE)
    html = map_view.map_html(map_view.build_map(hotspots.Hotspots(**{**hs.__dict__, "outlines": hostile})))
    assert "<script>alert" not in html and "<img" not in html
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_tiles_come_only_from_the_configured_server(run):
    tiles = basemap.Tiles("http://127.0.0.1:8080/{z}/{x}/{y}.png", "© Lantmäteriet")
    html = map_view.map_html(map_view.build_map(load(run), tiles))
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://127.0.0.1:8080/{z}/{x}/{y}.png"]


def test_leaflet_is_copied_from_the_installed_package():
    path = static_assets.ensure_leaflet()
    assert (path / "leaflet.js").stat().st_size > 100_000
    assert (path / "images" / "layers.png").is_file()
    js, css = static_assets.leaflet_urls()
    assert (js, css) == ("/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css")


@pytest.fixture(scope="module")
def million_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("million")
    write_demo(path, incidents=1_000_000, seed=3, until=date(2026, 6, 30))
    return path


@pytest.mark.parametrize("kommun_kods", [("1488",), ("1415", "1419", "1421", "1462", "1488", "1494", "1960")])
@pytest.mark.parametrize("days", [91, 1_500])
def test_map_payload_stays_small_at_a_million_incidents(million_dir, kommun_kods, days):
    end = date(2026, 6, 30)
    sel = Selection(kommun_kods, (), "anpassad", end - pd.Timedelta(days=days - 1), end)
    for compare in (False, True):
        size, cells = map_view.map_payload_bytes(million_dir, sel, compare=compare)
        assert size < 300_000
        assert 0 < cells <= hotspots.MAX_CELLS
