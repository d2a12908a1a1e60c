"""Bounds for an uploaded workbook, checked before it is parsed.

An .xlsx file is a zip archive: 1.6 MB can unpack to gigabytes, and parsing
that took 2 GB of memory in the upload's dry run. The archive's central
directory states every member's unpacked size (Python's zipfile never unpacks
more than that), and each sheet's `<dimension ref="A1:K50001"/>` near its start
states its rows; both are read without unpacking a sheet.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: Largest unpacked workbook (all members together), in MB.
MAX_UNPACKED_MB = 300
#: Largest unpacked/packed ratio of a member: sheets of real data pack 5–30 times.
MAX_RATIO = 200
#: Most rows a sheet may declare (Excel's own limit is 1 048 576).
MAX_ROWS = 1_048_576
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def workbook_problem(path: Path) -> tuple[str, str] | None:
    """Why the workbook at `path` is refused before parsing, (English, Swedish), or None."""
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_MB * 1_000_000:
                return (f"unpacks to more than {MAX_UNPACKED_MB} MB", f"packas upp till mer än {MAX_UNPACKED_MB} MB")
            if any(m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members if m.file_size > 1_000_000):
                return ("packed suspiciously tightly (a zip bomb?)", "är misstänkt hårt packad (en zipbomb?)")
            for sheet in (m for m in members if m.filename.startswith("xl/worksheets/")):
                with book.open(sheet) as stream:
                    found = _DIMENSION.search(stream.read(4096))
                if found and int(found.group(1) or 1) > MAX_ROWS:
                    return (f"has more than {MAX_ROWS:,} rows", f"har fler än {MAX_ROWS:,} rader".replace(",", " "))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip at all: the reader says the file cannot be read
    return None
