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
and the rejected ones written to `FILE.rejected.csv` next to the input, with
the reason in a column `fel`.

Re-importing identical rows changes nothing. A row whose `commitment_id` is
already stored with different content is a correction: the stored commitment
is replaced (its old version kept in `commitments_revisions/`). A row without
`commitment_id` gets an id derived from pledge, actor and text, so to correct
the text of a commitment, give its id.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard import follow_up, records, storage, tabular
from dashboard.exports import inert
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
REPORT_REASON = "fel"


def import_file(path: Path, data_dir: Path, author: Author, skip_invalid: bool = False) -> ImportResult:
    records.require(author.may_edit)
    path = Path(path)
    try:
        frame = tabular.read_table(path)
    except tabular.UnreadableFile as exc:
        raise ImportRejected([exc.problem]) from exc
    columns = _columns(frame, path)
    ref = records.known(data_dir)
    valid, problems, bad_rows, seen = [], [], {}, {}
    rows = frame.to_dict("index")  # keeps empty cells as None
    for number, row in rows.items():
        where = records.Where(str(path), number)
        rec, row_problems = _record(row, columns, ref, where)
        cid = rec["commitment_id"]
        if not row_problems and cid in seen:
            en, sv = f"same commitment as row {seen[cid]}", f"samma åtagande som rad {seen[cid]}"
            row_problems = [where.problem("commitment_id", cid, en, sv)]
        if row_problems:
            problems += row_problems
            bad_rows[number] = row_problems
        else:
            seen[cid] = number
            valid.append(rec)
    if problems and not skip_invalid:
        raise ImportRejected(problems)
    written, unchanged = follow_up.upsert(data_dir, "commitments", valid, f"import {path.name}")
    report = _write_report(path, list(frame.columns), rows, bad_rows) if bad_rows else None
    return ImportResult(written, unchanged, problems or None, report)


def _header_key(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def _columns(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """Contract column -> the file's header; a missing or doubled column rejects the file."""
    found: dict[str, list[str]] = {}
    for header in frame.columns:
        for column, aliases in HEADERS.items():
            if _header_key(header) in aliases:
                found.setdefault(column, []).append(header)
    header = records.Where(str(path), 1)
    problems = [
        header.problem(column, None, "required column missing", "obligatorisk kolumn saknas")
        for column in REQUIRED
        if column not in found
    ] + [
        header.problem(column, " / ".join(hs), "several columns mean the same", "flera kolumner betyder samma sak")
        for column, hs in found.items()
        if len(hs) > 1
    ]
    if problems:
        raise ImportRejected(problems)
    return {column: headers[0] for column, headers in found.items()}


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]


def _record(row: dict, columns: dict, ref: records.Known, where: records.Where) -> tuple[dict, list[Problem]]:
    """A commitment from one row (lenient parsing), and its problems."""
    cell = {column: row[header] for column, header in columns.items()}
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


def _write_report(path: Path, headers: list[str], rows: dict[int, dict], bad_rows: dict[int, list[Problem]]) -> Path:
    """The rejected rows as the user wrote them, with row number and reason (Swedish, for Excel)."""
    report = path.with_name(f"{path.name}.rejected.csv")
    with storage.replacing_file(report) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow([inert(h) for h in ("rad", *headers, REPORT_REASON)])
        for number, problems in bad_rows.items():
            reasons = "; ".join(f"{p.column}: {p.reason_sv}" + (f" ({p.value})" if p.value else "") for p in problems)
            out.writerow([inert(v) for v in (number, *(rows[number][h] for h in headers), reasons)])
    return report
