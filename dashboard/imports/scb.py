"""SCB's statistical database (PxWeb): tables saved as CSV or JSON-stat 2.0.

Both come down to `Cell`s: a region, a year, what is counted (the table's
contents: `BE0101N1` or its label "Folkmängd") and the value as written.

- **JSON-stat 2.0** (PxWebApi v1 `response.format=json-stat2`, v2
  `outputFormat=json-stat2`): `value` is row-major over `id`, the last
  dimension varying fastest; a category's position is
  `dimension[d].category.index[code]`; a missing cell is null with its symbol
  in `status`. `role.time` names the year dimension, `role.metric` the
  contents; the region is the remaining dimension (any other must have one
  category).
- **CSV** as the web export and PxWebApi 2 write it: a quoted title line,
  possibly a blank line, then a header of the stub (`"region"`) followed by
  heading values joined by a space (`"Folkmängd 2023"`, `"BE0101N1 2023"`);
  regions as `"0114 Upplands Väsby"`, `"0114 - Upplands Väsby"` or `"0114"`;
  `..`, `.` and `-` mean no value. Usually ISO-8859-1.

Regions are matched by their code: the country (`00`) and counties (2 digits)
are totals, skipped and counted. Folkmängd fills `population`
(`imports.population`); any other table fills an indicator through the source
id `scb:<contents code>` or `--indicator`.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard.imports.reader import Sheet, parse_number, read_table
from dashboard.imports.skipped import NO_VALUE
from dashboard.imports.sources import Figure, Reading, kommun
from dashboard.validation import ImportRejected, Problem

#: PxWeb's symbols for a cell without a value.
NO_VALUE_SYMBOLS = {"..", ".", "-", "…", ""}
_YEAR = re.compile(r"(?:19|20)\d\d")
_HEADING_YEAR = re.compile(r"^(.*?)\s*((?:19|20)\d\d)$")
SYSTEM = "scb"


@dataclass(frozen=True)
class Cell:
    region: str  # "1462", "1462 Lilla Edet", "00 Riket"
    year: int
    contents: str  # "BE0101N1" (code) or "Folkmängd" (label)
    value: str | None  # as written; None or a symbol in NO_VALUE_SYMBOLS: no value
    row: int | None  # the line the user sees (CSV); None for JSON
    column: str  # the header (CSV) or "region, year" (JSON), for messages


@dataclass(frozen=True)
class Table:
    title: str
    cells: list[Cell]
    #: Contents code -> label ("BE0101N1" -> "Folkmängd"), where the format names both.
    contents: dict[str, str]
    #: The rows as read (CSV), for the report of rejected rows.
    sheet: Sheet | None = None


def looks_like_jsonstat(payload) -> bool:
    keys = {"id", "size", "dimension", "value"}
    return isinstance(payload, dict) and payload.get("class") == "dataset" and keys <= payload.keys()


def _rejected(source: str, en: str, sv: str) -> ImportRejected:
    return ImportRejected([Problem(source, None, None, None, en, sv)])


# --- JSON-stat 2.0 -----------------------------------------------------------------


def read_jsonstat(payload: dict, source: str) -> Table:
    if not looks_like_jsonstat(payload):
        raise _rejected(source, "not a JSON-stat 2.0 dataset (class, id, size, dimension, value)",
                        "inte ett JSON-stat 2.0-dataset")  # fmt: skip
    ids, sizes, dims = payload["id"], payload["size"], payload["dimension"]
    role = payload.get("role") or {}
    time = _one(role.get("time")) or _named(ids, ("tid", "år", "ar", "year"))
    metric = _one(role.get("metric")) or _named(ids, ("contentscode", "tabellinnehåll"))
    others = [d for d in ids if d not in (time, metric)]
    region = _named(others, ("region",)) or (others[0] if others else None)
    extra = [d for d, n in zip(ids, sizes) if d not in (time, metric, region) and n > 1]
    if time is None or region is None or extra:
        raise _rejected(
            source,
            f"expected one region and one year dimension; found {', '.join(ids)}: choose one value of "
            f"{', '.join(extra) or 'each other variable'} when saving the table",
            f"väntade en regions- och en tidsdimension; hittade {', '.join(ids)}",
        )
    codes = {d: _codes(dims[d]["category"]) for d in ids}
    labels = {d: dims[d]["category"].get("label") or {} for d in ids}
    values, status = payload["value"], payload.get("status") or {}
    cells = []
    for flat, combo in enumerate(itertools.product(*(codes[d] for d in ids))):
        at = dict(zip(ids, combo))
        value = _at(values, flat)
        year = at[time]
        if not _YEAR.fullmatch(str(year)):
            raise _rejected(source, f"not a yearly table: the period {year!r} is not a year",
                            f"inte en tabell per år: perioden {year!r} är inget år")  # fmt: skip
        text = _at(status, flat) if value is None else _number_text(value)
        contents = at[metric] if metric else payload.get("label", "")
        place = _labelled(at[region], labels[region].get(at[region], ""))
        cells.append(Cell(place, int(year), contents, text, None, f"{place}, {year}"))
    contents = labels.get(metric, {}) if metric else {}
    return Table(payload.get("label", ""), cells, dict(contents))


def _labelled(code: str, label: str) -> str:
    """'1462 Lilla Edet' whether the label holds the code (show: code_value) or not."""
    return label if label.startswith(code) else f"{code} {label}".strip()


def _one(names) -> str | None:
    return names[0] if isinstance(names, list) and len(names) == 1 else None


def _named(ids: list[str], names: tuple[str, ...]) -> str | None:
    return next((d for d in ids if d.casefold() in names), None)


def _codes(category: dict) -> list[str]:
    """Category codes in index order (`index` is a code -> position map or a list)."""
    index = category.get("index")
    if isinstance(index, list):
        return index
    if isinstance(index, dict):
        return sorted(index, key=index.get)
    return list(category.get("label") or {})


def _at(values, flat: int):
    """Element `flat` of a JSON-stat value or status (a list, or an object keyed by position)."""
    if isinstance(values, list):
        return values[flat] if flat < len(values) else None
    if isinstance(values, dict):
        return values.get(str(flat))
    return values  # one status for every cell


def _number_text(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


# --- CSV -----------------------------------------------------------------------------


def read_csv_rows(header: list[str], rows: list[tuple[int, list[str | None]]], title: str, source: str) -> Table:
    """Cells of a PxWeb CSV whose header and data rows are read already.

    The first column is the region; the others are heading values ending in the year
    ("Folkmängd 2023"), or there is a year column ("år") and one column per contents.
    """
    year_col = next((i for i, h in enumerate(header) if h and h.strip().casefold() in ("år", "tid", "year")), None)
    columns = []
    for i, head in enumerate(header[1:], start=1):
        if i == year_col or not head:
            continue
        match = _HEADING_YEAR.match(head.strip())
        if year_col is None and not match:
            raise ImportRejected([Problem(source, None, head, None,
                                          "a column without a year: expected headings like 'Folkmängd 2023'",
                                          "en kolumn utan år: väntade rubriker som 'Folkmängd 2023'")])  # fmt: skip
        columns.append((i, head, match[1] if year_col is None else head.strip(), None if year_col else int(match[2])))
    cells = []
    for number, cells_of_row in rows:
        region = (cells_of_row[0] or "").strip()
        for i, head, contents, year in columns:
            if year is None:
                year = int(cells_of_row[year_col])
            value = cells_of_row[i] if i < len(cells_of_row) else None
            cells.append(Cell(region, year, contents, value, number, head))
    return Table(title, cells, {})


# --- Cells as figures ---------------------------------------------------------------


def figures(table: Table, reading: Reading, served: set[str]) -> list[tuple[Cell, str, float]]:
    """(cell, kommun_kod, value) for every served kommun with a value; the rest skipped or a problem."""
    out = []
    for cell in table.cells:
        code, skipped = kommun(_region_code(cell.region), served)
        if skipped:
            reading.skips.add(skipped, cell.region)
            continue
        text = None if cell.value is None else cell.value.strip()
        if text is None or text in NO_VALUE_SYMBOLS:
            reading.skips.add(NO_VALUE, f"{cell.region} {cell.year}")
            continue
        try:
            value = parse_number(text)
        except ValueError:
            reading.problem(cell.row, cell.column, cell.value, "not a number", "inte ett tal")
            continue
        out.append((cell, code, value))
    return out


def _region_code(region: str) -> str:
    """'0114 Upplands Väsby', '0114 - Upplands Väsby' and '0114' -> '0114'; '00 Riket' -> '00'."""
    first = region.split(" ")[0]
    return first if first.isdigit() else region


def indicator_reading(table: Table, source: str, served: set[str]) -> Reading:
    """Figures for `indicator_values`: the statistic is `scb:<contents>`."""
    reading = Reading(source, sheet=table.sheet)
    for cell, code, value in figures(table, reading, served):
        statistic = f"{SYSTEM}:{cell.contents}"
        start = date(cell.year, 1, 1)
        reading.figures.append(Figure(statistic, code, start, "year", value, row=cell.row, column=cell.column))
    return reading


def read(path: Path) -> Table:
    """A PxWeb table saved as JSON-stat 2.0 or CSV."""
    path = Path(path)
    data = path.read_bytes()
    if data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"{":
        try:
            return read_jsonstat(json.loads(data.decode("utf-8-sig")), str(path))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _rejected(str(path), f"not valid JSON ({exc})", "inte giltig JSON") from None
    return read_csv(path)


def read_csv(path: Path) -> Table:
    """A PxWeb CSV: title line(s), the header (found by its region column), the data rows."""
    sheet = read_table(path, {"region": ("region",)})
    if sheet.overlong:
        raise ImportRejected(sheet.overlong)
    if not sheet.rows:
        raise _rejected(str(path), "no data rows below the header", "inga datarader under rubrikraden")
    table = read_csv_rows(sheet.headers, sheet.rows, " ".join(sheet.title), str(path))
    return dataclasses.replace(table, sheet=sheet)
