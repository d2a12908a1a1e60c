"""Kommun outlines for the maps: the boundary query, simplification for the view,
label points inside, boundary checks of points, and importing a detailed boundary file."""

from __future__ import annotations

import json
from functools import partial

import numpy as np
import pytest
import shapely

from dashboard import db, geography, roles, shapes
from dashboard.imports import boundaries
from dashboard.init_data import init_data_dir
from dashboard.validation import ImportRejected

#: Lilla Edets centrum (lat, lon).
CENTRUM = (58.1335, 12.1245)


@pytest.fixture
def lilla_edet(tmp_path):
    init_data_dir(tmp_path / "data", ["1462", "1488"])
    con = db.connect(tmp_path / "data")
    yield partial(db.run_query, con), tmp_path / "data"
    con.close()


def test_the_boundary_query_gives_the_selected_kommuners_outlines(lilla_edet):
    run, _ = lilla_edet
    outlines = run("kommun_outlines", {"kommun_kods": ["1462"]})
    assert list(outlines["kommun"]) == ["Lilla Edet"]
    geom = shapes.kommun_geometries(outlines)[0]
    assert geom.equals(geography.boundary("1462"))
    view = shapes.bounds(shapes.kommun_geometries(outlines))
    assert view.south < CENTRUM[0] < view.north and view.west < CENTRUM[1] < view.east


def test_the_label_lies_inside_lilla_edet_near_its_middle(lilla_edet):
    run, _ = lilla_edet
    geoms = shapes.kommun_geometries(run("kommun_outlines", {"kommun_kods": ["1462"]}))
    (lat, lon), = shapes.label_points(geoms)
    assert geoms[0].contains(shapely.Point(lon, lat))
    view = shapes.bounds(geoms)
    assert view.south + 0.2 * (view.north - view.south) < lat < view.north - 0.2 * (view.north - view.south)


def test_simplification_keeps_a_detailed_boundary_small_and_close():
    detailed = shapely.segmentize(geography.boundary("1462"), 0.0005)  # about 50 m between vertices
    view = shapes.bounds(np.array([detailed]))
    simple = shapes.simplified(np.array([detailed]), view)[0]
    assert shapely.get_num_coordinates(detailed) > 2_000 > 10 * shapely.get_num_coordinates(simple)
    assert detailed.hausdorff_distance(simple) <= view.tolerance
    rings = shapes.latlon_rings(simple)
    assert rings[0][0][0] == [round(simple.exterior.coords[0][1], 5), round(simple.exterior.coords[0][0], 5)]


def test_distance_outside_is_zero_inside_and_km_on_the_ground_outside():
    lat = 58.10
    border = geography.boundary("1462").intersection(shapely.LineString([(11, lat), (13, lat)])).bounds[0]
    outside_lon = border - 1.2 / (111.32 * np.cos(np.radians(lat)))
    km = geography.distance_outside_km("1462", [CENTRUM[0], lat], [CENTRUM[1], outside_lon])
    assert km[0] == 0 and km[1] == pytest.approx(1.2, abs=0.15)


def test_boundary_messages_in_swedish_and_english():
    assert geography.outside_message("1462", 1.23) == "punkten ligger 1,2 km utanför Lilla Edets kommun"
    assert geography.outside_message("1462", 1.23, "en") == "the point lies 1.2 km outside Lilla Edets kommun"


def _detailed_file(path, **props):
    to_sweref = geography._transformer("EPSG:4326", geography.SWEREF99TM)
    detailed = shapely.segmentize(geography.boundary("1462"), 0.001)
    sweref = shapely.transform(detailed, lambda x, y: to_sweref.transform(x, y), interleaved=False)
    features = [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(sweref)},
        {"type": "Feature", "properties": {"KnKod": "0180"}, "geometry": shapely.geometry.mapping(shapely.box(0, 0, 1, 1))},
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": features}), encoding="utf-8")
    return path, detailed


def test_a_detailed_sweref_file_replaces_the_simplified_boundary(lilla_edet, tmp_path):
    run, data_dir = lilla_edet
    path, detailed = _detailed_file(tmp_path / "kommuner.geojson", KnKod="1462", KnNamn="Lilla Edet")
    result = boundaries.import_file(path, data_dir, roles.command_line_author())
    assert (result.written, result.unchanged, result.skipped) == (1, 1, 1)  # Stockholm is not served
    with db.connect(data_dir) as con:
        outlines = db.run_query(con, "kommun_outlines", {"kommun_kods": ["1462", "1488"]})
    stored = dict(zip(outlines["kommun_kod"], shapes.kommun_geometries(outlines)))
    assert stored["1462"].hausdorff_distance(detailed) < 1e-5
    assert stored["1488"].equals(geography.boundary("1488"))


def test_a_boundary_file_without_kommun_codes_is_refused(lilla_edet, tmp_path):
    _, data_dir = lilla_edet
    path, _ = _detailed_file(tmp_path / "kommuner.geojson", namn_pa_ytan="okänd")
    with pytest.raises(ImportRejected) as caught:
        boundaries.import_file(path, data_dir, roles.command_line_author())
    assert "feature 1: no kommun code or name" in caught.value.problems[0].english()
