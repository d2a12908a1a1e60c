"""Sweden's 290 kommuner and 21 län: codes, names, boundaries, and the one
place that turns a name found in a file into a code.

The facts come from `dashboard/reference/` (SCB's codes and names,
Valmyndigheten's simplified boundaries; see its README). Names are matched
case-, dash- and space-insensitively; every form a kommun can take is derived
from its two reference names, never from rules about Swedish spelling:
"Lidköping" (short), "Lidköpings kommun" (official), and the genitive stem
"Lidköpings" that the official name is built on, which also gives
"Göteborgs Stad". A code in the text always wins over the name beside it.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import shapely
from shapely.geometry import shape

from dashboard.formatting import fmt_number

REFERENCE_DIR = Path(__file__).with_name("reference")
#: What follows a kommun's genitive stem: "Lidköpings kommun", "Göteborgs Stad".
KOMMUN_SUFFIXES = ("kommun", "stad")
COUNTY_SUFFIX = "län"
#: Kilometres per degree of latitude; a degree of longitude is this times cos(latitude).
KM_PER_DEGREE = 111.32
#: GeoParquet 1.1: WKB geometry; no "crs" means OGC:CRS84 (WGS84, longitude first).
GEO_METADATA = {
    "version": "1.1.0",
    "primary_column": "geometry",
    "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Polygon", "MultiPolygon"]}},
}

_DASHES = re.compile(r"[\u2010-\u2015\u2212_-]")
_CODE = re.compile(r"(?<!\d)\d{1,4}(?!\d)")


@dataclass(frozen=True)
class Kommun:
    code: str  # "1494"
    name: str  # "Lidköping"
    official_name: str  # "Lidköpings kommun"
    county_code: str  # "14"
    county_name: str  # "Västra Götalands län"


@dataclass(frozen=True)
class County:
    code: str  # "14"
    name: str  # "Västra Götalands län"
    short_name: str  # "Västra Götaland"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def kommuner() -> dict[str, Kommun]:
    """Every kommun by its code, in code order."""
    rows = _read_csv("municipalities.csv")
    return {
        r["municipality_code"]: Kommun(
            r["municipality_code"],
            r["municipality_name_short"],
            r["municipality_name"],
            r["county_code"],
            r["county_name"],
        )
        for r in sorted(rows, key=lambda r: r["municipality_code"])
    }


#: Swedish alphabetical order: Å, Ä, Ö after Z, in that order.
_SWEDISH_ORDER = str.maketrans("ÅÄÖåäö", "{|}{|}")


def kommun_choices() -> dict[str, str]:
    """All 290 kommuner, code -> 'Uppsala (0380)', in Swedish alphabetical order (for a form)."""
    ordered = sorted(kommuner().values(), key=lambda k: k.name.translate(_SWEDISH_ORDER))
    return {k.code: f"{k.name} ({k.code})" for k in ordered}


@functools.cache
def counties() -> dict[str, County]:
    """Every län by its two-digit code, in code order."""
    rows = _read_csv("counties.csv")
    return {r["county_code"]: County(r["county_code"], r["county_name"], r["county_name_short"]) for r in rows}


def normalise(text: str) -> str:
    """Lower case, one kind of dash, single spaces: "Malung–Sälen " -> "malung sälen"."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(_DASHES.sub(" ", text).split())


def _stem(official: str, suffix: str) -> str:
    """The genitive an official name is built on: "Borås kommun" -> "borås"."""
    key = normalise(official)
    return key.removesuffix(" " + suffix)


def _index(forms: dict[str, list[str]]) -> dict[str, str]:
    """Normalised form -> code; a form shared by two codes would be a bug in the data."""
    index: dict[str, str] = {}
    for code, names in forms.items():
        for key in map(normalise, names):
            if index.setdefault(key, code) != code:
                raise ValueError(f"reference data: {key!r} names both {index[key]} and {code}")
    return index


@functools.cache
def _kommun_index() -> dict[str, str]:
    per_county = Counter(k.county_code for k in kommuner().values())
    forms = {
        k.code: [k.name, k.official_name, _stem(k.official_name, "kommun")]
        # A kommun that is its own län is also its region: "Region Gotland".
        + ([f"region {k.name}"] if per_county[k.county_code] == 1 else [])
        for k in kommuner().values()
    }
    return _index(forms)


@functools.cache
def _county_index() -> dict[str, str]:
    forms = {
        c.code: [c.name, c.short_name, _stem(c.name, COUNTY_SUFFIX), f"region {c.short_name}"]
        for c in counties().values()
    }
    return _index(forms)


