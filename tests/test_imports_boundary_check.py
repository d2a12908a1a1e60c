"""An imported point must lie in its kommun: checked against the kommun's boundary
(the packaged simplified one, or a detailed one imported), with the tolerance of
`geography.OUTSIDE_TOLERANCE_KM`, and said as "punkten ligger 3,0 km utanför
Lilla Edets kommun"."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from dashboard import geography, incident_store
from dashboard.imports.incidents import import_file
from dashboard.roles import command_line_author
from dashboard.storage import write_atomic
from dashboard.validation import ImportRejected
from tests import datasets

AUTHOR = command_line_author()
LILLA_EDET = "1462"
TO_METRES = Transformer.from_crs("EPSG:4326", geography.SWEREF99TM, always_xy=True)
TO_DEGREES = Transformer.from_crs(geography.SWEREF99TM, "EPSG:4326", always_xy=True)


def outside(km: float, geometry=None) -> tuple[float, float]:
    """(lat, lon) of a point `km` outside Lilla Edet's boundary: on the boundary buffered by that much."""
    area = geometry or geography.boundary(LILLA_EDET)
    metres = shapely.transform(area, lambda x, y: TO_METRES.transform(x, y), interleaved=False)
    ring = shapely.get_exterior_ring(shapely.get_geometry(metres.buffer(km * 1000), 0))
    east, north = shapely.get_coordinates(ring)[0]
    lon, lat = TO_DEGREES.transform(east, north)
    return lat, lon


def import_points(tmp_path: Path, points: list[tuple[float, float]], data_dir: Path):
    path = tmp_path / "punkter.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["tidpunkt", "kommun", "kategori", "lat", "lon"])
        writer.writerows(["2024-03-01 22:15", "Lilla Edet", "Skadegörelse", f"{a:.6f}", f"{b:.6f}"] for a, b in points)
    return import_file(path, data_dir, AUTHOR)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return datasets.write_tables(tmp_path / "data")


def test_the_helper_places_points_where_it_says():
    lat, lon = outside(3.0)
    assert geography.distance_outside_km(LILLA_EDET, lat, lon)[0] == pytest.approx(3.0, abs=0.01)


def test_inside_and_just_outside_a_simplified_boundary_are_taken(tmp_path, data_dir):
    # The packaged boundaries as `init` writes them are known as simplified.
    write_atomic(geography.boundaries_table([LILLA_EDET, "1488"]), data_dir / "boundaries.parquet")
    tolerance = geography.OUTSIDE_TOLERANCE_KM["simplified"]
    result = import_points(tmp_path, [(58.134, 12.124), outside(0.3), outside(tolerance - 0.2)], data_dir)
    assert result.written == 3


@pytest.mark.parametrize(
    ("km", "en", "sv"),
    [
        (3.0, "the point lies 3.0 km outside Lilla Edets kommun", "punkten ligger 3,0 km utanför Lilla Edets kommun"),
        (40.0, "the point lies 40.0 km outside Lilla Edets kommun", "punkten ligger 40,0 km utanför Lilla Edets kommun"),
    ],
)
def test_outside_beyond_the_tolerance_is_rejected_with_the_distance(tmp_path, data_dir, km, en, sv):
    with pytest.raises(ImportRejected) as info:
        import_points(tmp_path, [(58.134, 12.124), outside(km)], data_dir)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.reason_en, problem.reason_sv) == (3, "lat", en, sv)


def test_a_detailed_boundary_has_the_tighter_tolerance(tmp_path, data_dir):
    detailed = shapely.segmentize(geography.boundary(LILLA_EDET), 0.001)  # more vertices: not the packaged one
    write_atomic(geography.boundaries_table([LILLA_EDET, "1488"], {LILLA_EDET: detailed}), data_dir / "boundaries.parquet")
    assert geography.outside_tolerance_km(LILLA_EDET, detailed) == geography.OUTSIDE_TOLERANCE_KM["detailed"] < 1.0
    assert geography.outside_tolerance_km(LILLA_EDET, geography.boundary(LILLA_EDET)) == 2.0
    assert import_points(tmp_path, [outside(0.3, detailed)], data_dir).written == 1
    with pytest.raises(ImportRejected, match="problem") as info:
        import_points(tmp_path, [outside(1.0, detailed)], data_dir)
    assert info.value.problems[0].reason_sv == "punkten ligger 1,0 km utanför Lilla Edets kommun"


def test_beyond_tolerance_is_vectorised():
    lat, lon = zip((58.134, 12.124), outside(1.0), outside(3.0), (float("nan"), float("nan")))
    km = geography.beyond_tolerance_km(LILLA_EDET, np.array(lat), np.array(lon))
    assert np.isnan(km[[0, 1, 3]]).all() and km[2] == pytest.approx(3.0, abs=0.01)


def test_each_row_is_checked_against_its_own_kommun(tmp_path, data_dir):
    path = tmp_path / "tva.csv"
    path.write_text(
        "tidpunkt,kommun,kategori,lat,lon\n"
        "2024-03-01 22:15,Trollhättan,Skadegörelse,58.2840,12.2890\n"
        "2024-03-01 22:15,Lilla Edet,Skadegörelse,58.2840,12.2890\n",  # Trollhättan's centre, named Lilla Edet
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        import_file(path, data_dir, AUTHOR)
    assert [(p.row, p.reason_sv.split(" km")[0][:15]) for p in info.value.problems] == [(3, "punkten ligger ")]


def test_stored_points_are_the_file_points(tmp_path, data_dir):
    import_points(tmp_path, [outside(1.0)], data_dir)
    stored = pd.read_parquet(incident_store.current_tree(data_dir))
    assert (stored["lat"].round(6).tolist(), stored["place_precision"].tolist()) == ([round(outside(1.0)[0], 6)], ["point"])
