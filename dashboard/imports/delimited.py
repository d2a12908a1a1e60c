"""Delimited text as statistics agencies publish it, line by line.

Kept small until the import skeleton's reader serves these files too: BOM and
encoding (`tabular.decode`: UTF-8 with or without BOM, else Windows-1252,
which reads ISO-8859-1's letters the same), blank lines skipped but counted in
the line numbers the user sees, and a trailing separator on every row (SOL)
adds no column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dashboard.tabular import UnreadableFile, decode
from dashboard.validation import ImportRejected


def text_of(path: Path) -> str:
    try:
        return decode(Path(path).read_bytes(), path).replace("&nbsp;", " ")
    except UnreadableFile as exc:
        raise ImportRejected([exc.problem]) from None


def rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) of every non-blank line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    for cells in reader:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) > 1 and cells[-1] == "":
            cells = cells[:-1]
        out.append((reader.line_num, cells))
    return out


def delimiter_of(line: str) -> str:
    return max((";", ",", "\t"), key=line.count)
