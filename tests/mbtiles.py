"""A raster MBTiles file written by the tests themselves: tiny PNG tiles over a box."""

from __future__ import annotations

import math
import sqlite3
import struct
import zlib
from pathlib import Path


def png(rgb: tuple[int, int, int], size: int = 4) -> bytes:
    """A size x size PNG of one colour, in pure Python."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def tile_xy(lat: float, lon: float, z: int) -> tuple[int, int]:
    """The XYZ tile (y from the north) holding a point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def write_mbtiles(
    path: Path, box: tuple[float, float, float, float], zooms=range(6, 13), fmt: str = "png", metadata: dict | None = None
) -> int:
    """An MBTiles file with a tile at each zoom for every tile over box (west, south, east, north); tiles written."""
    west, south, east, north = box
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    meta = {"name": "Testkarta", "format": fmt, "bounds": f"{west},{south},{east},{north}",
            "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)), "attribution": "© Testkommunen"} | (metadata or {})  # fmt: skip
    con.executemany("INSERT INTO metadata VALUES (?, ?)", meta.items())
    count = 0
    for z in zooms:
        (x0, y0), (x1, y1) = tile_xy(north, west, z), tile_xy(south, east, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                tms_y = 2**z - 1 - y
                con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, tms_y, png((200, 220 - 10 * (z % 5), 200))))
                count += 1
    con.commit()
    con.close()
    return count
