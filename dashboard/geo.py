"""Coordinates: SWEREF 99 TM to WGS84, and the limits a plausible incident
position must keep.

The checks themselves run in DuckDB (`queries/import_validate.sql`); this
module holds their numbers and registers the conversion as a vectorised SQL
function, so a million rows convert in one pyproj call per batch.
"""

from __future__ import annotations

import functools

import duckdb
import numpy as np
import pyarrow as pa
from pyproj import Transformer

#: A box around Sweden (WGS84 degrees); every incident must lie inside it.
SWEDEN_BBOX = {"lat_min": 55.0, "lat_max": 69.1, "lon_min": 10.9, "lon_max": 24.2}
#: A point further than FAR_FACTOR x radius + FAR_MARGIN_KM from its municipality's
#: centre is rejected: municipalities are not circles, but no part of one lies that far.
FAR_FACTOR = 3.0
FAR_MARGIN_KM = 10.0
#: Radius assumed for a municipality that has none in the municipalities table.
DEFAULT_RADIUS_KM = 30.0


@functools.cache
def _sweref_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def sweref99tm_to_wgs84(north, east) -> tuple[np.ndarray, np.ndarray]:
    """SWEREF 99 TM northing/easting (metres) -> WGS84 (lat, lon) in degrees.

    Values outside the projection's domain come back as non-finite numbers,
    which the plausibility check rejects as "outside Sweden".
    """
    lon, lat = _sweref_to_wgs84().transform(np.asarray(east, float), np.asarray(north, float))
    return np.asarray(lat), np.asarray(lon)


def _sweref_udf(north: pa.Array, east: pa.Array) -> pa.Array:
    lat, lon = sweref99tm_to_wgs84(north.to_numpy(zero_copy_only=False), east.to_numpy(zero_copy_only=False))
    return pa.StructArray.from_arrays([pa.array(lat), pa.array(lon)], names=["lat", "lon"])


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make `sweref_to_wgs84(north, east) -> STRUCT(lat, lon)` available in SQL."""
    con.create_function(
        "sweref_to_wgs84",
        _sweref_udf,
        [duckdb.sqltype("DOUBLE"), duckdb.sqltype("DOUBLE")],
        duckdb.sqltype("STRUCT(lat DOUBLE, lon DOUBLE)"),
        type="arrow",
    )


def plausibility_params() -> dict[str, float]:
    """The named parameters of the position checks in the import queries."""
    limits = {"far_factor": FAR_FACTOR, "far_margin_km": FAR_MARGIN_KM, "default_radius_km": DEFAULT_RADIUS_KM}
    return SWEDEN_BBOX | limits

