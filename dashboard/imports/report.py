"""One report of rejected rows for every importer: `FILE.rejected.csv` next to
the input, in one layout: the row's cells as read (under the file's own
headers, so it can be fixed and imported again), then `row`, `column`,
`value`, `reason` (English) and `orsak` (Swedish); several problems of one row
are joined with " | ". UTF-8 with BOM (Excel opens it right), the input's
separator (`;` for a workbook), every cell formula-neutral (`exports.inert`),
written atomically.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from dashboard import storage
from dashboard.exports import inert
from dashboard.validation import Problem

COLUMNS = ("row", "column", "value", "reason", "orsak")


def report_path(path) -> Path:
    """Where the rejected rows of `path` are written: `FILE.rejected.csv` beside it."""
    path = Path(path)
    return path.with_name(f"{path.name}.rejected.csv")


def line(row: int | None, cells: Sequence, problems: Sequence[Problem]) -> list[str]:
    """One report line: the cells as read, then the row number and its problems."""
    summary = [
        row,
        " | ".join(p.column or "" for p in problems),
        " | ".join(p.value or "" for p in problems),
        " | ".join(p.reason_en for p in problems),
        " | ".join(p.reason_sv for p in problems),
    ]
    return [inert(v) for v in (*cells, *summary)]


def write_rejected(path, headers: Sequence[str], lines: Iterable[list[str]], delimiter: str = ";") -> Path:
    """Write the report of `path`: the header line, then `lines` (made by `line`); return its path."""
    target = report_path(path)
    with storage.replacing_file(target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow([inert(h) for h in (*headers, *COLUMNS)])
        writer.writerows(lines)
    return target


def rejected_rows(path, headers: Sequence[str], rows: dict[int, Sequence], problems: Sequence[Problem], delimiter=";"):
    """The report for an importer that holds its rows in memory: rows by number, problems with rows."""
    by_row: dict[int | None, list[Problem]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    width = len(headers)
    padded = {r: [*cells[:width], *[None] * (width - len(cells))] for r, cells in rows.items()}
    lines = (line(r, padded.get(r, [None] * width), found) for r, found in sorted(by_row.items(), key=lambda kv: kv[0] or 0))
    return write_rejected(path, headers, lines, delimiter)
