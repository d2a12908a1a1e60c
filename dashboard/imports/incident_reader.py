"""Reading incident files into DuckDB, every cell as text, each row with the
number the user sees in their spreadsheet (header = row 1).

`load(con, path, work_dir)` fills the table `source_rows` (`row`, `c0` … `cN`)
and returns a `Source` that says which column holds what (Swedish and English
header aliases) and which rows could not be read at all (table
`unreadable_rows`). Formats:

- CSV in UTF-8 (with or without BOM) or Windows-1252, separated by comma,
  semicolon or tab, quoted fields may hold newlines. DuckDB's `read_csv` does
  the parsing (parallel, streaming); rows it cannot split into the header's
  columns land in its rejects table with their record number. Blank lines and
  Windows-1252 need a normalised UTF-8 copy first (see `_normalise`).
- Excel `.xlsx` (first sheet, streamed with openpyxl).
- Parquet (any column types; values cast to text).
- The Swedish Police's open events JSON (a list of events). Rows are numbered
  by position in the list, the first event being row 1.

User text never reaches SQL text: columns are addressed by position (`c3`).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from dashboard import imports, upload_limits
from dashboard.imports import cell_text, header_key, polisen, resolve_headers
from dashboard.validation import ImportRejected, Problem

#: Canonical column -> accepted header names (compared by `imports.header_key`:
#: case, spaces, dashes and diacritics do not matter).
ALIASES = {
    "occurred_at": ("occurred_at", "tidpunkt", "datum_och_tid", "datum_tid", "händelsetid", "datetime", "timestamp"),
    "date": ("datum", "date", "händelsedatum", "brottsdatum"),
    "time": ("tid", "klockslag", "time", "klockan"),
    "kommun": ("kommun", "kommunnamn", "municipality"),
    "kommun_kod": ("kommun_kod", "kommunkod", "kommunnummer", "municipality_code"),
    "category": ("category", "kategori", "brottstyp", "brottskategori", "händelsetyp", "typ", "type"),
    "lat": ("lat", "latitud", "latitude", "wgs84_lat"),
    "lon": ("lon", "lng", "long", "longitud", "longitude", "wgs84_lon"),
    # Projected coordinates (SWEREF 99 TM or local zones, RT 90; see coordinates.py).
    # Swedish usage: X is north, Y is east.
    "sweref99_n": ("sweref99_n", "sweref_n", "northing", "north", "nord", "n", "x", "x_koordinat", "sweref99tm_n"),
    "sweref99_e": ("sweref99_e", "sweref_e", "easting", "east", "öst", "ost", "e", "y", "y_koordinat", "sweref99tm_e"),
    "incident_id": ("incident_id", "id", "händelse_id", "handelse_id", "ärende", "ärendenummer"),
    "source": ("source", "källa", "kalla"),
    "place_type": ("place_type", "platstyp"),
    "place_name": ("place_name", "plats", "platsnamn", "place", "adress", "plats_adress"),
    "place_precision": ("place_precision", "precision", "platsprecision", "lägesprecision"),
    "description": ("description", "beskrivning", "händelsebeskrivning", "händelse", "text", "fritext"),
    "published_at": ("published_at", "publicerad"),
}
CANONICAL = tuple(c for c in ALIASES if c not in ("date", "time")) + ("skip",)
#: Category of rows from a file without a category column (EST and safety-walk logs).
DEFAULT_CATEGORY = "Observation"
#: One of each group is needed ("date" is a date with the time of day in "time").
#: Without a kommun column the kommun is the one the point lies in (import_validate.sql).
REQUIRED = (("occurred_at", "date"), ("kommun", "kommun_kod", "lat", "sweref99_n"))

SNIFF_BYTES = 1 << 16
BATCH_ROWS = 50_000


@dataclass
class Source:
    """An incident file loaded into `source_rows`."""

    path: Path
    kind: str
    #: Header names as written, column i of source_rows being c{i}.
    headers: list[str]
    #: Canonical column -> SQL expression over source_rows.
    columns: dict[str, str]
    #: Canonical column -> the header the user wrote, for problem reports.
    names: dict[str, str] = field(default_factory=dict)
    #: Header names that map to nothing and are ignored.
    ignored: list[str] = field(default_factory=list)
    delimiter: str = ";"

    @property
    def axes_by_value(self) -> bool:
        """Projected coordinates under X/Y headers: north is the larger value (Swedish X = north)."""
        return header_key(self.names.get("sweref99_n", "")) in ("x", "y", "x_koordinat", "y_koordinat")

    def select_sql(self) -> str:
        """SELECT of `row` and every canonical column, as text, from source_rows."""
        exprs = [f"{self.columns.get(name, 'NULL::VARCHAR')} AS {name}" for name in CANONICAL]
        return f"SELECT row, {', '.join(exprs)} FROM source_rows"

    def header(self, canonical: str) -> str:
        return self.names.get(canonical, canonical)


def rejected(path: Path, en: str, sv: str, row: int | None = None) -> ImportRejected:
    """The import of a file that cannot be read as a whole."""
    return ImportRejected([Problem(str(path), row, None, None, en, sv)])


FORMATS = (
    imports.register("incidents", "polisen", "the police's open events feed (JSON)", lambda h: h.is_json),
    imports.register("incidents", "table", "CSV, .xlsx or Parquet with a header row", lambda h: not h.is_json),
)


def load(con: duckdb.DuckDBPyConnection, path: Path, work_dir: Path, run=None, format: str | None = None) -> Source:
    """Read `path` into `source_rows` (and `unreadable_rows`); raise ImportRejected
    for a file that cannot be read at all. `run(sql, params)` executes the
    long read of a CSV file (default `con.execute`), e.g. showing progress;
    `format` forces an adapter of `FORMATS` (else recognised by content)."""
    path = Path(path)
    if not path.is_file():
        raise rejected(path, "file not found", "filen finns inte")
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    con.execute("CREATE OR REPLACE TABLE unreadable_rows (row BIGINT, raw VARCHAR, error VARCHAR)")
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise rejected(path, "the file is empty", "filen är tom")
    if imports.detect("incidents", path, format) == "polisen":
        return _load_events(con, path)
    if head.startswith(b"PAR1"):
        return _load_parquet(con, path)
    if head.startswith(b"PK\x03\x04"):
        return _load_xlsx(con, path)
    if b"\x00" in head:
        raise rejected(
            path,
            "binary file: save it as CSV (UTF-8), .xlsx, Parquet or JSON",
            "binär fil: spara den som CSV (UTF-8), .xlsx, Parquet eller JSON",
        )
    return _load_csv(con, path, work_dir, run or con.execute)


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Free the cells read: after validation only the report of rejected rows needs them."""
    found = con.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_name IN ('source_rows', 'csv_rows') ORDER BY table_type DESC"
    ).fetchall()
    for name, kind in found:
        con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


