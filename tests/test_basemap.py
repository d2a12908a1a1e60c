"""The base map: MBTiles import (tiles flipped from TMS to XYZ, published under
the static folder), clear one-line refusals, `basemap remove`, and precedence."""

from __future__ import annotations

import sqlite3

import pytest
import shapely

from dashboard import basemap, cli, geography
from dashboard.config import settings
from tests.datasets import write_tables
from tests.mbtiles import png, tile_xy, write_mbtiles

LILLA_EDET = tuple(shapely.bounds(geography.boundary("1462")))


@pytest.fixture
def data_dir(tmp_path):
    return write_tables(tmp_path / "data")


def run_cli(data_dir, *args) -> int:
    return cli.main(["--data-dir", str(data_dir), "basemap", *args])


def test_import_extracts_xyz_tiles_and_the_map_serves_them_from_the_app(data_dir, tmp_path, monkeypatch, capsys):
    written = write_mbtiles(tmp_path / "karta.mbtiles", LILLA_EDET, zooms=range(8, 11))
    assert run_cli(data_dir, "import", str(tmp_path / "karta.mbtiles")) == 0
    assert f"{written} tiles, zoom 8–10" in capsys.readouterr().out
    x, y = tile_xy(58.134, 12.123, 10)  # XYZ: y counted from the north
    assert (data_dir / "basemap" / "tiles" / "10" / str(x) / f"{y}.png").read_bytes() == png((200, 220, 200))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.delenv("LAGESBILD_TILES_URL", raising=False)
    tiles = basemap.current(settings())
    found = basemap.imported(data_dir)
    assert tiles.url == f"/app/static/basemap/{found.id}/{{z}}/{{x}}/{{y}}.png"
    assert (tiles.min_zoom, tiles.max_zoom, tiles.attribution) == (8, 10, "© Testkommunen")
    published = basemap.static_assets.STATIC_DIR / "basemap" / found.id / "10" / str(x) / f"{y}.png"
    assert published.read_bytes() == png((200, 220, 200))
    # A configured tile server takes precedence; WMTS placeholders become Leaflet's.
    monkeypatch.setenv("LAGESBILD_TILES_URL", "https://tiles.example/wmts?TileMatrix={TileMatrix}&TileRow={TileRow}&TileCol={TileCol}")
    assert basemap.current(settings()).url == "https://tiles.example/wmts?TileMatrix={z}&TileRow={y}&TileCol={x}"
    monkeypatch.delenv("LAGESBILD_TILES_URL")
    assert run_cli(data_dir, "remove") == 0
    assert basemap.current(settings()) is None and not published.exists() and not (data_dir / "basemap").exists()
    assert run_cli(data_dir, "remove") == 0 and "No base map" in capsys.readouterr().out


def test_bounds_come_from_the_tiles_when_the_metadata_has_none(data_dir, tmp_path):
    path = tmp_path / "karta.mbtiles"
    write_mbtiles(path, LILLA_EDET, zooms=[9])
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM metadata WHERE name = 'bounds'")
    found = basemap.import_mbtiles(path, data_dir, basemap.kommun_boxes(data_dir))
    west, south, east, north = found.bounds
    assert west <= LILLA_EDET[0] and south <= LILLA_EDET[1] and east >= LILLA_EDET[2] and north >= LILLA_EDET[3]


def _vector(path):
    write_mbtiles(path, LILLA_EDET, zooms=[9], fmt="pbf")


def _elsewhere(path):
    write_mbtiles(path, (18.0, 59.3, 18.1, 59.4), zooms=[9])  # Stockholm


def _not_sqlite(path):
    path.write_text("name,format\n", encoding="utf-8")


def _other_sqlite(path):
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (a)")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_sqlite, "is not an MBTiles file (not an SQLite database)"),
        (_other_sqlite, "is not an MBTiles file (no 'metadata' and 'tiles' tables)"),
        (_vector, "holds vector tiles (pbf); export raster tiles"),
        (_elsewhere, "covers none of the installation's kommuner"),
    ],
)
def test_unusable_files_get_one_clear_line_and_change_nothing(data_dir, tmp_path, capsys, make, message):
    path = tmp_path / "karta.mbtiles"
    make(path)
    assert run_cli(data_dir, "import", str(path)) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert basemap.imported(data_dir) is None

