"""SWEREF 99 TM conversion and the SQL helpers of the position checks."""

import duckdb
import pytest

from dashboard import db, geo

# Trollhättan's centre in both systems (northing first, as SWEREF 99 TM is written).
TROLLHATTAN_WGS84 = (58.2837, 12.2886)
TROLLHATTAN_SWEREF = (6463497.0, 341027.0)


def test_sweref_converts_to_wgs84():
    lat, lon = geo.to_wgs84([TROLLHATTAN_SWEREF[0]], [TROLLHATTAN_SWEREF[1]])
    assert lat[0] == pytest.approx(TROLLHATTAN_WGS84[0], abs=1e-5)
    assert lon[0] == pytest.approx(TROLLHATTAN_WGS84[1], abs=1e-5)


def test_swapped_sweref_lands_outside_sweden():
    lat, lon = geo.to_wgs84([TROLLHATTAN_SWEREF[1]], [TROLLHATTAN_SWEREF[0]])
    box = geo.SWEDEN_BBOX
    assert not (box["lat_min"] <= lat[0] <= box["lat_max"] and box["lon_min"] <= lon[0] <= box["lon_max"])


@pytest.fixture
def con():
    con = duckdb.connect(":memory:")
    geo.register(con)
    con.execute(db.query_text("import_macros"))
    yield con
    con.close()


def test_sql_function_converts_and_passes_nulls(con):
    rows = con.execute(
        "SELECT projected_to_wgs84(n, e, 3006) FROM (VALUES (6463497.0, 341027.0), (NULL, 1.0)) AS t(n, e)"
    ).fetchall()
    assert (rows[0][0]["lat"], rows[0][0]["lon"]) == pytest.approx(TROLLHATTAN_WGS84, abs=1e-5)
    assert rows[1][0] is None


def test_haversine_km(con):
    one_degree = con.execute("SELECT haversine_km(58.0, 12.0, 59.0, 12.0)").fetchone()[0]
    assert one_degree == pytest.approx(111.19, abs=0.01)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("58,2837", 58.2837), (" 58.2837 ", 58.2837), ("6 463 839", 6463839.0), ("-1,5", -1.5), ("abc", None),
     ("nan", None), ("inf", None), ("1.2.3", None)],
)  # fmt: skip
def test_import_number(con, text, expected):
    assert con.execute("SELECT import_number($t)", {"t": text}).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", "2024-03-01 00:00:00"),
        ("2024-3-1 2:05", "2024-03-01 02:05:00"),
        ("2024-03-01T22:15:30", "2024-03-01 22:15:30"),
        ("2024-03-01 kl. 22.15", "2024-03-01 22:15:00"),
        ("2024-01-15 22:03:15 +01:00", "2024-01-15 22:03:15"),  # the police feed: local time
        ("2024-07-15T20:03:15Z", "2024-07-15 22:03:15"),  # UTC -> summer time
        ("2024-02-30 10:00", None),
        ("2024-02-01 25:00", None),
    ],
)
def test_local_time(con, text, expected):
    value = con.execute("SELECT CAST(import_local_time(import_time_parts($t)) AS VARCHAR)", {"t": text}).fetchone()[0]
    assert value == expected

