"""The base map under the outlines: none, a tile server, or offline tiles.

- none (default): the map draws boundaries, areas and hotspots on a plain
  background and nothing leaves the machine;
- a tile server: `LAGESBILD_TILES_URL`, an XYZ template (`{z}/{x}/{y}`) or a
  WMTS GetTile template in Web Mercator (`{TileMatrix}`, `{TileRow}`,
  `{TileCol}`), with `LAGESBILD_TILES_ATTRIBUTION`; it takes precedence;
- offline tiles: `python -m dashboard basemap import FILE.mbtiles` extracts a
  raster MBTiles file into `<data_dir>/basemap/` (tiles in XYZ order and
  `basemap.json`), and the app serves them from its own address with no
  further setting. `basemap remove` goes back to none.

Serving. Streamlit serves only the `static/` folder next to its entry script
(`/app/static/…`, `server.enableStaticServing`) and refuses links that resolve
outside it, so the tiles are published there under the import's id as hard
links to the extracted files (copies where the file system has no hard links):
`dashboard/static/basemap/<id>/{z}/{x}/{y}.png`. Tile files are small, so
Streamlit's size limit on static files never applies.
"""

from __future__ import annotations

import functools
import json
import math
import mimetypes
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import shapely

from dashboard import db, shapes, static_assets, storage
from dashboard.config import Settings

#: MBTiles `format` -> file extension; pbf (vector tiles) cannot be drawn by Leaflet alone.
RASTER_FORMATS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
DIR_NAME = "basemap"
METADATA = "basemap.json"
PUBLISHED = ".published"
WMTS_PLACEHOLDERS = {"{TileMatrix}": "{z}", "{TileRow}": "{y}", "{TileCol}": "{x}"}
mimetypes.add_type("image/webp", ".webp")  # not known to Python before 3.13; Streamlit guesses by suffix


class BasemapError(ValueError):
    """A file that cannot become the base map; the message is one line."""


@dataclass(frozen=True)
class Tiles:
    url: str
    attribution: str
    min_zoom: int = 0
    max_zoom: int = 19
    #: [[south, west], [north, east]] the tiles cover, None for a server's whole world.
    bounds: list[list[float]] | None = None


@dataclass(frozen=True)
class Imported:
    id: str
    name: str
    format: str
    min_zoom: int
    max_zoom: int
    bounds: list[float]  # west, south, east, north
    attribution: str
    tiles: int


# --- import and remove ----------------------------------------------------------------


def _metadata(con: sqlite3.Connection, path: Path) -> dict[str, str]:
    try:
        rows = con.execute("SELECT name, value FROM metadata").fetchall()
        con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        raise BasemapError(f"{path.name} is not an MBTiles file (no 'metadata' and 'tiles' tables)") from None
    return {str(k).casefold(): str(v) for k, v in rows}


def _format(meta: dict[str, str], path: Path) -> str:
    fmt = meta.get("format", "png").casefold()
    if fmt == "pbf" or "vector_layers" in meta.get("json", ""):
        raise BasemapError(f"{path.name} holds vector tiles (pbf); export raster tiles (PNG or JPEG) instead")
    if fmt not in RASTER_FORMATS:
        raise BasemapError(f"{path.name}: tile format {fmt!r} is not supported (png, jpg or webp)")
    return fmt


def _bounds(con: sqlite3.Connection, meta: dict[str, str], path: Path) -> list[float]:
    """west, south, east, north: from the metadata, else from the tiles of the deepest zoom."""
    if "bounds" in meta:
        try:
            west, south, east, north = (float(v) for v in meta["bounds"].split(","))
            return [west, south, east, north]
        except ValueError:
            raise BasemapError(f"{path.name}: metadata 'bounds' is not west,south,east,north") from None
    row = con.execute(
        "SELECT zoom_level, min(tile_column), max(tile_column), min(tile_row), max(tile_row) FROM tiles "
        "GROUP BY zoom_level ORDER BY zoom_level DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise BasemapError(f"{path.name} holds no tiles")
    z, x0, x1, y0, y1 = row
    (west, south), (east, north) = tile_corner(z, x0, y0), tile_corner(z, x1 + 1, y1 + 1)
    return [west, south, east, north]


def tile_corner(z: int, x: int, tms_y: int) -> tuple[float, float]:
    """(lon, lat) of a tile's south-west corner, the tile given in TMS order (y from the south)."""
    n = 2**z
    lon = x / n * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (2 * tms_y / n - 1))))
    return lon, lat


def _overlaps(box: list[float], kommun_boxes: list[tuple[float, float, float, float]]) -> bool:
    west, south, east, north = box
    return any(w < east and e > west and s < north and n > south for w, s, e, n in kommun_boxes)


