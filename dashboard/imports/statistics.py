"""`import indicators FILE`: indicator values from any source, recognised by content.

Formats, in the order they are tried (`--format NAME` forces one):

| name | what | fills |
|---|---|---|
| `kolada` | a Kolada API v2/v3 data response (JSON) | the indicators recording `kolada:<KPI>` |
| `bra-kommuner` | Brå's "Anmälda brott kommunerna ÅÅÅÅ.csv" (or older, headerless) | `bra:Samtliga brott` |
| `bra-sol` | Brå's SOL export "Databasfil.txt" | `bra:<Brott>` |
| `scb` | an SCB PxWeb table, CSV or JSON-stat 2.0 | `scb:<contents code>` |
| `per-area` | a kommun's own table by area (`Kommun;Område;Kategori;Antal`) | nothing: refused, saying what to do |
| `long` | the project's own long format (`long_format`) | the indicator each row names |

A table by area (kommun × område × kategori, as a kommun's internal statistics
come) is refused with a message rather than mapped: indicator values are one
figure per kommun and period, and summing a kommun's areas gives its total only
when the areas cover the whole kommun, which the file does not say. The message
says how to import the kommun's totals (long format) or the incidents per area.

`indicator` (`--indicator ID`) makes every figure of a statistics file fill that
indicator; `year` (`--year`) gives a Brå kommun file's year when its name has none.
Like every import: all-or-nothing unless `skip_invalid`, which imports the
valid rows and writes the others to `FILE.rejected.csv` (`imports.report`).
"""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.imports import bra, kolada, long_format, scb
from dashboard.imports.formats import Head, detect, register
from dashboard.imports.headers import header_key, resolve_headers
from dashboard.imports.reader import read_table
from dashboard.imports.sources import Reading, served_kommuner, store
from dashboard.roles import Author
from dashboard.validation import ImportRejected, ImportResult

_KOLADA = re.compile(r'"(kpi|values)"\s*:')
_JSONSTAT = re.compile(r'"class"\s*:\s*"dataset"')
_TITLE = re.compile(r'"[^"]*"\s*')


def _first_line(head: Head) -> str:
    return next((line for line in head.first_lines if line.strip()), "")


def is_scb(head: Head) -> bool:
    """JSON-stat, or a PxWeb CSV: a quoted title line alone, then a header with a region column."""
    if head.is_json:
        return bool(_JSONSTAT.search(head.text))
    lines = [line for line in head.first_lines if line.strip()]
    return bool(lines) and bool(_TITLE.fullmatch(lines[0])) and any("region" in line.casefold() for line in lines[1:3])


def is_kolada(head: Head) -> bool:
    return head.is_json and bool(_KOLADA.search(head.text))


register("indicators", "kolada", "a Kolada API data response (JSON)", is_kolada)
register("indicators", "bra-kommuner", "Brå: Anmälda brott kommunerna ÅÅÅÅ.csv",
         lambda h: bra.is_kommun_file(_first_line(h)))
register("indicators", "bra-sol", "Brå: SOL export Databasfil.txt", lambda h: bra.is_sol_file(_first_line(h)))
register("indicators", "scb", "SCB PxWeb table (CSV with title, or JSON-stat 2.0)", is_scb)
register("indicators", "per-area", "a kommun's table by area (Kommun, Område, …)", lambda h: is_area_table(h))
register("indicators", "long", "one value per row: indicator, kommun, period, value", lambda h: True)


#: Header names of an area column, and of the kommun beside it.
AREA_TABLE = {"kommun": ("kommun", "kommunnamn", "kommun_kod", "kommunkod"),
              "area": ("område", "omrade", "stadsdel", "bostadsområde", "delområde", "area")}  # fmt: skip


def is_area_table(head: Head) -> bool:
    """A table (CSV or xlsx, title lines above it allowed) with a kommun and an area column."""
    if head.is_json or head.is_parquet:
        return False
    try:
        sheet = read_table(head.path, AREA_TABLE)
    except ImportRejected:
        return False
    keys = {header_key(h) for h in sheet.headers}
    return all(any(header_key(name) in keys for name in names) for names in AREA_TABLE.values())


def area_table(path: Path) -> Reading:
    """A table by area: no figures, one problem saying what to do instead."""
    sheet = read_table(path, AREA_TABLE)
    found = resolve_headers(sheet.headers, AREA_TABLE, [], str(path), sheet.header_row)
    column = found.header("area")
    areas = list(dict.fromkeys(c[found.index["area"]] for _, c in sheet.rows if c[found.index["area"]]))[:3]
    shown = f"{column!r}: {', '.join(areas)}, …"
    reading = Reading(str(path))
    reading.problem(
        None, None, None,
        f"a table by area ({shown}): indicator values are one figure per kommun and period, so figures per area "
        "cannot be imported as they are. To follow a figure per kommun, import one row per indicator, kommun and "
        "year (columns Indikator, Kommun, Period, Värde; docs/data-model.md) holding the kommun's total (the sum "
        "of the areas only if they cover the whole kommun). To see incidents per area, import the incidents "
        "themselves (import incidents) and the areas (import areas)",
        f"en tabell per område ({shown}): indikatorvärden är ett värde per kommun och period, så värden per "
        "område kan inte importeras som de är. Importera en rad per indikator, kommun och år (kolumnerna "
        "Indikator, Kommun, Period, Värde) med kommunens totala värde (summan av områdena bara om de täcker hela "
        "kommunen). Händelser per område syns på Karta när händelserna och områdena är importerade.",
    )  # fmt: skip
    return reading


def read(name: str, path: Path, served: set[str], year: int | None) -> Reading:
    """The figures of a statistics file in format `name`."""
    if name == "kolada":
        return kolada.read_file(path, served)
    if name == "bra-kommuner":
        return bra.read_kommun_file(path, served, year)
    if name == "bra-sol":
        return bra.read_sol_file(path, served)
    if name == "per-area":
        return area_table(path)
    return scb.indicator_reading(scb.read(path), str(path), served)


def import_upload(name: str, data: bytes, data_dir: Path, author: Author, skip_invalid: bool = False):
    """An upload from the Indikatorer page, in any of these formats."""
    return long_format.import_upload(name, data, data_dir, author, skip_invalid, importer=import_file)


def import_file(
    path: Path, data_dir: Path, author: Author, skip_invalid: bool = False,
    format: str | None = None, indicator: str | None = None, year: int | None = None,
) -> ImportResult:  # fmt: skip
    """Import a file of any indicator format (see the module docstring)."""
    name = detect("indicators", path, format)
    if name == "long":
        return long_format.import_file(path, data_dir, author, skip_invalid)
    reading = read(name, Path(path), served_kommuner(data_dir), year)
    return store(reading, data_dir, author, indicator, skip_invalid, Path(path))