def _resolve(path: Path, kind: str, headers: list[str]) -> Source:
    """Map the header row onto canonical columns; reject duplicates and missing ones."""
    found = resolve_headers(headers, ALIASES, REQUIRED, str(path))
    columns = {name: f"c{i}" for name, i in found.index.items()}
    names = dict(found.names)
    if "date" in columns and "occurred_at" not in columns:
        # Date and time of day in two columns, as many municipal systems export them.
        time_of_day = f" || coalesce(' ' || nullif(trim({columns.pop('time')}), ''), '')" if "time" in columns else ""
        columns["occurred_at"] = f"nullif(trim({columns.pop('date')}), ''){time_of_day}"
        names["occurred_at"] = names.pop("date")
    for part in ("date", "time"):  # a time of day without a date is no time
        columns.pop(part, None)
    columns.setdefault("category", f"'{DEFAULT_CATEGORY}'")
    return Source(path, kind, headers, columns, names, found.ignored)


# --- CSV -------------------------------------------------------------------


def _encoding(path: Path) -> str:
    """'utf-8' or 'cp1252' (the two encodings Swedish offices produce)."""
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 22):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise rejected(path, "unknown text encoding (use UTF-8)", "okänd teckenkodning (använd UTF-8)")


def _has_blank_lines(path: Path) -> bool:
    """Whether the file may hold an empty line (cheap byte search; quotes ignored)."""
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            data = tail + chunk
            if b"\n\n" in data or b"\n\r\n" in data:
                return True
            tail = data[-2:]
    return False


