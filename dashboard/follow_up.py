"""Recording follow-up: commitment updates, meetings, and new or corrected
pledges and commitments. Forms and the commitments import share one validation.

Every write that the app offers checks `access.can_edit()` itself: a hidden
form is not the protection. Updates and meetings are new part files with
unique names, so two people saving at the same moment both keep their write.
Pledges and commitments are one file each, rewritten atomically under an
exclusive file lock, so simultaneous corrections do not lose each other; the
replaced version of a corrected row is appended to `<table>_revisions/`, so
nothing is lost.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import clock, db
from dashboard.demo import to_arrow
from dashboard.schema import TABLES
from dashboard.storage import append_part, write_atomic
from dashboard.ui import access
from dashboard.validation import Problem
from dashboard.vocab import ACTORS, MEETING_KINDS, STATUSES, status_badge

if os.name == "nt":  # a municipal laptop may run Windows
    import msvcrt

    def _lock(fh) -> None:
        msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)

else:
    import fcntl

    def _lock(fh) -> None:
        fcntl.flock(fh, fcntl.LOCK_EX)


MAX_TEXT = 2000
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
#: Statuses whose update must say why: status -> "åtagandet är …".
NEEDS_NOTE = {"forsenad": "försenat", "avbruten": "avbrutet"}


class NotAllowed(PermissionError):
    """A write attempted where editing is not allowed (mode or role)."""

    def __init__(self):
        super().__init__("editing is not allowed in this mode or for this user")
        self.swedish = "Du har inte behörighet att ändra här (endast redaktörer i internt läge)."


#: Field names as the forms call them.
FIELD_LABELS = {
    "commitment_id": "Åtagande", "status": "Status", "progress": "Framsteg", "note": "Anteckning",
    "meeting_id": "Möte", "kind": "Mötestyp", "held_on": "Datum", "kommun_kods": "Kommuner",
    "focus_areas": "Fokusområden", "notes": "Anteckningar", "pledge_id": "Löfte", "title": "Rubrik",
    "period_start": "Period", "period_end": "Period", "lpo": "Lokalpolisområde", "follow_up": "Uppföljning",
    "summary": "Bakgrund", "actor": "Aktör", "text": "Text", "due_date": "Slutdatum", "indicator_ids": "Indikatorer",
}  # fmt: skip


class Invalid(ValueError):
    """A form or record with problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.english() for p in problems))
        self.problems = problems

    def swedish(self) -> list[str]:
        """One line per problem, as a form shows it: 'Framsteg: framsteg måste vara …'."""
        return [f"{FIELD_LABELS.get(p.column, p.column)}: {p.reason_sv}" for p in self.problems]


@dataclass(frozen=True)
class Known:
    """What records may refer to, read fresh from the data directory."""

    pledge_ends: dict[str, date]
    commitments: frozenset[str]
    meetings: frozenset[str]
    kommun_kods: frozenset[str]
    focus_names: dict[str, str]
    indicators: frozenset[str]


def known(data_dir: Path) -> Known:
    con = db.connect(data_dir)
    try:
        row = db.run_query(con, "commitment_known_ids").iloc[0]
    finally:
        con.close()
    return Known(
        {p["pledge_id"]: p["period_end"] for p in row["pledges"]},
        frozenset(row["commitments"]),
        frozenset(row["meetings"]),
        frozenset(row["kommun_kods"]),
        {f["focus_area"]: f["name_sv"] for f in row["focus_areas"]},
        frozenset(row["indicators"]),
    )


# --- validation: each check returns the problems of one record ------------------


@dataclass(frozen=True)
class Where:
    """Where a record comes from: a form (file = table name) or a file's row."""

    file: str
    row: int | None = None

    def problem(self, column: str, value, en: str, sv: str) -> Problem:
        return Problem(self.file, self.row, column, None if value is None else str(value), en, sv)


def _required_text(where: Where, rec: dict, column: str, label_sv: str, limit: int = MAX_TEXT) -> list[Problem]:
    value = rec.get(column)
    if not value or not str(value).strip():
        return [where.problem(column, None, "required value missing", f"{label_sv} saknas")]
    return _max_length(where, rec, column, label_sv, limit)


def _max_length(where: Where, rec: dict, column: str, label_sv: str, limit: int = MAX_TEXT) -> list[Problem]:
    value = rec.get(column) or ""
    if len(value) <= limit:
        return []
    en, sv = f"longer than {limit} characters", f"{label_sv} är längre än {limit} tecken"
    return [where.problem(column, value[:40] + "…", en, sv)]


def _unknown(where: Where, column: str, values: Iterable, allowed, what_en: str, what_sv: str) -> list[Problem]:
    return [
        where.problem(column, v, f"unknown {what_en}", f"okänt värde för {what_sv}")
        if v
        else where.problem(column, None, "required value missing", f"{what_sv} saknas")
        for v in values
        if v not in allowed
    ]


def check_id(where: Where, rec: dict, column: str) -> list[Problem]:
    """An id someone typed (ids made here always fit)."""
    value = rec.get(column)
    if value is None or ID_PATTERN.fullmatch(value):
        return []
    return [
        where.problem(
            column, value,
            "must be 1-100 letters a-z, digits, '_', '-' or '.'",
            "id får bara innehålla a–z, siffror, _, - och . (högst 100 tecken)",
        )  # fmt: skip
    ]


