"""One reader for the tables people send: CSV (and text exports) and .xlsx,
as they come out of Excel and other systems.

Parquet is read too (its header is row 1).

- Encoding: UTF-8 (with or without BOM), Windows-1252 or ISO-8859-1
  (`decode`).
- CSV separator: `;`, `,` or tab, whichever splits the lines most
  consistently (`sniff_delimiter`); a trailing separator on every line adds
  no column.
- A title above the header (one or more lines, blank lines) is found and
  skipped: the header is the first row with known column names (`aliases`),
  else the first non-empty row. Title lines are kept in `Sheet.title` (a year
  may be written there).
- Merged cells (xlsx) are filled down over their range; `fill_down` columns
  are also filled over empty cells below a value, within a block of rows.
- Blank rows are skipped; rows whose first cell says "Summa", "Totalt",
  "Total" or "Källa: …" are skipped and listed in `Sheet.skipped`.
- Row numbers are those the user sees: the line number of a CSV record
  (blank lines counted), the row number of a sheet.
- Cells come back as text (or None), so validation decides what a value means
  and can quote it as written; `parse_number` reads "7 350", "1 204" (no-break
  space) and "12,4".

Incident files can be millions of rows: their importer streams through DuckDB
and uses `sniff_text` / `decode` from here for the same decisions.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import upload_limits
from dashboard.imports.headers import canonical, matches
from dashboard.validation import ImportRejected, Problem

DELIMITERS = (";", ",", "\t")
#: Bytes Windows-1252 leaves undefined: a file holding them is ISO-8859-1.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
#: First cells of rows that sum up or cite a table, not data.
_SUMMARY = re.compile(r"^\s*(summa|totalt|total|k[äa]lla\b.*|source\b.*)\s*:?\s*$", re.IGNORECASE)
#: Rows searched for the header below a title.
HEADER_SEARCH_ROWS = 30
SNIFF_BYTES = 1 << 16
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def unreadable(path, en: str, sv: str, row: int | None = None, column: str | None = None) -> ImportRejected:
    """The rejection of a file that cannot be read (one line: file, row, column, reason)."""
    return ImportRejected([Problem(str(path), row, column, None, en, sv)])


def encoding_of(data: bytes) -> str:
    """'utf-8-sig', 'utf-8', 'cp1252' or 'iso-8859-1' for the bytes of a text file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sniffed head may end inside a character: valid up to its last 3 bytes is valid.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    return "iso-8859-1" if _NOT_CP1252.search(data) else "cp1252"


def decode(data: bytes, path) -> str:
    """The text of a file's bytes (see `encoding_of`); binary data is rejected."""
    if b"\x00" in data[:4096]:
        raise unreadable(
            path,
            "binary file: save it as CSV (UTF-8) or .xlsx",
            "binär fil: spara den som CSV (UTF-8) eller .xlsx",
        )
    return data.decode(encoding_of(data))


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The separator that gives the most lines the same number of fields (at least one)."""

    def score(delim: str) -> tuple[int, int]:
        counts = Counter(line.count(delim) for line in lines if line.strip() and delim in line)
        if not counts:
            return (0, 0)
        count, lines_with = counts.most_common(1)[0]
        return (lines_with, count)

    return max(DELIMITERS, key=score)


def parse_number(text: str | None) -> float | None:
    """'7 350', '1\u00a0204', '12,4', '−3' or '1234.5' -> a float; None for empty; ValueError otherwise."""
    if text is None or not str(text).strip():
        return None
    cleaned = _SPACES.sub("", str(text)).replace("\u2212", "-")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


@dataclass
class Sheet:
    """A table as read: cells as text, each row with the number the user sees."""

    path: Path
    kind: str  # 'csv' or 'xlsx'
    headers: list[str]
    header_row: int
    #: (row number, cells) per data row, cells aligned with `headers`.
    rows: list[tuple[int, list[str | None]]]
    #: Non-empty lines above the header, as text.
    title: list[str] = field(default_factory=list)
    #: Rows left out on purpose (totals, sources), with the reason.
    skipped: list[Problem] = field(default_factory=list)
    #: Rows with more filled cells than the header has columns.
    overlong: list[Problem] = field(default_factory=list)
    delimiter: str = ";"

    def records(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        """(row number, header -> cell) per data row."""
        for number, cells in self.rows:
            yield number, dict(zip(self.headers, cells))


def read_table(path, aliases: Mapping[str, Sequence[str]] | None = None, fill_down: Sequence[str] = ()) -> Sheet:
    """Read a CSV or .xlsx file (see the module docstring); reject a file that cannot be read.

    `aliases` (canonical -> header names) finds the header below a title;
    `fill_down` names canonical columns whose empty cells take the value above.
    """
    path = Path(path)
    if not path.is_file():
        raise unreadable(path, "file not found", "filen finns inte")
    data = path.read_bytes()
    if data.startswith(b"PAR1"):
        grid, kind, delimiter = _parquet_grid(path), "parquet", ";"
    elif data.startswith(b"PK\x03\x04"):
        grid, kind, delimiter = _xlsx_grid(path, fill_merged=True), "xlsx", ";"
    else:
        text = decode(data, path)
        if not text.strip():
            raise unreadable(path, "the file is empty", "filen är tom")
        delimiter = sniff_delimiter(text.splitlines()[:50])
        grid, kind = _csv_grid(text, delimiter), "csv"
    return _sheet(path, kind, grid, delimiter, aliases or {}, fill_down)


def _csv_grid(text: str, delimiter: str) -> list[tuple[int, list[str | None]]]:
    """(line number where the record starts, cells) per CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid, line = [], 1
    for record in reader:
        grid.append((line, [cell.strip() or None for cell in record]))
        line = reader.line_num + 1
    return grid


