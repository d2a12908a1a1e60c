"""`python -m dashboard import boundaries FILE`: a more detailed boundary file
replaces the simplified boundaries of the kommuner it holds.

The file is GeoJSON as Lantmäteriet and SCB publish it: a FeatureCollection of
Polygons/MultiPolygons in WGS84 or SWEREF 99 TM (`geography.read_geojson`),
each feature naming its kommun by code or name in a property such as
`KnKod`, `kommunkod`, `kommun_kod`, `id`, `KnNamn` or `kommun`. Features of
kommuner the installation does not serve are skipped and counted (a national
file covers all 290). What the maps draw is simplified for the view
(`shapes`); the stored boundary keeps every vertex.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import shapely

from dashboard import db, geography, records, shapes, tables
from dashboard.validation import ImportRejected, ImportResult, Problem

#: Property names (normalised) that hold a kommun's code or name, most specific first.
KOMMUN_KEYS = ("knkod", "kommunkod", "kommun_kod", "kod", "code", "id", "knnamn", "kommunnamn", "kommun", "name", "namn")


@dataclass
class BoundaryImportResult(ImportResult):
    skipped: int = 0

    def notes(self) -> list[str]:
        return [f"{self.skipped:,} feature(s) of kommuner this installation does not serve skipped"] if self.skipped else []


def _code(props: dict) -> str | None:
    by_key = {geography.normalise(k): v for k, v in props.items()}
    return next((c for k in KOMMUN_KEYS if (c := geography.resolve_kommun(by_key.get(k))) is not None), None)


def read_boundaries(path: Path, served: set[str]) -> tuple[dict[str, object], int]:
    """{code: geometry} of the served kommuner in the file, and the features skipped."""
    try:
        features = geography.read_geojson(path)
    except geography.GeoJSONError as exc:
        raise ImportRejected([Problem(str(path), None, None, None, str(exc), f"filen kan inte läsas: {exc}")]) from None
    found, skipped, problems = {}, 0, []
    for i, feature in enumerate(features, start=1):
        code = _code(feature.properties)
        if code is None:
            problems.append(Problem(str(path), None, None, None, f"feature {i}: no kommun code or name (e.g. 'KnKod')",
                                    f"objekt {i}: kommunkod eller kommunnamn saknas (t.ex. 'KnKod')"))  # fmt: skip
        elif code not in served:
            skipped += 1
        else:
            # A kommun split over several features (islands) becomes one MultiPolygon.
            found.setdefault(code, []).append(feature.geometry)
    if problems:
        raise ImportRejected(problems)
    if not found:
        raise ImportRejected([Problem(str(path), None, None, None, "no boundary of the installation's kommuner",
                                      "ingen gräns för installationens kommuner")])  # fmt: skip
    return {code: shapely.union_all(parts) for code, parts in found.items()}, skipped


@contextlib.contextmanager
def shape_import(data_dir: Path, table: str, author) -> Iterator[tuple[Callable, dict, tables.Store]]:
    """For an import of shapes into `table`: a transaction holding its lock, a
    query runner, and the served kommuner's boundaries ({code: geometry})."""
    records.require(author.may_import)
    with tables.store(data_dir).transaction(table) as tx, db.connect(Path(data_dir)) as con:
        run = partial(db.run_query, con)
        yield run, shapes.served_boundaries(run), tx


def import_file(path: Path, data_dir: Path, author, skip_invalid: bool = False) -> BoundaryImportResult:
    """Replace the boundaries of the served kommuner found in `path`."""
    with shape_import(data_dir, "boundaries", author) as (_, kept, tx):
        found, skipped = read_boundaries(Path(path), set(kept))
        tx.replace("boundaries", geography.boundaries_table(list(kept), kept | found))
    return BoundaryImportResult(written=len(found), unchanged=len(kept) - len(found), skipped=skipped)
