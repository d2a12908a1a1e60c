"""Areas (områden): named polygons inside a kommun, and the incidents in each.

Import. `python -m dashboard import areas FILE.geojson` reads a GeoJSON
FeatureCollection of Polygons/MultiPolygons (WGS84 or SWEREF 99 TM, see
`geography.read_geojson`), each with a name and a kind under the property
names people use (`namn`/`name`, `typ`/`kind`, optionally `kommun` and `id`).
The areas of the kommuner in the file replace those kommuner's areas in
`areas.parquet`; other kommuner's areas stay.

Assignment. Which incident lies in which area is stored beside the incident
tree, `incident_areas.parquet` (incident_id, area_id and the incident's columns
a selection filters on, sorted by kommun and time), rewritten whole whenever
the areas or the incidents change (`assign`), so the incident tree is never
rewritten for it and counting a selection per area reads only its period. The rule: an area holds the point incidents inside it or on
its edge; an incident in several areas (areas that overlap, such as a
skolområde inside a stadsdel, or a point on the edge two areas share) counts
in each of them. Incidents known only to their kommun belong to no area.
Matching is vectorised: per area a numpy box test over all points, then
shapely's exact test on the points in the box.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from dashboard import db, geography, hotspots, shapes, storage
from dashboard.imports import boundaries
from dashboard.disclosure import Rule
from dashboard.formatting import fmt_signed
from dashboard.schema import TABLES, arrow_schema, to_arrow
from dashboard.validation import ImportRejected, ImportResult, Problem

#: Area kinds: code -> Swedish label.
KINDS = {
    "stadsdel": "Stadsdel",
    "bostadsomrade": "Bostadsområde",
    "centrum": "Centrum",
    "skolomrade": "Skolområde",
    "est_omrade": "EST-område",
}
#: Property names (normalised) a file may give each field under.
NAME_KEYS = ("namn", "name", "omrade", "område", "omradesnamn", "områdesnamn", "benamning", "benämning")
KIND_KEYS = ("typ", "kind", "type", "kategori", "omradestyp", "områdestyp")
KOMMUN_KEYS = ("kommun_kod", "kommunkod", "knkod", "kommun", "kommunnamn", "knnamn")
ID_KEYS = ("area_id", "id", "omrade_id", "område_id")

Runner = hotspots.Runner


def _kind(text) -> str | None:
    """'Bostadsområde', 'EST-område', 'skolomrade' -> the kind's code; None if unknown."""
    key = geography.normalise(str(text or "")).replace("å", "a").replace("ä", "a").replace("ö", "o").replace(" ", "")
    key = key.removesuffix("omrade")
    return next((code for code in KINDS if code.replace("_", "").removesuffix("omrade") == key), None)


def _get(props: dict, keys: tuple[str, ...]):
    by_key = {geography.normalise(k): v for k, v in props.items()}
    return next((by_key[k] for k in keys if by_key.get(k) not in (None, "")), None)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9åäö]+", "-", geography.normalise(text)).strip("-")


# --- import -------------------------------------------------------------------------


@dataclass
class AreaImportResult(ImportResult):
    assigned: int = 0
    seconds: float = 0.0

    def notes(self) -> list[str]:
        return [f"{self.assigned:,} incident(s) assigned to areas in {self.seconds:.1f} s"]


def read_areas(path: Path, installed: dict[str, shapely.Geometry]) -> pd.DataFrame:
    """The areas of a GeoJSON file: area_id, kommun_kod, name, kind, geometry (shapely).

    `installed` maps the installation's kommun codes to their boundaries: an
    area without a kommun property belongs to the one its interior lies in.
    Raises ImportRejected naming each feature that cannot be used.
    """
    try:
        features = geography.read_geojson(path)
    except geography.GeoJSONError as exc:
        raise ImportRejected([_problem(path, None, None, str(exc), f"filen kan inte läsas som GeoJSON: {exc}")]) from None
    rows, problems = [], []
    for i, feature in enumerate(features, start=1):
        row, problem = _area(path, i, feature, installed)
        rows.append(row)
        problems += problem
    frame = pd.DataFrame(rows, columns=["area_id", "kommun_kod", "name", "kind", "geometry"])
    for area_id in frame.loc[frame["area_id"].duplicated() & frame["area_id"].notna(), "area_id"]:
        problems.append(_problem(path, None, area_id, f"two areas with the same id {area_id!r}",
                                 f"två områden med samma id {area_id!r}"))  # fmt: skip
    if not features:
        problems.append(_problem(path, None, None, "the file holds no areas", "filen innehåller inga områden"))
    if problems:
        raise ImportRejected(problems)
    return frame