def import_mbtiles(path: Path, data_dir: Path, kommun_boxes: list[tuple[float, float, float, float]]) -> Imported:
    """Extract a raster MBTiles file into `<data_dir>/basemap/`, replacing any base map there.

    `kommun_boxes` are (west, south, east, north) of the installation's kommuner:
    a file that covers none of them is refused. Raises BasemapError.
    """
    path = Path(path)
    if not path.is_file():
        raise BasemapError(f"no file {path}")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BasemapError(f"{path.name} is not an MBTiles file (not an SQLite database)")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        meta = _metadata(con, path)
        fmt = _format(meta, path)
        box = _bounds(con, meta, path)
        if not _overlaps(box, kommun_boxes):
            raise BasemapError(f"{path.name} covers none of the installation's kommuner (bounds {box})")
        with storage.replacing_directory(Path(data_dir) / DIR_NAME) as staging:
            imported = _extract(con, staging, meta, fmt, box)
    finally:
        con.close()
    return imported


def _extract(con: sqlite3.Connection, staging: Path, meta: dict, fmt: str, box: list[float]) -> Imported:
    ext, zooms, count = RASTER_FORMATS[fmt], set(), 0
    for z, x, tms_y, data in con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
        tile = staging / "tiles" / str(z) / str(x) / f"{2**z - 1 - tms_y}.{ext}"  # TMS -> XYZ: y from the north
        tile.parent.mkdir(parents=True, exist_ok=True)
        tile.write_bytes(data)
        zooms.add(z)
        count += 1
    if not count:
        raise BasemapError("the file holds no tiles")
    imported = Imported(
        id=uuid.uuid4().hex[:12],
        name=meta.get("name", ""),
        format=ext,
        min_zoom=int(meta.get("minzoom", min(zooms))),
        max_zoom=int(meta.get("maxzoom", max(zooms))),
        bounds=box,
        attribution=meta.get("attribution", ""),
        tiles=count,
    )
    (staging / METADATA).write_text(json.dumps(imported.__dict__, ensure_ascii=False), encoding="utf-8")
    return imported


def imported(data_dir: Path) -> Imported | None:
    """The base map imported into `data_dir`, if any."""
    path = Path(data_dir) / DIR_NAME / METADATA
    if not path.is_file():
        return None
    return Imported(**json.loads(path.read_text(encoding="utf-8")))


def remove(data_dir: Path) -> bool:
    """Remove the imported base map and its published tiles; False if there was none."""
    found = imported(data_dir)
    if found is None:
        return False
    shutil.rmtree(_published_dir(found), ignore_errors=True)
    # Renamed first, so a reader sees the whole base map or none.
    gone = Path(data_dir) / f".{DIR_NAME}-{uuid.uuid4().hex}.old"
    (Path(data_dir) / DIR_NAME).rename(gone)
    shutil.rmtree(gone, ignore_errors=True)
    return True


# --- what the map uses ----------------------------------------------------------------


def _published_dir(found: Imported) -> Path:
    return static_assets.STATIC_DIR / DIR_NAME / found.id


@functools.cache
def publish(data_dir: Path, import_id: str) -> Path:
    """Make the imported tiles servable below the static folder (hard links, else copies), once."""
    found = imported(data_dir)
    target = _published_dir(found)
    if (target / PUBLISHED).is_file():
        return target
    source = Path(data_dir) / DIR_NAME / "tiles"
    with storage.lock(target):
        for tile in source.rglob(f"*.{found.format}"):
            dest = target / tile.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                try:
                    os.link(tile, dest)
                except OSError:
                    shutil.copyfile(tile, dest)
        (target / PUBLISHED).touch()
    return target


def xyz_template(url: str) -> str:
    """A WMTS GetTile template in Leaflet's placeholders ({TileMatrix} -> {z}, …); XYZ unchanged."""
    for wmts, xyz in WMTS_PLACEHOLDERS.items():
        url = url.replace(wmts, xyz)
    return url


def current(cfg: Settings, base_path: str = "") -> Tiles | None:
    """The base map to draw: the configured tile server, else imported tiles (served
    behind Streamlit's `base_path`), else None."""
    if cfg.tiles_url:
        return Tiles(xyz_template(cfg.tiles_url), cfg.tiles_attribution)
    found = imported(cfg.data_dir)
    if found is None:
        return None
    publish(Path(cfg.data_dir).resolve(), found.id)
    url = static_assets.static_url(f"{DIR_NAME}/{found.id}/{{z}}/{{x}}/{{y}}.{found.format}", base_path)
    west, south, east, north = found.bounds
    return Tiles(url, found.attribution, found.min_zoom, found.max_zoom, [[south, west], [north, east]])



def kommun_boxes(data_dir: Path) -> list[tuple[float, float, float, float]]:
    """(west, south, east, north) of each kommun the data directory serves."""
    with db.connect(data_dir) as con:
        geoms = shapes.served_boundaries(partial(db.run_query, con)).values()
    return [tuple(shapely.bounds(g)) for g in geoms]