def _resolve(text, index: dict[str, str], known, width: int, suffixes: tuple[str, ...]) -> str | None:
    if isinstance(text, float):  # a code column that pandas read as numbers
        text = None if np.isnan(text) else int(text)
    if text is None:
        return None
    numbers = _CODE.findall(str(text))
    if numbers:  # shorter numbers are codes that lost their leading zero in a spreadsheet
        code = numbers[0].zfill(width) if len(numbers) == 1 else None
        return code if code in known else None
    key = normalise(str(text).replace("(", " ").replace(")", " ")).strip(" ,:")
    stems = [key.removesuffix(" " + s) for s in suffixes if key.endswith(" " + s)]
    return next((index[k] for k in (key, *stems) if k in index), None)


def resolve_kommun(text) -> str | None:
    """The code of the kommun `text` names, or None.

    Accepts "Lidköping", "LIDKÖPING", "Lidköpings kommun", "Göteborgs Stad",
    "Malung–Sälen", "1494 Lidköping", "Lidköpings kommun (1494)", "1494" and
    "114" (0114 after a spreadsheet dropped the zero). A code wins over the
    name beside it; an unknown code gives None.
    """
    return _resolve(text, _kommun_index(), kommuner(), 4, KOMMUN_SUFFIXES)


def resolve_county(text) -> str | None:
    """The code of the län `text` names ("Västra Götalands län", "14", "Region Skåne"), or None."""
    return _resolve(text, _county_index(), counties(), 2, (COUNTY_SUFFIX,))


def suggest_kommun(text: str, n: int = 3) -> list[str]:
    """The kommun names closest to `text`, for a message about a name not recognised."""
    names = {normalise(k.name): k.name for k in kommuner().values()}
    return [names[key] for key in difflib.get_close_matches(normalise(text), names, n=n, cutoff=0.6)]