def _problem(path, i, value, en: str, sv: str) -> Problem:
    where_en, where_sv = (f"feature {i}: ", f"område {i}: ") if i else ("", "")
    return Problem(str(path), None, None, value, where_en + en, where_sv + sv)


def _area(path, i: int, feature: geography.Feature, installed: dict) -> tuple[dict, list[Problem]]:
    props, problems = feature.properties, []
    name = _get(props, NAME_KEYS)
    kind_text = _get(props, KIND_KEYS)
    kind = _kind(kind_text)
    if name is None:
        problems.append(_problem(path, i, None, "no name (property 'namn' or 'name')", "namn saknas ('namn' eller 'name')"))
    if kind is None:
        kinds = ", ".join(KINDS.values())
        problems.append(_problem(path, i, kind_text, f"kind must be one of {kinds}", f"typ ska vara en av {kinds}"))
    kommun_text = _get(props, KOMMUN_KEYS)
    if kommun_text is not None:
        code = geography.resolve_kommun(kommun_text)
    else:
        inside = feature.geometry.representative_point()
        code = next((c for c, b in installed.items() if b.covers(inside)), None)
    if code not in installed:
        what = f"kommun {kommun_text!r} is not" if kommun_text is not None else "the area lies in none"
        problems.append(_problem(path, i, kommun_text, f"{what} of the installation's kommuner",
                                 "området ligger inte i någon av installationens kommuner"))  # fmt: skip
    own_id = _get(props, ID_KEYS)
    area_id = str(own_id) if own_id is not None else f"{code}-{slug(str(name))}" if name else None
    return {"area_id": area_id, "kommun_kod": code, "name": name and str(name), "kind": kind,
            "geometry": feature.geometry}, problems  # fmt: skip


def areas_table(frame: pd.DataFrame) -> pa.Table:
    """Areas as a GeoParquet table (WKB geometry, WGS84), like `boundaries`."""
    table = pa.table(
        {
            "area_id": pa.array(frame["area_id"], pa.string()),
            "kommun_kod": pa.array(frame["kommun_kod"], pa.string()),
            "name": pa.array(frame["name"], pa.string()),
            "kind": pa.array(frame["kind"], pa.string()),
            "geometry": pa.array(shapely.to_wkb(frame["geometry"].to_numpy()), pa.binary()),
        }
    )
    return table.replace_schema_metadata({b"geo": json.dumps(geography.GEO_METADATA).encode()})


def import_file(path: Path, data_dir: Path, author, skip_invalid: bool = False) -> AreaImportResult:
    """Replace the areas of the kommuner in `path`, then reassign the incidents."""
    with boundaries.shape_import(data_dir, "areas", author) as (run, installed, tx):
        new = read_areas(Path(path), installed)
        kept = stored(run)
        kept = kept[~kept["kommun_kod"].isin(new["kommun_kod"])]
        tx.replace("areas", areas_table(pd.concat([kept, new], ignore_index=True)))
    assigned, seconds = assign(data_dir)
    return AreaImportResult(written=len(new), assigned=assigned, seconds=seconds)


def stored(run: Runner, kommun_kods: list[str] | None = None) -> pd.DataFrame:
    """The stored areas (of `kommun_kods`, default all) with shapely geometries."""
    frame = run("area_list", {"kommun_kods": kommun_kods, "all_kommuner": kommun_kods is None})
    return frame.assign(geometry=shapes.geometries(frame["geometry"]))


# --- assignment -----------------------------------------------------------------------