def check_update(rec: dict, ref: Known, where: Where) -> list[Problem]:
    problems = _unknown(where, "commitment_id", [rec["commitment_id"]], ref.commitments, "commitment", "åtagande")
    status, progress = rec["status"], rec["progress"]
    problems += _unknown(where, "status", [status], STATUSES, f"status ({', '.join(STATUSES)})", "status")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        sv = "framsteg måste vara ett heltal 0–100 %"
        problems.append(where.problem("progress", progress, "must be a whole number 0-100", sv))
    elif status == "genomford" and progress != 100:
        problems.append(
            where.problem(
                "progress", progress, "a completed commitment has progress 100",
                f"{status_badge(status)} betyder 100 %: dra reglaget till 100 eller välj en annan status",
            )  # fmt: skip
        )
    elif status == "ej_paborjad" and progress != 0:
        problems.append(
            where.problem(
                "progress", progress, "a commitment not started has progress 0",
                f"{status_badge(status)} betyder 0 %: dra reglaget till 0 eller välj en annan status",
            )  # fmt: skip
        )
    if status in NEEDS_NOTE and not (rec.get("note") or "").strip():
        problems.append(
            where.problem(
                "note", None, f"a note is required for status {status}",
                f"skriv i anteckningen varför åtagandet är {NEEDS_NOTE[status]}",
            )  # fmt: skip
        )
    problems += _max_length(where, rec, "note", "Anteckningen")
    if rec.get("meeting_id"):
        problems += _unknown(where, "meeting_id", [rec["meeting_id"]], ref.meetings, "meeting", "möte")
    return problems


def check_meeting(rec: dict, ref: Known, where: Where, today: date) -> list[Problem]:
    problems = _unknown(where, "kind", [rec["kind"]], MEETING_KINDS, "meeting kind", "mötestyp")
    held_on = rec["held_on"]
    if not isinstance(held_on, date):
        problems.append(where.problem("held_on", held_on, "date missing", "datum saknas"))
    elif held_on > today:
        sv = "ett möte kan inte registreras i förväg (datum i framtiden)"
        problems.append(where.problem("held_on", held_on, "lies in the future", sv))
    if not rec["kommun_kods"]:
        problems.append(where.problem("kommun_kods", None, "no municipality", "välj minst en kommun"))
    problems += _unknown(where, "kommun_kods", rec["kommun_kods"], ref.kommun_kods, "municipality", "kommun")
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    return problems + _max_length(where, rec, "notes", "Anteckningarna", 5 * MAX_TEXT)


def check_commitment(rec: dict, ref: Known, where: Where) -> list[Problem]:
    problems = _unknown(where, "pledge_id", [rec["pledge_id"]], ref.pledge_ends, "pledge", "löfte")
    problems += _unknown(where, "actor", [rec["actor"]], ACTORS, f"actor ({', '.join(ACTORS)})", "aktör")
    problems += _required_text(where, rec, "text", "Åtagandets text")
    if not rec["focus_areas"]:
        problems.append(where.problem("focus_areas", None, "at least one focus area", "välj minst ett fokusområde"))
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    if not isinstance(rec["due_date"], date):
        en, sv = "missing or not a date (YYYY-MM-DD)", "slutdatum saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)"
        problems.append(where.problem("due_date", rec["due_date"], en, sv))
    return problems + _unknown(where, "indicator_ids", rec["indicator_ids"], ref.indicators, "indicator", "indikator")


def check_pledge(rec: dict, ref: Known, where: Where) -> list[Problem]:
    problems = _required_text(where, rec, "title", "Rubriken", 200)
    if not rec["kommun_kods"]:
        problems.append(where.problem("kommun_kods", None, "no municipality", "välj minst en kommun"))
    problems += _unknown(where, "kommun_kods", rec["kommun_kods"], ref.kommun_kods, "municipality", "kommun")
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    start, end = rec["period_start"], rec["period_end"]
    if not (isinstance(start, date) and isinstance(end, date)):
        problems.append(where.problem("period_start", None, "period missing", "perioden saknas"))
    elif end < start:
        problems.append(where.problem("period_end", end, "ends before it starts", "perioden slutar innan den börjar"))
    for column in ("lpo", "follow_up", "summary"):
        problems += _max_length(where, rec, column, "Texten")
    return problems


# --- ids ------------------------------------------------------------------------


def commitment_id_for(pledge_id: str, actor: str, text: str) -> str:
    """A stable id from the content, so that importing the same row twice is a no-op."""
    digest = hashlib.sha1(f"{actor}\n{text.strip()}".encode()).hexdigest()[:8]
    return f"{pledge_id}_{digest}"


def pledge_id_for(title: str, taken: Iterable[str]) -> str:
    """'Medborgarlöfte Ale 2027' -> 'medborgarlofte_ale_2027', made unique."""
    ascii_title = unicodedata.normalize("NFKD", re.sub(r"\W+", " ", title)).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_title.lower()).strip("_")[:80] or "lofte"
    taken, candidate, n = set(taken), base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


