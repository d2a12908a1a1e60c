"""`python -m dashboard import commitments FILE`: commitments from CSV, .xlsx or Parquet.

Columns (Swedish headers in brackets are accepted too): `pledge_id` (löfte),
`actor` (aktör: polisen/kommunen/gemensamt/övriga or their Swedish labels),
`text` (åtagande), `focus_areas` (fokusområden: codes or Swedish names,
separated by comma or semicolon), optional `due_date` (slutdatum, YYYY-MM-DD;
default the end of the pledge), `indicator_ids` (indikatorer) and
`commitment_id` (id).

Rows are checked with the same rules as the app's form (`records`), and only an
author who may edit imports (the command line may). Nothing is written if
any row is rejected, unless `--skip-invalid`: then the valid rows are imported
and the rejected ones written to `FILE.rejected.csv` next to the input
(`imports.report`: the row as given, then row, column, value, reason, orsak).

Re-importing identical rows changes nothing. A row whose `commitment_id` is
already stored with different content is a correction: the stored commitment
is replaced (its old version kept in `commitments_revisions/`). A row without
`commitment_id` gets an id derived from pledge, actor and text, so to correct
the text of a commitment, give its id.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from dashboard import follow_up, records
from dashboard.imports import Sheet, read_table, rejected_rows, resolve_headers
from dashboard.roles import Author
from dashboard.validation import ImportRejected, ImportResult, Problem
from dashboard.vocab import ACTORS

#: column -> accepted headers (compared lower-case, spaces and dashes as '_').
HEADERS = {
    "commitment_id": ("commitment_id", "id", "åtagande_id", "atagande_id"),
    "pledge_id": ("pledge_id", "löfte", "lofte", "löfte_id", "medborgarlöfte"),
    "actor": ("actor", "aktör", "aktor", "ansvarig"),
    "text": ("text", "åtagande", "atagande", "beskrivning"),
    "focus_areas": ("focus_areas", "fokusområden", "fokusområde", "fokusomraden", "fokusomrade"),
    "due_date": ("due_date", "slutdatum", "klart_senast"),
    "indicator_ids": ("indicator_ids", "indikatorer", "indikator"),
}
REQUIRED = ("pledge_id", "actor", "text", "focus_areas")
#: Lower-cased cell -> actor: codes, Swedish labels and the seeds' words ("Tillsammans lovar vi").
ACTOR_ALIASES = {
    **{code: code for code in ACTORS},
    **{label.lower(): code for code, label in ACTORS.items()},
    "tillsammans": "gemensamt", "övrig": "ovrig", "övriga aktörer": "ovrig",
}  # fmt: skip


def import_file(path: Path, data_dir: Path, author: Author, skip_invalid: bool = False) -> ImportResult:
    records.require(author.may_edit)
    path = Path(path)
    sheet = read_table(path, HEADERS)
    columns = _columns(sheet)
    ref = records.known(data_dir)
    valid, problems, seen = [], list(sheet.overlong), {}
    for number, cells in sheet.rows:
        where = records.Where(str(path), number)
        row = {column: cells[i] for column, i in columns.items()}
        rec, row_problems = _record(row, ref, where)
        cid = rec["commitment_id"]
        if not row_problems and cid in seen:
            en, sv = f"same commitment as row {seen[cid]}", f"samma åtagande som rad {seen[cid]}"
            row_problems = [where.problem("commitment_id", cid, en, sv)]
        if row_problems:
            problems += row_problems
        else:
            seen[cid] = number
            valid.append(rec)
    if problems and not skip_invalid:
        raise ImportRejected(problems)
    written, unchanged = follow_up.upsert(data_dir, "commitments", valid, f"import {path.name}")
    report = rejected_rows(path, sheet.headers, dict(sheet.rows), problems, sheet.delimiter) if problems else None
    return ImportResult(written, unchanged, problems or None, report)


def _columns(sheet: Sheet) -> dict[str, int]:
    """Contract column -> its position in the file; a missing or doubled column rejects the file."""
    required = [(column,) for column in REQUIRED]
    return resolve_headers(sheet.headers, HEADERS, required, str(sheet.path), sheet.header_row).index


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]


def _record(cell: dict, ref: records.Known, where: records.Where) -> tuple[dict, list[Problem]]:
    """A commitment from one row (column -> text; lenient parsing), and its problems."""
    names = {name.lower(): code for code, name in ref.focus_names.items()}
    pledge_id = (cell["pledge_id"] or "").strip()
    actor = ACTOR_ALIASES.get((cell["actor"] or "").strip().lower(), cell["actor"])
    text = (cell["text"] or "").strip()
    rec = {
        "commitment_id": cell.get("commitment_id") or records.commitment_id_for(pledge_id, actor or "", text),
        "pledge_id": pledge_id,
        "actor": actor,
        "text": text,
        "focus_areas": [names.get(f.lower(), f) for f in _split(cell["focus_areas"])],
        "due_date": _date(cell.get("due_date")) if cell.get("due_date") else ref.pledge_ends.get(pledge_id),
        "indicator_ids": _split(cell.get("indicator_ids")),
    }
    return rec, records.check_id(where, cell, "commitment_id") + records.check_commitment(rec, ref, where)


def _date(text: str) -> date | str:
    """A date, or the text as written when it is none (validation reports it)."""
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return text
