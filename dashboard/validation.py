"""Problems found in user input, reported the same way by every importer.

A problem names the file, the row as the user sees it in their spreadsheet
(header = row 1, first data row = row 2), the column, the value and what is
wrong, in English for the command line and Swedish for the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason_en: str
    reason_sv: str

    def english(self) -> str:
        return _line(self.file, self.row, self.column, self.value, self.reason_en, ("row", "column", "value"))

    def swedish(self) -> str:
        return _line(self.file, self.row, self.column, self.value, self.reason_sv, ("rad", "kolumn", "värde"))


def _line(file, row, column, value, reason, words) -> str:
    where = [Path(file).name]
    if row is not None:
        where.append(f"{words[0]} {row}")
    if column:
        where.append(f"{words[1]} {column}")
    text = ", ".join(where) + f": {reason}"
    if value is not None:
        text += f" ({words[2]}: {value!r})"
    return text


class ImportRejected(Exception):
    """Raised when an import writes nothing because of problems in its input."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    """What an import did: rows written, rows already present, rows rejected."""

    written: int
    unchanged: int = 0
    rejected: list[Problem] | None = None
    report: Path | None = None

    def notes(self, swedish: bool = False) -> list[str]:
        """What else the user should know, a line each (rows skipped on purpose and why)."""
        return []