@functools.cache
def _boundaries() -> dict[str, shapely.Geometry]:
    raw = json.loads((REFERENCE_DIR / "municipalities.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: shape(f["geometry"]) for f in raw["features"]}


def boundary(code: str) -> shapely.Geometry:
    """The kommun's simplified boundary (WGS84, x = longitude, y = latitude)."""
    return _boundaries()[code]


def centre_and_radius(code: str) -> tuple[float, float, float]:
    """(lat, lon, radius_km): a point inside the kommun and the distance from it
    to the boundary's farthest vertex, so the circle covers the whole kommun."""
    geom = boundary(code)
    centre = geom.representative_point()
    coords = shapely.get_coordinates(geom)
    east = (coords[:, 0] - centre.x) * np.cos(np.radians(centre.y))
    north = coords[:, 1] - centre.y
    radius = float(np.sqrt(east**2 + north**2).max()) * KM_PER_DEGREE
    return centre.y, centre.x, round(radius, 1)


def boundaries_table(codes: Iterable[str], geometries: dict[str, shapely.Geometry] | None = None) -> pa.Table:
    """The kommuner's boundaries as a GeoParquet table: kommun_kod, name, kind 'kommun', geometry
    (from `geometries` where given, else the reference boundary)."""
    codes, geometries = list(codes), geometries or {}
    table = pa.table(
        {
            "kommun_kod": pa.array(codes, pa.string()),
            "name": pa.array([kommuner()[c].name for c in codes], pa.string()),
            "kind": pa.array(["kommun"] * len(codes), pa.string()),
            "geometry": pa.array([shapely.to_wkb(geometries.get(c) or boundary(c)) for c in codes], pa.binary()),
        }
    )
    return table.replace_schema_metadata({b"geo": json.dumps(GEO_METADATA).encode()})


# --- GeoJSON files and points against boundaries -----------------------------------

#: SWEREF 99 TM: the national projection Lantmäteriet and SCB publish in (metres).
SWEREF99TM = "EPSG:3006"
#: Names a GeoJSON `crs` member may give SWEREF 99 TM by.
_SWEREF_NAMES = ("3006", "sweref99tm", "sweref 99 tm")


class GeoJSONError(ValueError):
    """A file that is not a usable GeoJSON FeatureCollection of polygons."""


@dataclass(frozen=True)
class Feature:
    properties: dict
    geometry: shapely.Geometry  # WGS84, x = longitude


def _is_sweref(raw: dict, coords: np.ndarray) -> bool:
    """SWEREF 99 TM when the `crs` member names it, or when coordinates are metres, not degrees."""
    name = str(((raw.get("crs") or {}).get("properties") or {}).get("name", "")).casefold()
    if name:
        return any(s in name.replace("_", " ") or s in name for s in _SWEREF_NAMES)
    return bool(len(coords)) and float(np.abs(coords).max()) > 360


def read_geojson(path: Path) -> list[Feature]:
    """The polygon features of a GeoJSON FeatureCollection, in WGS84.

    The CRS is SWEREF 99 TM (EPSG:3006) when the file's `crs` member says so or
    its coordinates are metres; otherwise WGS84 (longitude, latitude).
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        features = raw["features"] if raw.get("type") == "FeatureCollection" else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError) as exc:
        raise GeoJSONError(f"not a GeoJSON file: {exc}") from None
    if not isinstance(features, list):
        raise GeoJSONError("not a GeoJSON FeatureCollection (no 'features' list)")
    try:
        geoms = [shape(f["geometry"]) for f in features]
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeoJSONError(f"a feature has no valid geometry: {exc}") from None
    bad = [i + 1 for i, g in enumerate(geoms) if g.geom_type not in ("Polygon", "MultiPolygon")]
    if bad:
        raise GeoJSONError(f"feature {bad[0]} is a {geoms[bad[0] - 1].geom_type}, not a Polygon or MultiPolygon")
    if _is_sweref(raw, shapely.get_coordinates(geoms)):
        geoms = list(shapely.transform(geoms, _from_sweref, interleaved=False))
    geoms = shapely.make_valid(np.array(geoms, dtype=object))
    return [Feature(dict(f.get("properties") or {}), g) for f, g in zip(features, geoms)]


def _from_sweref(east: np.ndarray, north: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _transformer(SWEREF99TM, "EPSG:4326").transform(east, north)


@functools.cache
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def _to_metres(geom: shapely.Geometry) -> shapely.Geometry:
    to_sweref = _transformer("EPSG:4326", SWEREF99TM)
    return shapely.transform(geom, lambda x, y: to_sweref.transform(x, y), interleaved=False)


#: How far outside its kommun's boundary a point may lie and still be taken (km), by
#: the boundary's kind. The packaged boundaries keep about 2 % of the vertices and cut
#: coastal islands short (Dyrön, in Tjörn, lies 1.5 km outside its outline); a detailed
#: boundary (`import boundaries`) leaves only the error of the position itself.
OUTSIDE_TOLERANCE_KM = {"simplified": 2.0, "detailed": 0.5}


def outside_tolerance_km(code: str, geometry: shapely.Geometry | None = None) -> float:
    """The tolerance for a point outside `code`'s boundary: `geometry` (the data
    directory's) is simplified when it is the packaged one."""
    packaged = geometry is None or (code in kommuner() and shapely.equals_exact(geometry, boundary(code), 0.0))
    return OUTSIDE_TOLERANCE_KM["simplified" if packaged else "detailed"]


def distance_outside_km(code: str, lat, lon, geometry: shapely.Geometry | None = None) -> np.ndarray:
    """How far each point (WGS84) lies outside the kommun, in km; 0 inside or on the
    border, NaN for a point without a position.

    Vectorised: `lat`/`lon` may be arrays of a million points. Distances are
    measured in SWEREF 99 TM, so they are metres on the ground. `geometry`
    defaults to the kommun's reference boundary (pass the data directory's own).
    """
    area = boundary(code) if geometry is None else geometry
    lon_a, lat_a = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
    shapely.prepare(area)
    # Most points lie inside: only the others are projected and measured.
    placed = np.isfinite(lat_a) & np.isfinite(lon_a)
    out = placed & ~shapely.intersects_xy(area, lon_a, lat_a)
    km = np.where(placed, 0.0, np.nan)
    if out.any():
        east, north = _transformer("EPSG:4326", SWEREF99TM).transform(lon_a[out], lat_a[out])
        km[out] = shapely.distance(_to_metres(area), shapely.points(east, north)) / 1000
    return km


def beyond_tolerance_km(code: str, lat, lon, geometry: shapely.Geometry | None = None) -> np.ndarray:
    """`distance_outside_km` where it exceeds the boundary's tolerance
    (`outside_tolerance_km`), NaN for the points within it: the points to reject."""
    km = distance_outside_km(code, lat, lon, geometry)
    return np.where(km > outside_tolerance_km(code, geometry), km, np.nan)  # NaN > x is False


def outside_message(code: str, km: float, language: str = "sv") -> str:
    """'punkten ligger 1,2 km utanför Lilla Edets kommun' (language 'en': for the command line)."""
    official = kommuner()[code].official_name
    if language == "en":
        return f"the point lies {km:.1f} km outside {official}"
    return f"punkten ligger {fmt_number(km, 1)} km utanför {official}"
