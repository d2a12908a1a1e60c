"""Coordinates: the Swedish systems to WGS84, and the limits a plausible
incident position must keep.

Systems (`SYSTEMS`): WGS84, SWEREF 99 TM (EPSG:3006), the SWEREF 99 local
zones kommuner use (EPSG:3007-3018, false easting 150 000), RT 90 2.5 gon V
(EPSG:3021). In all projected ones north is the larger number (X = north,
Y = east in Swedish usage). `detect` tells them apart by value ranges; a
local zone is ambiguous and is the zone that puts the points in the served
kommuner.

The checks themselves run in DuckDB (`queries/import_validate.sql`); this
module holds their numbers and registers the conversions as vectorised SQL
functions, so a million rows convert in one pyproj call per batch.
"""

from __future__ import annotations

import functools

import duckdb
import numpy as np
import pyarrow as pa
import shapely
from pyproj import Transformer

#: A box around Sweden (WGS84 degrees); every incident must lie inside it. Within
#: Sweden a point must lie in its kommun (`geography.beyond_tolerance_km`).
SWEDEN_BBOX = {"lat_min": 55.0, "lat_max": 69.1, "lon_min": 10.9, "lon_max": 24.2}


#: EPSG code -> name, for --crs and messages.
SYSTEMS = {
    4326: "WGS84",
    3006: "SWEREF 99 TM",
    **{3007 + i: f"SWEREF 99 {zone}" for i, zone in enumerate(
        ("12 00", "13 30", "15 00", "16 30", "18 00", "14 15", "15 45", "17 15", "18 45", "20 15", "21 45", "23 15")
    )},
    3021: "RT 90 2.5 gon V",
}  # fmt: skip
LOCAL_ZONES = tuple(range(3007, 3019))
#: Header words that name a system.
_HEADER_WORDS = {"rt90": 3021, "rt_90": 3021, "3021": 3021, "sweref99tm": 3006, "sweref_99_tm": 3006, "3006": 3006}


@functools.cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)


def to_wgs84(north, east, epsg: int = 3006) -> tuple[np.ndarray, np.ndarray]:
    """Northing/easting (metres) in EPSG:`epsg` -> WGS84 (lat, lon) in degrees.

    Values outside the projection's domain come back as non-finite numbers,
    which the plausibility check rejects as "outside Sweden".
    """
    lon, lat = _to_wgs84(int(epsg)).transform(np.asarray(east, float), np.asarray(north, float))
    return np.asarray(lat), np.asarray(lon)


def in_sweden(lat, lon) -> np.ndarray:
    b = SWEDEN_BBOX
    return (lat >= b["lat_min"]) & (lat <= b["lat_max"]) & (lon >= b["lon_min"]) & (lon <= b["lon_max"])


def system_placing_in_sweden(north: float | None, east: float | None) -> str | None:
    """The first system (TM, RT 90, then the local zones) in which the point lies in Sweden."""
    if north is None or east is None:
        return None
    for epsg in (3006, 3021, *LOCAL_ZONES):
        lat, lon = to_wgs84([north], [east], epsg)
        if in_sweden(lat, lon)[0]:
            return f"EPSG:{epsg} ({SYSTEMS[epsg]})"
    return None


def detect(headers: list[str], north: np.ndarray, east: np.ndarray, inside) -> int:
    """The EPSG code of projected coordinates: from a header word, else from the value
    ranges (east 1.2-1.9 M: RT 90; 0.26-0.92 M: TM; below: the local zone in which
    most points satisfy `inside(lat, lon)`, e.g. lie in a served kommun)."""
    from dashboard.imports import header_key

    for header in headers:
        key = header_key(header).replace("_", "")
        for word, epsg in _HEADER_WORDS.items():
            if word.replace("_", "") in key:
                return epsg
    east = np.minimum(north, east)[np.isfinite(north) & np.isfinite(east)]
    if not len(east):
        return 3006
    median = float(np.median(east))
    if median >= 1_100_000:
        return 3021
    if median >= 255_000:
        return 3006
    north_sample = np.maximum(north, east)[: len(east)]
    hits = {z: int(np.sum(inside(*to_wgs84(north_sample, east, z)))) for z in LOCAL_ZONES}
    return max(hits, key=hits.get)


def name(epsg: int) -> str:
    return f"EPSG:{epsg} ({SYSTEMS.get(epsg, '?')})"


def kommun_of_points(codes, lat, lon) -> np.ndarray:
    """Per point, the code of the kommun among `codes` it lies in (their boundaries), or None."""
    from dashboard import geography

    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    found = np.full(len(lat), None, object)
    for code in (c for c in codes if c in geography.kommuner()):
        found[np.equal(found, None) & shapely.contains_xy(geography.boundary(code), lon, lat)] = code
    return found


def _projected_udf(north: pa.Array, east: pa.Array, epsg: pa.Array) -> pa.Array:
    code = epsg[0].as_py() if len(epsg) else 3006
    lat, lon = to_wgs84(north.to_numpy(zero_copy_only=False), east.to_numpy(zero_copy_only=False), code)
    return pa.StructArray.from_arrays([pa.array(lat), pa.array(lon)], names=["lat", "lon"])


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make `projected_to_wgs84(north, east, epsg) -> STRUCT(lat, lon)` available in SQL
    (one epsg per statement)."""
    con.create_function(
        "projected_to_wgs84", _projected_udf,
        [duckdb.sqltype("DOUBLE"), duckdb.sqltype("DOUBLE"), duckdb.sqltype("INTEGER")],
        duckdb.sqltype("STRUCT(lat DOUBLE, lon DOUBLE)"), type="arrow",
    )  # fmt: skip


def plausibility_params() -> dict[str, float]:
    """The named parameters of the position checks in the import queries."""
    return dict(SWEDEN_BBOX)

