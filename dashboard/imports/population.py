"""`python -m dashboard import population FILE`: SCB's Folkmängd (BE0101N1) by
kommun and year into the `population` table.

The file is a PxWeb table (`imports.scb`: CSV or JSON-stat 2.0) holding
Folkmängd, by its code `BE0101N1` or its label. Kommuner the installation does
not serve, the country and counties, and cells without a value are skipped and
counted. Any unreadable cell rejects the file and nothing is written (unless
`--skip-invalid`: the other cells are imported, the bad rows reported); values
are merged on (kommun, year) atomically under the table's lock, so importing the
same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import records, tables
from dashboard.imports import scb
from dashboard.imports.formats import detect, register
from dashboard.imports.skipped import NOT_POPULATION
from dashboard.imports.sources import Reading, SourceResult, served_kommuner, where
from dashboard.roles import Author
from dashboard.schema import TABLES, to_arrow
from dashboard.validation import ImportRejected

#: How Folkmängd is named: SCB's contents code and its label.
FOLKMANGD = ("be0101n1", "folkmängd")
KEY = list(TABLES["population"].unique)

# Here, not beside the indicator formats: `import population` loads only this module.
register("population", "scb", "SCB Folkmängd BE0101N1 (PxWeb CSV or JSON-stat 2.0)", lambda h: True)


def is_population(table: scb.Table) -> bool:
    return any(_is_folkmangd(c.contents) for c in table.cells)


def _is_folkmangd(contents: str) -> bool:
    return contents.strip().casefold() in FOLKMANGD


def import_file(
    path: Path, data_dir: Path, author: Author, skip_invalid: bool = False, format: str | None = None
) -> SourceResult:
    """Validate the file and merge its populations (see the module docstring);
    `skip_invalid` imports the valid cells and writes the rows of the others to
    `FILE.rejected.csv`."""
    records.require(author.may_edit)
    path, data_dir = Path(path), Path(data_dir)
    detect("population", path, format)  # only SCB's tables so far; a wrong --format is named
    table = scb.read(path)
    reading = Reading(str(path), sheet=table.sheet)
    if not is_population(table):
        reading.problem(
            None, None, None,
            "no Folkmängd (SCB BE0101N1) in this table; another table fills an indicator: "
            "import indicators FILE --indicator ID",
            "ingen folkmängd (SCB BE0101N1) i tabellen; en annan tabell fyller en indikator",
        )  # fmt: skip
        raise ImportRejected(reading.problems)
    rows = []
    for cell, code, value in scb.figures(table, reading, served_kommuner(data_dir)):
        if not _is_folkmangd(cell.contents):
            reading.skips.add(NOT_POPULATION, cell.contents)
        elif value <= 0 or not float(value).is_integer():
            reading.problem(cell.row, cell.column, cell.value, "not a number of inhabitants", "inte ett invånarantal")
        else:
            rows.append((code, cell.year, int(value), cell.row, cell.column))
    bad = reading.accept(skip_invalid)  # a row with a problem is left out whole, as in every import
    rows = [r[:3] for r in rows if where(*r[3:]) not in bad]
    written, unchanged = merge(pd.DataFrame(rows, columns=[*KEY, "population"]), data_dir) if rows else (0, 0)
    return SourceResult.of(reading, written, unchanged, path)


def merge(rows: pd.DataFrame, data_dir: Path) -> tuple[int, int]:
    """Merge rows into population; (rows new or changed, rows already stored)."""
    rows = rows.astype({"year": "int64", "population": "int64"})
    with tables.store(data_dir).transaction("population") as tx:
        stored = tx.read("population").to_pandas().astype({"year": "int64", "population": "int64"})
        both = rows.merge(stored, on=KEY, how="left", suffixes=("", "_stored"))
        changed = int((both["population"] != both["population_stored"]).sum())
        if changed:
            kept = stored[~stored.set_index(KEY).index.isin(rows.set_index(KEY).index)]
            merged = pd.concat([kept, rows], ignore_index=True).sort_values(KEY)
            tx.replace("population", to_arrow(merged, "population"))
    return changed, len(rows) - changed