def _normalise(path: Path, encoding: str, target: Path, blank_marker: str) -> None:
    """A UTF-8 copy of `path` in which every empty line outside quotes is
    replaced by `blank_marker`, a line DuckDB rejects (so it keeps its row
    number) and that we then drop silently."""
    inside_quotes = False
    with (
        open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as dst,
    ):
        for line in src:
            if not inside_quotes and line in ("\n", "\r\n", "\r"):
                line = blank_marker + line
            inside_quotes ^= line.count('"') % 2 == 1
            dst.write(line)


def _first_record(path: Path, encoding: str) -> tuple[str, list[str]]:
    """The delimiter and the header row's cells."""
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as fh:
        head = fh.read(SNIFF_BYTES)
    first_line = head.splitlines()[0] if head.strip() else ""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    return delimiter, [h.strip() for h in header]


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path, work_dir: Path, run) -> Source:
    encoding = _encoding(path)
    delimiter, headers = _first_record(path, encoding)
    source = _resolve(path, "csv", headers)
    source.delimiter = delimiter
    blank_marker = delimiter * len(headers)  # one field too many: a certain reject
    csv_path = path
    if encoding != "utf-8" or _has_blank_lines(path):
        csv_path = work_dir / "normalised.csv"
        _normalise(path, encoding, csv_path, blank_marker)
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers))}
    run(
        "CREATE OR REPLACE TABLE csv_rows AS SELECT * FROM read_csv($path, auto_detect = false, header = true, "
        "columns = $columns, delim = $delim, quote = '\"', escape = '\"', store_rejects = true, "
        "rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', max_line_size = 4000000)",
        {"path": str(csv_path), "columns": columns, "delim": delimiter},
    )
    # Records DuckDB could not split into the header's columns, but for our blank-line markers.
    con.execute(
        """
        INSERT INTO unreadable_rows
        SELECT DISTINCT ON (line) line, csv_line, error_type FROM csv_rejects
        WHERE trim(csv_line, chr(13) || chr(10)) <> $marker ORDER BY line
        """,
        {"marker": blank_marker},
    )
    _number_csv_rows(con)
    return source


def _number_csv_rows(con: duckdb.DuckDBPyConnection) -> None:
    """View `source_rows`: csv_rows with their record numbers.

    DuckDB read the rows in file order, so row k is record k + 2 (after the
    header) plus the rejected records before it. Only the narrow row numbers
    are joined: the wide rows never get sorted.
    """
    if not con.execute("SELECT count(*) FROM csv_rejects").fetchone()[0]:
        con.execute("CREATE OR REPLACE VIEW source_rows AS SELECT rowid + 2 AS row, * FROM csv_rows")
        return
    con.execute(
        """
        CREATE OR REPLACE TABLE csv_row_numbers AS
        WITH rejects AS (SELECT DISTINCT line FROM csv_rejects),
        gaps AS (
            SELECT line - 1 - row_number() OVER (ORDER BY line) AS rows_before,
                   row_number() OVER (ORDER BY line) AS skipped
            FROM rejects
        ),
        steps AS (SELECT rows_before, max(skipped) AS skipped FROM gaps GROUP BY rows_before),
        numbered AS (SELECT rowid AS k FROM csv_rows)
        SELECT k, k + 2 + coalesce(steps.skipped, 0) AS row
        FROM numbered ASOF LEFT JOIN steps ON numbered.k >= steps.rows_before
        """
    )
    con.execute(
        "CREATE OR REPLACE VIEW source_rows AS "
        "SELECT n.row, c.* FROM csv_rows c JOIN csv_row_numbers n ON c.rowid = n.k"
    )


