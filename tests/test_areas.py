"""Areas: import from GeoJSON (WGS84 and SWEREF 99 TM), the assignment of incidents
on hand-made polygons with known answers, counts per area, and import errors."""

from __future__ import annotations

import json
import time
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from dashboard import areas, db, geography, hotspots, roles
from dashboard.disclosure import Rule
from dashboard.schema import TABLES
from dashboard.validation import ImportRejected
from tests.datasets import stored
from tests.test_hotspots import SELECTION

AUTHOR = roles.command_line_author()
#: Two unit squares side by side and one overlapping the first (degrees: x = lon, y = lat).
A = shapely.box(0, 0, 1, 1)
B = shapely.box(1, 0, 2, 1)
C = shapely.box(0.5, 0.5, 1.5, 1.5)


def pairs(points: list[tuple[float, float]]) -> set[tuple[int, str]]:
    """{(point index, area name)} for (lat, lon) points and the areas A, B, C."""
    lat, lon = np.array(points, float).T
    i, j = areas.assign_points(np.array([A, B, C]), lat, lon)
    return {(int(p), "ABC"[a]) for p, a in zip(i, j)}


def test_a_point_inside_one_area_belongs_to_it():
    assert pairs([(0.2, 0.2), (0.2, 1.8)]) == {(0, "A"), (1, "B")}


def test_a_point_outside_every_area_belongs_to_none():
    assert pairs([(5, 5), (-0.1, 0.5)]) == set()


def test_a_point_on_an_edge_belongs_to_the_area_and_on_a_shared_edge_to_both():
    # (lat 0.2, lon 0) is on A's west edge; (lat 0.2, lon 1) on the edge A and B share.
    assert pairs([(0.2, 0.0), (0.2, 1.0)]) == {(0, "A"), (1, "A"), (1, "B")}


def test_a_point_in_two_overlapping_areas_counts_in_both():
    assert pairs([(0.75, 0.75), (0.75, 1.25)]) == {(0, "A"), (0, "C"), (1, "B"), (1, "C")}


def feature(name, kind, geom, **props) -> dict:
    return {"type": "Feature", "properties": {"namn": name, "typ": kind, **props},
            "geometry": shapely.geometry.mapping(geom)}  # fmt: skip


def write_geojson(path, *features, **extra) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features), **extra}), encoding="utf-8")
    return path


#: Around Trollhättan's centre (CENTRUM of the hotspot fixture) and 3 km north of it (NORTH).
CENTRUM_BOX = shapely.box(12.285, 58.282, 12.293, 58.286)
NORTH_BOX = shapely.box(12.285, 58.309, 12.293, 58.313)


@pytest.fixture
def data_dir(tmp_path, backend):
    """The hotspot fixture's data; its areas on each back end of the shared tables."""
    from tests.test_hotspots import write_hotspot_data

    return write_hotspot_data(tmp_path / "data")


def test_import_assigns_the_incidents_and_counts_per_area(data_dir, tmp_path):
    path = write_geojson(
        tmp_path / "omraden.geojson",
        feature("Trollhättans centrum", "Centrum", CENTRUM_BOX),
        feature("Norra området", "Bostadsområde", NORTH_BOX, kommun="Trollhättan"),
    )
    result = areas.import_file(path, data_dir, AUTHOR)
    assert result.written == 2 and result.assigned == 7 + 4  # every point incident at CENTRUM and at NORTH
    with db.connect(data_dir) as con:
        run = partial(db.run_query, con)
        stored = areas.stored(run)
        assert dict(zip(stored["name"], stored["kind"])) == {"Trollhättans centrum": "centrum", "Norra området": "bostadsomrade"}
        assert set(stored["kommun_kod"]) == {"1488"} and "1488-trollhättans-centrum" in set(stored["area_id"])
        hs = hotspots.load(run, SELECTION.params())
        counts = areas.load(run, hs, SELECTION.params(), hotspots.LocalFilter())
        now_before = {r.name: (r.n_now, r.n_before) for r in counts.areas.itertuples()}
        assert now_before == {"Trollhättans centrum": (4, 2), "Norra området": (1, 3)}
        top = areas.top_table(counts)
        assert list(top["Område"]) == ["Trollhättans centrum", "Norra området"] and list(top["Förändring"]) == ["+2", "−2"]
        centre = areas.area_at(counts, {"lat": 58.284, "lng": 12.289})
        assert centre["name"] == "Trollhättans centrum" and areas.area_at(counts, {"lat": 58.0, "lng": 12.0}) is None
        # The charts of an area count only its incidents: the Friday nights and a Monday morning in the centre.
        detail = hotspots.load_area(run, hs, SELECTION.params(), hotspots.LocalFilter(), centre["area_id"])
        assert detail.total_now == 4 and detail.total_before == 2


def counts_per_area(data_dir) -> dict[str, tuple]:
    with db.connect(data_dir) as con:
        run = partial(db.run_query, con)
        hs = hotspots.load(run, SELECTION.params())
        counts = areas.load(run, hs, SELECTION.params(), hotspots.LocalFilter(categories=("Narkotikabrott",)))
        detail = hotspots.load_area(run, hs, SELECTION.params(), hotspots.LocalFilter(), counts.areas["area_id"].iloc[0])
    return {r.name: (r.n_now, r.n_before) for r in counts.areas.itertuples()} | {"detail": (detail.total_now, detail.total_before)}


