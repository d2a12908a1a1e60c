"""Outlines for the maps (Karta and the report): kommun boundaries and areas,
simplified for the view, with a point inside each for its label.

Geometry reaches this module as WKB from the `boundaries` and `areas` tables
(DuckDB's `ST_AsWKB`). What is drawn is simplified with a tolerance tied to
the view (about a third of a screen pixel when the whole view fills
`VIEW_PIXELS`), so a detailed boundary file of many megabytes still sends
only a few kilobytes to the browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from dashboard import geography

#: Pixels across the view the tolerance is computed for; 3x a map's width, so zooming in twice stays smooth.
VIEW_PIXELS = 2_000
#: Decimals of a degree sent for coordinates: 1e-5° is about a metre.
DIGITS = 5


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    @property
    def corners(self) -> list[list[float]]:
        return [[self.south, self.west], [self.north, self.east]]

    def padded(self, share: float) -> Bounds:
        """The box widened by `share` of its size on every side."""
        dlat, dlon = share * (self.north - self.south), share * (self.east - self.west)
        return Bounds(self.south - dlat, self.west - dlon, self.north + dlat, self.east + dlon)

    @property
    def tolerance(self) -> float:
        """Degrees that vanish at the view's scale (the simplification tolerance)."""
        return max(self.north - self.south, self.east - self.west) / VIEW_PIXELS


def geometries(wkb: Iterable) -> np.ndarray:
    """Shapely geometries from a WKB column (None stays None)."""
    return shapely.from_wkb([None if w is None or w is pd.NA else bytes(w) for w in wkb])


def kommun_geometries(outlines: pd.DataFrame) -> np.ndarray:
    """Each kommun's boundary: the data directory's (column `geometry`), else the reference one."""
    given = geometries(outlines["geometry"]) if "geometry" in outlines else [None] * len(outlines)
    reference = geography.kommuner()
    return np.array(
        [g if g is not None else geography.boundary(c) if c in reference else None
         for g, c in zip(given, outlines["kommun_kod"])],
        dtype=object,
    )  # fmt: skip


def served_boundaries(run) -> dict[str, shapely.Geometry]:
    """{code: boundary} of every kommun the data directory serves."""
    codes = run("municipalities", {})["kommun_kod"].tolist()
    outlines = run("kommun_outlines", {"kommun_kods": codes})
    return {c: g for c, g in zip(outlines["kommun_kod"], kommun_geometries(outlines)) if g is not None}


def bounds(geoms: np.ndarray) -> Bounds | None:
    """The box around the geometries (None when there are none)."""
    present = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    if not len(present):
        return None
    west, south, east, north = shapely.total_bounds(present)
    return Bounds(float(south), float(west), float(north), float(east))


def simplified(geoms: np.ndarray, view: Bounds) -> np.ndarray:
    """The geometries simplified for the view, never to nothing (an area smaller
    than the tolerance keeps its own shape)."""
    simple = shapely.simplify(geoms, view.tolerance, preserve_topology=True)
    return np.where(shapely.is_empty(simple), geoms, simple)


def label_points(geoms: np.ndarray) -> list[tuple[float, float]]:
    """(lat, lon) of a point inside each geometry, where its name is written:
    inside its largest part, so an island kommun is named on its main island."""
    points = []
    for geom in geoms:
        largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
        p = largest.representative_point()
        points.append((round(p.y, DIGITS), round(p.x, DIGITS)))
    return points


def latlon_rings(geom: shapely.Geometry) -> list[list[list[list[float]]]]:
    """Polygons -> rings -> [lat, lon] pairs, rounded: what Leaflet's L.polygon takes."""
    return [
        [np.round(shapely.get_coordinates(ring)[:, ::-1], DIGITS).tolist() for ring in (p.exterior, *p.interiors)]
        for p in getattr(geom, "geoms", [geom])
    ]