# --- writes ---------------------------------------------------------------------


def _require_editor() -> None:
    if not access.can_edit():
        raise NotAllowed()


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise Invalid(problems)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _stripped(rec: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in rec.items()}


def record_update(
    data_dir: Path, commitment_id: str, status: str, progress: int, note: str = "", meeting_id: str | None = None
) -> str:
    """Append one update of a commitment; returns its id."""
    _require_editor()
    rec = {
        "update_id": uuid.uuid4().hex,
        "commitment_id": commitment_id,
        "at": clock.now(),
        "status": status,
        "progress": progress,
        "note": _clean(note),
        "author": access.current_user(),
        "meeting_id": meeting_id or None,
    }
    _raise_if(check_update(rec, known(data_dir), Where("commitment_updates")))
    append_part(to_arrow(pd.DataFrame([rec]), "commitment_updates"), Path(data_dir) / "commitment_updates", "update")
    return rec["update_id"]


def record_meeting(
    data_dir: Path, held_on: date, kind: str, kommun_kods: list[str], focus_areas: list[str], notes: str = ""
) -> str:
    """Append one meeting; returns its id."""
    _require_editor()
    rec = {
        "meeting_id": f"m_{held_on:%Y%m%d}_{uuid.uuid4().hex[:8]}" if isinstance(held_on, date) else None,
        "kind": kind,
        "held_on": held_on,
        "kommun_kods": list(kommun_kods),
        "focus_areas": list(focus_areas),
        "notes": _clean(notes),
        "recorded_by": access.current_user(),
        "recorded_at": clock.now(),
    }
    _raise_if(check_meeting(rec, known(data_dir), Where("meetings"), clock.today()))
    append_part(to_arrow(pd.DataFrame([rec]), "meetings"), Path(data_dir) / "meetings", "meeting")
    return rec["meeting_id"]


def save_pledge(data_dir: Path, rec: dict) -> str:
    """Create a pledge (no `pledge_id`: one is made from the title) or correct one."""
    _require_editor()
    ref = known(data_dir)
    rec = _stripped(rec)
    rec["pledge_id"] = rec.get("pledge_id") or pledge_id_for(rec.get("title") or "", ref.pledge_ends)
    _raise_if(check_pledge(rec, ref, Where("pledges")))
    upsert(data_dir, "pledges", [rec], access.current_user())
    return rec["pledge_id"]


def save_commitment(data_dir: Path, rec: dict) -> str:
    """Create a commitment (no `commitment_id`: one is made from its content) or correct one."""
    _require_editor()
    rec = _stripped(rec)
    made = commitment_id_for(rec["pledge_id"], rec["actor"], rec["text"] or "")
    rec["commitment_id"] = rec.get("commitment_id") or made
    _raise_if(check_commitment(rec, known(data_dir), Where("commitments")))
    upsert(data_dir, "commitments", [rec], access.current_user())
    return rec["commitment_id"]


@contextmanager
def _exclusive(path: Path):
    """Serialise read-modify-write of a single-file table across processes and threads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a+b") as fh:
        _lock(fh)
        yield  # closing the file releases the lock


def upsert(data_dir: Path, name: str, records: list[dict], author: str) -> tuple[int, int]:
    """Insert new rows and replace changed ones of a single-file table; returns
    (written, unchanged). No access check: the app's callers check, the command
    line runs with the data directory's own file rights.

    A row equal to the stored one is left alone. Columns a record leaves out
    keep their stored value; `created_at` is set on insert and kept on correction.
    """
    table = TABLES[name]
    path = Path(data_dir) / table.pattern
    key = table.key[0]
    now = clock.now()
    with _exclusive(path):
        rows = {r[key]: r for r in (pq.read_table(path).to_pylist() if path.exists() else [])}
        replaced, written = [], 0
        for rec in records:
            old = rows.get(rec[key])
            if old is not None and all(_canonical(old.get(c)) == _canonical(v) for c, v in rec.items()):
                continue
            written += 1
            if old is not None:
                replaced.append(old)
            rows[rec[key]] = {c: rec[c] if c in rec else (old or {}).get(c) for c in table.columns}
            if "created_at" in table.columns:
                rows[rec[key]]["created_at"] = old.get("created_at") if old else now
        if replaced:
            _archive(Path(data_dir), name, replaced, author, now)
        if written:
            write_atomic(to_arrow(pd.DataFrame(list(rows.values())), name), path)
    return written, len(records) - written


def _canonical(value):
    """Stored and typed values compared alike: lists as tuples, '' as missing."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return None if value == "" else value


def _archive(data_dir: Path, name: str, rows: list[dict], author: str, now: datetime) -> None:
    """Keep the replaced versions of corrected rows (append-only)."""
    old = to_arrow(pd.DataFrame(rows), name)
    old = old.append_column("replaced_at", pa.array([now] * len(rows), pa.timestamp("us")))
    old = old.append_column("replaced_by", pa.array([author] * len(rows), pa.string()))
    append_part(old, data_dir / f"{name}_revisions", "revision")
