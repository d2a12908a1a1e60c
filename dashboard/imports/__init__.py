"""The import pipeline: one skeleton, one adapter per source on top.

Every importer (`incidents`, `long_format`, `commitments`,
and the adapters for other sources) is built from these parts:

1. **Format** (`formats`): `register(kind, name, description, matches)` adds
   an adapter's test on a file's `Head` (first bytes, their text, the name);
   `detect(kind, path, forced=None)` picks the adapter by content, or the one
   `--format NAME` forces.
2. **Reader** (`reader`): `read_table(path, aliases, fill_down=())` reads CSV
   or .xlsx as people make them (encoding, separator, a title above the
   header, merged cells, totals and source lines, blank lines) into a `Sheet`:
   `headers`, `rows` as `(row number the user sees, cells as text)`,
   `title`, `skipped` and `overlong` (problems), `delimiter`.
   `parse_number("7 350")`, `decode(bytes, path)`, `cell_text(excel value)`.
   Large incident files do not come through here: `incident_reader` streams
   them through DuckDB with the same encoding and header decisions.
3. **Headers** (`headers`): `resolve_headers(headers, aliases, required,
   file, row)` -> `Columns` (`index`, `names`, `ignored`); `header_key` makes
   "Händelse-tid" and "handelse tid" the same. Missing or doubled columns
   reject the file with the header row's number.
4. **Problems**: `validation.Problem(file, row, column, value, reason_en,
   reason_sv)`; `ImportRejected(problems)` when nothing is written;
   `reader.unreadable(path, en, sv, row, column)` for a file that cannot be
   read as a whole (one line naming file, row and column).
5. **Report** (`report`): `report_path(path)` is `FILE.rejected.csv`;
   `rejected_rows(path, headers, rows, problems, delimiter)` writes it for an
   importer that holds its rows; `write_rejected(path, headers, lines)` with
   `line(row, cells, problems)` streams it. One layout for all importers: the
   cells as read, then row, column, value, reason, orsak; formula-neutral.

Rules every adapter keeps: all-or-nothing unless `skip_invalid`; rows for
kommuner the installation does not serve, totals and "no value" rows are
skipped and counted, not rejected; writes are atomic (`storage`); every write
takes an `author` (`roles.Author`).
"""

from dashboard.imports.formats import Head, detect, register
from dashboard.imports.headers import Columns, header_key, resolve_headers
from dashboard.imports.reader import Sheet, cell_text, decode, parse_number, read_table, unreadable
from dashboard.imports.report import line, rejected_rows, report_path, write_rejected

__all__ = [
    "Columns", "Head", "Sheet", "cell_text", "decode", "detect", "header_key", "line", "parse_number",
    "read_table", "register", "rejected_rows", "report_path", "resolve_headers", "unreadable", "write_rejected",
]  # fmt: skip
