"""EST and safety-walk logs and GIS exports (tests/fixtures/sources): projected
coordinates in SWEREF 99 TM, a SWEREF 99 local zone and RT 90, X = north, a
place name kept as place_name, rows without a time of day flagged. Formats:
tests/fixtures/sources/FORMATS.md section 5; provenance: README.md there."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from dashboard import cli, db
from dashboard.imports.incidents import import_file
from dashboard.roles import command_line_author
from dashboard.validation import ImportRejected
from tests import datasets

SOURCES = Path(__file__).parent / "fixtures" / "sources"
AUTHOR = command_line_author()
#: Lidköping, served in these tests besides Lilla Edet and Trollhättan.
LIDKOPING = {"kommun_kod": "1494", "kommun": "Lidköping", "lpo": "Skaraborg", "population": 40_000,
             "lat": 58.5035, "lon": 13.1574, "radius_km": 30.0}  # fmt: skip


@pytest.fixture
def data_dir(tmp_path) -> Path:
    munis = pd.concat([datasets.MUNICIPALITIES, pd.DataFrame([LIDKOPING])], ignore_index=True)
    return datasets.write_tables(tmp_path / "data", municipalities=munis)


def stored(data_dir: Path) -> pd.DataFrame:
    with db.connect(data_dir) as con:
        return con.execute("SELECT * FROM incidents ORDER BY occurred_at, place_name").df()


def test_sweref99tm_north_east_log(data_dir):
    result = import_file(SOURCES / "est_trygghetsvandring_sweref99tm.csv", data_dir, AUTHOR)
    rows = stored(data_dir)
    assert result.written == len(rows) > 0
    assert set(rows["place_precision"]) == {"point"} and set(rows["kommun_kod"]) == {"1462"}
    first = rows.set_index("place_name").loc["Lilla Edets centrum"]
    lon, lat = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True).transform(330696, 6447183)
    assert (first.lat, first.lon) == pytest.approx((lat, lon), abs=1e-6)  # N 6447183, E 330696; not the centre
    assert pd.isna(first.place_type)  # "Plats" is a place name, not a place type
    untimed = rows[~rows["time_known"]]
    assert len(untimed) == 2 and (untimed["occurred_at"].dt.hour == 0).all()  # the day, flagged, not "midnight"
    assert rows["time_known"].sum() == len(rows) - 2


@pytest.mark.parametrize("columns", ["X;Y", "Y;X"])
def test_x_y_log_with_a_kommun_keeps_its_points_not_the_kommun_centre(data_dir, tmp_path, columns):
    """Issue 16: a log with X/Y in SWEREF 99 TM (X = north) and a Kommun column imported
    "successfully" with every point at the kommun's centre (the X/Y columns were dropped)."""
    path = tmp_path / "est.csv"
    path.write_bytes((SOURCES / "est_logg_sweref99tm_xy.csv").read_bytes().replace(b"X;Y", columns.encode()))
    result = import_file(path, data_dir, AUTHOR)
    rows = stored(data_dir).set_index("place_name")
    assert result.written == 4 and set(rows["place_precision"]) == {"point"} and not result.ignored_columns
    to_wgs84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    for place, (north, east) in {"Lilla Edets centrum": (6447183, 330696), "Lödöse": (6435701, 332010)}.items():
        lon, lat = to_wgs84.transform(east, north)
        assert (rows.loc[place].lat, rows.loc[place].lon) == pytest.approx((lat, lon), abs=1e-6)
    centre = datasets.MUNICIPALITIES.set_index("kommun_kod").loc["1462"]
    assert not ((rows["lat"] == centre.lat) & (rows["lon"] == centre.lon)).any()
    assert rows["lat"].nunique() == 4


def test_local_zone_x_y_log_without_kommun_is_placed_at_its_points(data_dir):
    """The EST log with X/Y used to import with every point moved to the kommun's centre."""
    import_file(SOURCES / "est_logg_sweref99_1200.csv", data_dir, AUTHOR)
    rows = stored(data_dir)
    assert set(rows["kommun_kod"]) == {"1494"}  # from the points: no kommun column
    assert set(rows["place_precision"]) == {"point"}
    assert rows["lat"].nunique() == len(rows)  # every point its own place
    assert (rows["lat"] - LIDKOPING["lat"]).abs().max() < 0.1
    assert "Nya stadens torg" in set(rows["place_name"])


def test_rt90_export_and_forced_crs(data_dir, tmp_path):
    import_file(SOURCES / "gis_export_rt90.csv", data_dir, AUTHOR)
    rows = stored(data_dir)
    assert set(rows["kommun_kod"]) == {"1462"} and set(rows["place_precision"]) == {"point"}
    assert "Göta" in set(rows["place_name"])


def test_a_point_outside_sweden_names_the_system_that_would_place_it(data_dir, tmp_path):
    path = tmp_path / "rt90.csv"
    path.write_bytes((SOURCES / "gis_export_rt90.csv").read_bytes())
    with pytest.raises(ImportRejected) as caught:
        import_file(path, data_dir, AUTHOR, crs=3006)
    problem = caught.value.problems[0]
    assert problem.row == 2 and problem.column == "X"
    assert "point outside Sweden in EPSG:3006 (SWEREF 99 TM); EPSG:3021 (RT 90 2.5 gon V) would place it" in problem.reason_en


def test_cli_crs_option(data_dir, capsys):
    path = str(SOURCES / "est_logg_sweref99_1200.csv")
    assert cli.main(["--data-dir", str(data_dir), "import", "incidents", path, "--crs", "EPSG:3007"]) == 0
    with pytest.raises(SystemExit):
        cli.main(["--data-dir", str(data_dir), "import", "incidents", path, "--crs", "EPSG:9999"])
    assert "unknown coordinate system" in capsys.readouterr().err
