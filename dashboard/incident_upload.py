"""What the upload page (`pages/importera.py`) needs besides widgets: the
uploaded file on disk for the dry run and the import, the problem list and the
summary in Swedish, and a progress callback that draws `st.progress`.

The import itself is `imports.incidents`, the same as on the command line.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from dashboard import records
from dashboard.formatting import fmt_number
from dashboard.imports.incidents import STAGES, IncidentImportResult, Plan, Progress, import_file
from dashboard.roles import Author
from dashboard.validation import Problem

#: Largest file the page accepts (MB); bigger files go through the command line.
UPLOAD_LIMIT_MB = 200
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "parquet", "json"]


#: Uploads checked but never imported (the session ended) are removed after this long.
ABANDONED_AFTER_S = 6 * 3600
_PREFIX = "lagesbild-upload-"


def save_upload(name: str, data: bytes, previous: Path | None = None) -> Path:
    """Write an uploaded file to a private temporary folder (the previous upload's
    is removed, and so are folders of uploads abandoned long ago).

    The rejected-rows report is written next to it."""
    if previous is not None:
        discard(previous)
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
    remove_abandoned(folder.stat().st_mtime)
    path = folder / (Path(name).name or "uppladdad-fil")
    path.write_bytes(data)
    return path


def discard(path: Path) -> None:
    """Remove a saved upload and its report."""
    shutil.rmtree(path.parent, ignore_errors=True)


def remove_abandoned(now: float) -> None:
    """Remove upload folders untouched for ABANDONED_AFTER_S before `now`, a time
    of the temp folder's own file system clock (a session has no end hook)."""
    limit = now - ABANDONED_AFTER_S
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


def import_upload(
    path: Path, data_dir: Path, author: Author, skip_invalid: bool, progress: Progress
) -> tuple[IncidentImportResult, bytes | None]:
    """The import, for an author who may import: its result and the report of
    rejected rows. The saved upload is removed afterwards (kept when refused)."""
    records.require(author.may_import)
    try:
        result = import_file(path, data_dir, author, skip_invalid=skip_invalid, progress=progress)
        return result, result.report.read_bytes() if result.report else None
    finally:
        discard(path)


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """The problems as the page lists them: row, column, value, reason in Swedish."""
    return pd.DataFrame(
        {
            "Rad": pd.array([p.row for p in problems], dtype="Int64"),
            "Kolumn": [p.column or "" for p in problems],
            "Värde": [p.value or "" for p in problems],
            "Orsak": [p.reason_sv for p in problems],
        }
    )


def count(n: int, singular: str, plural: str) -> str:
    """'1 rad', '2 rader', '1 234 händelser'."""
    return f"{fmt_number(n)} {singular if n == 1 else plural}"


def plan_figures(plan: Plan) -> list[tuple[str, str]]:
    """(label, value) for the dry run's headline numbers."""
    return [
        ("Rader i filen", fmt_number(plan.rows)),
        ("Nya händelser", fmt_number(plan.new)),
        ("Finns redan", fmt_number(plan.unchanged)),
        ("Rader med fel", fmt_number(plan.rejected_rows)),
    ]


def plan_notes(plan: Plan) -> list[str]:
    return plan.notes(swedish=True)


def streamlit_progress(bar) -> Progress:
    """A progress callback drawing on an `st.progress` element."""

    def update(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=STAGES[stage][1].capitalize())

    return update
