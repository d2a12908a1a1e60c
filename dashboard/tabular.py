"""Reading the small tables people send us (indicators, commitments): CSV in
UTF-8, UTF-8 with BOM or Windows-1252, comma or semicolon separated; Excel
.xlsx; Parquet. Every cell comes back as text (or None), so that validation
decides what a value means and can quote it as the user wrote it.

Incident files can be millions of rows and have their own streaming reader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from dashboard import upload_limits
from dashboard.validation import Problem

ENCODINGS = ("utf-8-sig", "cp1252")


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.english())
        self.problem = problem


def _unreadable(path: Path, en: str, sv: str) -> UnreadableFile:
    return UnreadableFile(Problem(str(path), None, None, None, en, sv))


def decode(data: bytes, path: Path) -> str:
    """Text of a file in UTF-8 (with or without BOM) or Windows-1252."""
    if b"\x00" in data[:4096]:
        raise _unreadable(path, "binary file, not a text table", "binär fil, inte en tabell i textformat")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, "unknown text encoding", "okänd teckenkodning")  # cp1252 decodes nearly all bytes


def read_table(path: Path) -> pd.DataFrame:
    """All cells as text, header names stripped and lower-cased.

    The index is the row number the user sees in a spreadsheet (header = 1).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = pd.read_parquet(path).astype(object).where(lambda f: f.notna(), None)
        frame = frame.map(lambda v: None if v is None else str(v))
    elif suffix == ".xlsx":
        frame = _read_xlsx(path)
    else:
        frame = _read_csv(decode(path.read_bytes(), path), path)
    if frame.empty:
        raise _unreadable(path, "the file has no data rows", "filen innehåller inga datarader")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame.index = range(2, len(frame) + 2)
    return frame


def _read_csv(text: str, path: Path) -> pd.DataFrame:
    if not text.strip():
        raise _unreadable(path, "the file is empty", "filen är tom")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], [r for r in rows[1:] if any(cell.strip() for cell in r)]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise UnreadableFile(
                Problem(
                    str(path), number, None, None,
                    f"row has {len(row)} fields, the header has {len(header)} (truncated or misquoted row)",
                    f"raden har {len(row)} fält men rubrikraden {len(header)} (avkortad eller felciterad rad)",
                )  # fmt: skip
            )
    return pd.DataFrame([[c.strip() or None for c in r] for r in body], columns=header, dtype=object)


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook

    if too_big := upload_limits.workbook_problem(path):
        raise _unreadable(path, *too_big)
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise _unreadable(path, f"not a readable .xlsx file ({type(exc).__name__})", "inte en läsbar .xlsx-fil") from exc
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if not rows:
        raise _unreadable(path, "the file is empty", "filen är tom")
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    return pd.DataFrame(
        [[None if v in (None, "") else _cell_text(v) for v in r] for r in body], columns=rows[0], dtype=object
    )


def _cell_text(value) -> str:
    """Excel cells as text: dates as ISO dates, whole numbers without '.0'."""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(text: str | None) -> float | None:
    """'1 234,5' or '1234.5' -> 1234.5; None for empty; ValueError otherwise."""
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)