def _xlsx_grid(path: Path, fill_merged: bool) -> list[tuple[int, list[str | None]]]:
    """(sheet row number, cells as text) of the first sheet; merged ranges filled with their value."""
    from openpyxl import load_workbook

    if too_big := upload_limits.workbook_problem(path):
        raise unreadable(path, *too_big)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise unreadable(path, f"not a readable .xlsx file ({type(exc).__name__})", "inte en läsbar .xlsx-fil") from exc
    sheet = book.worksheets[0]
    values = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if fill_merged:
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    values[r][c] = top
    book.close()
    return [(number, cells) for number, cells in enumerate(values, start=1)]


def _parquet_grid(path: Path) -> list[tuple[int, list[str | None]]]:
    """The header and every row of a Parquet file as text; row 1 is the header."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise unreadable(path, f"not a readable Parquet file ({exc})", "inte en läsbar Parquet-fil") from exc
    columns = [[cell_text(v) for v in column.to_pylist()] for column in table.columns]
    return [(1, list(table.column_names))] + [(i + 2, list(cells)) for i, cells in enumerate(zip(*columns))]


def cell_text(value) -> str | None:
    """An Excel cell as text: dates as ISO dates, whole numbers without '.0', empty as None."""
    if value is None or value == "":
        return None
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _blank(cells: Sequence) -> bool:
    return not any(cells)


def _header_index(grid, aliases) -> int:
    """Position in `grid` of the header: the first of the first rows with most known names."""
    candidates = [(i, cells) for i, (_, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]) if not _blank(cells)]
    if not candidates:
        return -1
    if aliases:
        best = max(matches(cells, aliases) for _, cells in candidates)
        if best:
            return next(i for i, cells in candidates if matches(cells, aliases) == best)
    return candidates[0][0]


def _sheet(path, kind, grid, delimiter, aliases, fill_down) -> Sheet:
    at = _header_index(grid, aliases)
    if at < 0:
        raise unreadable(path, "the file is empty", "filen är tom")
    header_row, header_cells = grid[at]
    width = max((i + 1 for i, h in enumerate(header_cells) if h), default=0)
    headers = [h or "" for h in header_cells[:width]]
    title = [" ".join(c for c in cells if c) for _, cells in grid[:at] if not _blank(cells)]
    sheet = Sheet(path, kind, headers, header_row, [], title, delimiter=delimiter)
    fill = [i for i, h in enumerate(headers) if canonical(h, aliases) in fill_down]
    above: dict[int, str | None] = {}
    for number, cells in grid[at + 1 :]:
        if _blank(cells):
            above = {}  # a blank row ends a block
            continue
        first = next(c for c in cells if c)
        if _SUMMARY.match(first) or _SUMMARY.match(cells[0] or ""):
            sheet.skipped.append(
                Problem(
                    str(path), number, headers[0] if headers else None, first,
                    "a total or source line, not data: skipped",
                    "en summerings- eller källrad, inte data: hoppas över",
                )  # fmt: skip
            )
            continue
        extra = [c for c in cells[width:] if c]
        if extra:
            sheet.overlong.append(
                Problem(
                    str(path), number, None, extra[0],
                    f"more fields than the header ({len(cells)} > {width}; a separator in an unquoted value?)",
                    f"fler fält än rubrikraden ({len(cells)} > {width}; avgränsare i ett värde utan citattecken?)",
                )  # fmt: skip
            )
            continue
        row = list(cells[:width]) + [None] * (width - len(cells))
        for i in fill:
            if row[i] is None:
                row[i] = above.get(i)
            above[i] = row[i]
        sheet.rows.append((number, row))
    return sheet


def sniff_text(path) -> tuple[str, list[str]]:
    """(encoding, the first lines) of a text file, from its first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = encoding_of(head)
    return encoding, head.decode(encoding, errors="replace").splitlines()[:HEADER_SEARCH_ROWS + 20]