def test_an_incident_areas_file_of_the_older_shape_gives_the_same_counts(data_dir, tmp_path):
    """incident_areas carries the incidents' columns, so counting reads only the period; a file
    written before (incident_id, area_id only) is completed from the incidents until rewritten."""
    path = write_geojson(tmp_path / "a.geojson", feature("Centrum", "centrum", CENTRUM_BOX), feature("Norr", "stadsdel", NORTH_BOX))
    areas.import_file(path, data_dir, AUTHOR)
    written = pq.read_table(data_dir / "incident_areas.parquet").to_pandas()
    assert list(written.columns) == list(TABLES["incident_areas"].columns)
    assert written.equals(written.sort_values(["kommun_kod", "occurred_at"], kind="stable"))
    current = counts_per_area(data_dir)
    pq.write_table(pa.Table.from_pandas(written[["incident_id", "area_id"]], preserve_index=False),
                   data_dir / "incident_areas.parquet")  # fmt: skip
    assert counts_per_area(data_dir) == current and sum(now for now, _ in current.values()) > 0
    areas.assign(data_dir)
    assert list(pq.read_schema(data_dir / "incident_areas.parquet").names) == list(TABLES["incident_areas"].columns)


def test_public_mode_rounds_counts_per_area(data_dir, tmp_path):
    areas.import_file(write_geojson(tmp_path / "a.geojson", feature("Norr", "stadsdel", NORTH_BOX)), data_dir, AUTHOR)
    with db.connect(data_dir) as con:
        run = partial(db.run_query, con)
        hs = hotspots.load(run, SELECTION.params(), rule=Rule.public(3))
        counts = areas.load(run, hs, SELECTION.params(), hotspots.LocalFilter())
    assert counts.areas["n_now"].isna().all() and list(counts.areas["cls"]) == [-1]  # 1 now: 'färre än 5'
    assert areas.top_table(counts).empty


def test_sweref_coordinates_are_detected_and_converted(data_dir, tmp_path):
    to_sweref = geography._transformer("EPSG:4326", geography.SWEREF99TM)
    box = shapely.transform(CENTRUM_BOX, lambda x, y: to_sweref.transform(x, y), interleaved=False)
    path = write_geojson(tmp_path / "sweref.geojson", feature("Centrum", "centrum", box))
    assert areas.import_file(path, data_dir, AUTHOR).assigned == 7  # every point incident at CENTRUM
    with db.connect(data_dir) as con:
        west, south, east, north = shapely.bounds(areas.stored(partial(db.run_query, con))["geometry"][0])
    assert west == pytest.approx(12.285, abs=1e-4) and north == pytest.approx(58.286, abs=1e-4)


def test_a_new_import_replaces_the_areas_of_its_kommuner_only(data_dir, tmp_path):
    lilla_edet = shapely.box(12.12, 58.13, 12.13, 58.14)
    areas.import_file(write_geojson(tmp_path / "1.geojson", feature("Gamla", "centrum", CENTRUM_BOX),
                                    feature("Edet", "centrum", lilla_edet)), data_dir, AUTHOR)  # fmt: skip
    areas.import_file(write_geojson(tmp_path / "2.geojson", feature("Nya", "centrum", NORTH_BOX)), data_dir, AUTHOR)
    with db.connect(data_dir) as con:
        assert set(areas.stored(partial(db.run_query, con))["name"]) == {"Edet", "Nya"}


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([feature(None, "centrum", CENTRUM_BOX)], "feature 1: no name"),
        ([feature("X", "torg", CENTRUM_BOX)], "feature 1: kind must be one of Stadsdel, Bostadsområde"),
        ([feature("X", "centrum", shapely.box(18.0, 59.3, 18.1, 59.4))], "feature 1: the area lies in none"),
        ([feature("X", "centrum", CENTRUM_BOX, kommun="Uppsala")], "kommun 'Uppsala' is not"),
        ([feature("X", "centrum", CENTRUM_BOX), feature("X", "stadsdel", NORTH_BOX)], "two areas with the same id"),
        ([], "the file holds no areas"),
        ([{"type": "Feature", "properties": {"namn": "P"}, "geometry": {"type": "Point", "coordinates": [12, 58]}}],
         "feature 1 is a Point"),
    ],
)  # fmt: skip
def test_import_errors_name_the_feature_and_write_nothing(data_dir, tmp_path, features, message):
    with pytest.raises(ImportRejected) as caught:
        areas.import_file(write_geojson(tmp_path / "bad.geojson", *features), data_dir, AUTHOR)
    assert any(message in p.english() for p in caught.value.problems), [p.english() for p in caught.value.problems]
    assert stored(data_dir, "areas").empty


def test_a_file_that_is_not_geojson_is_refused(data_dir, tmp_path):
    path = tmp_path / "omraden.geojson"
    path.write_text("namn;typ\nCentrum;centrum\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="problem"):
        areas.import_file(path, data_dir, AUTHOR)


def test_a_million_incidents_are_assigned_in_well_under_ten_seconds():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(58.0, 58.4, 1_000_000), rng.uniform(11.5, 12.5, 1_000_000)
    geoms = shapely.buffer(shapely.points(rng.uniform(11.5, 12.5, 200), rng.uniform(58.0, 58.4, 200)), 0.01)
    started = time.perf_counter()
    i, j = areas.assign_points(geoms, lat, lon)
    assert time.perf_counter() - started < 10
    assert len(i) > 0 and pd.Series(i).is_monotonic_increasing