# --- Excel, Parquet, JSON ----------------------------------------------------


def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    from openpyxl import load_workbook

    if too_big := upload_limits.workbook_problem(path):
        raise rejected(path, *too_big)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise rejected(path, f"not a readable .xlsx file ({type(exc).__name__})", "inte en läsbar .xlsx-fil") from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        headers = [_text(v) or "" for v in next(rows, ())]
        source = _resolve(path, "xlsx", headers)
        names = ["row"] + [f"c{i}" for i in range(len(headers))]
        con.execute(f"CREATE OR REPLACE TABLE source_rows (row BIGINT, {', '.join(n + ' VARCHAR' for n in names[1:])})")
        batch = []
        for number, values in enumerate(rows, start=2):  # read-only sheets yield empty rows too
            cells = [_text(v) for v in values[: len(headers)]] + [None] * (len(headers) - len(values))
            if any(cells):
                batch.append([number, *cells])
            if len(batch) >= BATCH_ROWS:
                _insert(con, names, batch)
        _insert(con, names, batch)
    finally:
        book.close()
    return source


def _text(value) -> str | None:
    return None if value is None or value == "" else cell_text(value)


def _insert(con: duckdb.DuckDBPyConnection, names: list[str], batch: list[list]) -> None:
    if batch:
        columns = list(zip(*batch))
        arrow = pa.table(
            [pa.array(columns[0], pa.int64())] + [pa.array(c, pa.string()) for c in columns[1:]], names=names
        )
        con.execute("INSERT INTO source_rows SELECT * FROM arrow")
        batch.clear()


def _load_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
    except duckdb.Error as exc:
        raise rejected(path, f"not a readable Parquet file ({exc})", "inte en läsbar Parquet-fil") from exc
    headers = [r[0] for r in described]
    source = _resolve(path, "parquet", headers)
    casts = ", ".join(f"CAST(#{i + 1} AS VARCHAR) AS c{i}" for i in range(len(headers)))
    con.execute(
        f"CREATE OR REPLACE TABLE source_rows AS SELECT file_row_number + 2 AS row, {casts} "
        "FROM read_parquet($path, file_row_number = true)",
        {"path": str(path)},
    )
    return source


def _load_events(con: duckdb.DuckDBPyConnection, path: Path) -> Source:
    """The police's events feed (`imports.polisen`), one row per event."""
    try:
        events = polisen.load(path.read_bytes())
    except ValueError as exc:
        raise rejected(path, f"not a readable JSON file ({exc})", "inte en läsbar JSON-fil") from exc
    if not polisen.is_feed(events):
        raise rejected(
            path,
            "JSON that is not the police's events feed (a list of events with id, datetime, name, type, location)",
            "JSON som inte är Polisens händelseflöde (en lista med id, datetime, name, type, location)",
        )
    served = {code for (code,) in con.execute("SELECT kommun_kod FROM municipalities").fetchall()}
    found = polisen.rows(events, served)
    names = [f"c{i}" for i in range(len(polisen.COLUMNS))]
    con.execute(f"CREATE OR REPLACE TABLE source_rows (row BIGINT, {', '.join(n + ' VARCHAR' for n in names)})")
    _insert(con, ["row", *names], [[e.row, *(e.values[c] for c in polisen.COLUMNS)] for e in found])
    columns = {c: f"c{i}" for i, c in enumerate(polisen.COLUMNS)}
    return Source(path, "events", list(polisen.COLUMNS), columns, dict(polisen.HEADERS))