def assign_points(area_geoms: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point index, area index) for every point inside or on the edge of an area (see the module's rule),
    ordered by point. Per area: a box test over all points in numpy, then the exact test
    (`intersects_xy`: the edge counts) on the few inside the box; areas are few, points many."""
    found_points, found_areas = [], []
    shapely.prepare(area_geoms)
    for j, (geom, (west, south, east, north)) in enumerate(zip(area_geoms, shapely.bounds(area_geoms))):
        near = np.flatnonzero((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))
        inside = near[shapely.intersects_xy(geom, lon[near], lat[near])]
        found_points.append(inside)
        found_areas.append(np.full(len(inside), j))
    points, found = np.concatenate([np.zeros(0, int), *found_points]), np.concatenate([np.zeros(0, int), *found_areas])
    order = np.lexsort((found, points))
    return points[order], found[order]


def assign(data_dir: Path) -> tuple[int, float]:
    """Rewrite `incident_areas.parquet` from the areas and incidents; (pairs written, seconds).
    One partition of the incident tree at a time, in order, so that memory stays that of one
    partition at ten million incidents and the file comes out sorted by kommun and time."""
    started = time.perf_counter()
    data_dir = Path(data_dir)
    target = data_dir / TABLES["incident_areas"].pattern
    written = 0
    with storage.lock(target), db.connect(data_dir) as con, storage.replacing_file(target) as tmp:
        run = partial(db.run_query, con)
        areas = stored(run)
        partitions = run("incident_partitions") if len(areas) else pd.DataFrame(columns=["kommun_kod", "year"])
        with pq.ParquetWriter(tmp, arrow_schema("incident_areas"), compression="zstd") as out:
            for part in partitions.itertuples():
                points = run("area_assign_points", {"kommun_kod": part.kommun_kod, "year": part.year})
                i, j = assign_points(areas["geometry"].to_numpy(), points["lat"].to_numpy(float), points["lon"].to_numpy(float))
                pairs = points.iloc[i].assign(area_id=areas["area_id"].to_numpy(object)[j])
                out.write_table(to_arrow(pairs, "incident_areas"))
                written += len(pairs)
    return written, time.perf_counter() - started


# --- counts for the map, the top list and the report ---------------------------------


@dataclass(frozen=True)
class AreaCounts:
    """The selection's areas with counts now and before, classed for the choropleth."""

    #: area_id, kommun_kod, name, kind, geometry (shapely), n_now, n_before (as published by
    #: `rule`, NaN: 'färre än a'), change, cls (legend class; -1: not coloured), largest first.
    areas: pd.DataFrame
    legend: hotspots.Legend
    compare: bool
    rule: Rule


def load(run: Runner, hs: hotspots.Hotspots, sel_params: dict, local: hotspots.LocalFilter) -> AreaCounts:
    """Counts per area of the selection with the map page's own filter, as the grid counts cells."""
    frame = stored(run, list(sel_params["kommun_kods"]))
    counts = run("area_counts", sel_params | local.params())
    frame = frame.merge(counts, on="area_id", how="left").fillna({"n_now": 0, "n_before": 0})
    rule = hs.rule
    now, before = rule.counts(frame["n_now"]), rule.counts(frame["n_before"])
    frame = frame.assign(n_now=now, n_before=before, change=now - before)
    shown = now.notna() & (before.notna() if hs.compare else True)
    if hs.compare:
        classes, legend = hotspots.change_classes(frame.loc[shown, "change"], hs.grid, step=rule.base)
        title = "Förändring per område mot föregående period"
    else:
        classes, legend = hotspots.count_classes(frame.loc[shown, "n_now"], hs.grid, rule.base)
        title = "Händelser per område"
    cls = pd.Series(-1, index=frame.index)
    cls[shown] = classes
    frame = frame.assign(cls=cls).sort_values(["n_now", "name"], ascending=[False, True], na_position="last")
    return AreaCounts(frame.reset_index(drop=True), dataclasses.replace(legend, title=title), hs.compare, rule)


def area_at(counts: AreaCounts, point: dict | None) -> pd.Series | None:
    """The area under a clicked point ({'lat', 'lng'}): the smallest one holding it, if any."""
    if not point or counts.areas.empty:
        return None
    geoms = counts.areas["geometry"].to_numpy()
    inside = shapely.intersects_xy(geoms, point["lng"], point["lat"])
    if not inside.any():
        return None
    return counts.areas[inside].iloc[int(np.argmin(shapely.area(geoms[inside])))]


def top_table(counts: AreaCounts, n: int = 10) -> pd.DataFrame:
    """The areas with most incidents now, as Swedish text (Område, Nu, Före, Förändring)."""
    top = counts.areas[counts.areas["n_now"] > 0].head(n)
    return pd.DataFrame(
        {
            "Område": top["name"],
            "Nu": top["n_now"].map(counts.rule.text),
            "Före": top["n_before"].map(counts.rule.text),
            "Förändring": top["change"].map(lambda v: "–" if pd.isna(v) else fmt_signed(v)),
        }
    ).reset_index(drop=True)
