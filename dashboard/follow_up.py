"""Storing follow-up: commitment and action updates, meetings, the actions a
meeting decides, new or corrected pledges, commitments, desired effects and
indicators, and kommuner added to a pledge, each validated first (`records`).

Every write takes the `roles.Author` who makes it, refuses it
(`records.NotAllowed`) unless the author may edit, and records the author's
name: a hidden form is not the protection. Every write goes through the
store (`dashboard.tables`: Parquet files or PostgreSQL). Updates and meetings
are appended (new part files, or inserts), so two people saving at the same
moment both keep their write. Pledges, commitments and actions are corrected
in a transaction that locks the table, so simultaneous corrections do not lose
each other; the replaced version of a corrected row is appended to
`<table>_revisions`, so nothing is lost. A correction made from what someone
else has changed since (`based_on`) is refused (`records.Conflict`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard import clock, init_data, tables
from dashboard.records import (
    Conflict,
    Invalid,
    Where,
    check_action,
    check_commitment,
    check_effect,
    check_indicator,
    check_meeting,
    check_pledge,
    check_pledge_kommuner,
    check_update,
    commitment_id_for,
    effect_id_for,
    indicator_id_for,
    known,
    pledge_id_for,
    require,
    source_id_list,
)
from dashboard.roles import Author
from dashboard.schema import TABLES, to_arrow
from dashboard.validation import Problem


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise Invalid(problems)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _stripped(rec: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in rec.items()}


def record_update(
    data_dir: Path,
    author: Author,
    commitment_id: str,
    status: str,
    progress: int,
    note: str = "",
    meeting_id: str | None = None,
) -> str:
    """Append one update of a commitment; returns its id."""
    return _append_update(data_dir, author, "commitment", commitment_id, status, progress, note, meeting_id)


def record_action_update(
    data_dir: Path,
    author: Author,
    action_id: str,
    status: str,
    progress: int,
    note: str = "",
    meeting_id: str | None = None,
) -> str:
    """Append one update of an action (a meeting's decision); returns its id."""
    return _append_update(data_dir, author, "action", action_id, status, progress, note, meeting_id)


def _append_update(data_dir, author: Author, subject: str, subject_id: str, status, progress, note, meeting_id) -> str:
    """An update of a commitment or an action, appended to `<subject>_updates/`."""
    require(author.may_edit)
    rec = {
        "update_id": uuid.uuid4().hex,
        f"{subject}_id": subject_id,
        "at": clock.now(),
        "status": status,
        "progress": progress,
        "note": _clean(note),
        "author": author.name,
        "meeting_id": meeting_id or None,
    }
    name = f"{subject}_updates"
    _raise_if(check_update(rec, known(data_dir), Where(name)))
    tables.store(data_dir).append(name, to_arrow(pd.DataFrame([rec]), name), "update")
    return rec["update_id"]


def record_meeting(
    data_dir: Path,
    author: Author,
    held_on: date,
    kind: str,
    kommun_kods: list[str],
    focus_areas: list[str],
    notes: str = "",
    present: list[str] = (),
    agenda: list[str] = (),
    period: tuple[date, date] | None = None,
    meeting_id: str | None = None,
) -> str:
    """Append one meeting, or with `meeting_id` a new version of that meeting
    (the agenda and decided focus areas as it ends); returns its id."""
    require(author.may_edit)
    ref = known(data_dir)
    if meeting_id and meeting_id not in ref.meetings:
        raise Invalid([Where("meetings").problem("meeting_id", meeting_id, "unknown meeting", "okänt möte")])
    made = f"m_{held_on:%Y%m%d}_{uuid.uuid4().hex[:8]}" if isinstance(held_on, date) else None
    rec = {
        "meeting_id": meeting_id or made,
        "kind": kind,
        "held_on": held_on,
        "kommun_kods": list(kommun_kods),
        "focus_areas": list(focus_areas),
        "notes": _clean(notes),
        "recorded_by": author.name,
        "recorded_at": clock.now(),
        "present": [p.strip() for p in present if p.strip()],
        "agenda": list(agenda),
        "period_start": period[0] if period else None,
        "period_end": period[1] if period else None,
    }
    _raise_if(check_meeting(rec, ref, Where("meetings"), clock.today()))
    tables.store(data_dir).append("meetings", to_arrow(pd.DataFrame([rec]), "meetings"), "meeting")
    return rec["meeting_id"]


def record_action(
    data_dir: Path,
    author: Author,
    meeting_id: str,
    text: str,
    actor: str,
    due_date: date,
    owner: str = "",
    focus_area: str | None = None,
    place: str = "",
    area_id: str | None = None,
) -> str:
    """Store a decision of a meeting as an action (insats) to follow up; returns its id."""
    require(author.may_edit)
    rec = {
        "action_id": f"a_{uuid.uuid4().hex[:12]}",
        "meeting_id": meeting_id,
        "text": _clean(text),
        "actor": actor,
        "owner": _clean(owner),
        "due_date": due_date,
        "focus_area": focus_area or None,
        "area_id": area_id or None,
        "place": _clean(place),
        "created_by": author.name,
        "created_at": clock.now(),
    }
    _raise_if(check_action(rec, known(data_dir), Where("actions")))
    upsert(data_dir, "actions", [rec], author.name)
    return rec["action_id"]


def save_pledge(data_dir: Path, author: Author, rec: dict, based_on: dict | None = None) -> str:
    """Create a pledge (no `pledge_id`: one is made from the title) or correct one
    (`based_on`: the values the editor started from, see `upsert`)."""
    require(author.may_edit)
    ref = known(data_dir)
    rec = _stripped(rec)
    title, new = rec.get("title") or "", not rec.get("pledge_id")
    rec["pledge_id"] = rec.get("pledge_id") or pledge_id_for(title, ref.pledge_ends)
    _raise_if(check_pledge(rec, ref, Where("pledges")))
    made = (lambda taken: pledge_id_for(title, taken)) if new else None
    upsert(data_dir, "pledges", [rec], author.name, made, {rec["pledge_id"]: based_on} if based_on else None)
    return rec["pledge_id"]


def save_commitment(data_dir: Path, author: Author, rec: dict, based_on: dict | None = None) -> str:
    """Create a commitment (no `commitment_id`: one is made from its content) or correct one
    (`based_on`: the values the editor started from, see `upsert`)."""
    require(author.may_edit)
    rec = _stripped(rec)
    made = commitment_id_for(rec["pledge_id"], rec["actor"], rec["text"] or "")
    rec["commitment_id"] = rec.get("commitment_id") or made
    _raise_if(check_commitment(rec, known(data_dir), Where("commitments")))
    upsert(data_dir, "commitments", [rec], author.name, None, {rec["commitment_id"]: based_on} if based_on else None)
    return rec["commitment_id"]


def save_effect(data_dir: Path, author: Author, rec: dict) -> str:
    """Create a desired effect of a pledge (no `effect_id`: the pledge's next number) or correct one."""
    require(author.may_edit)
    rec = _stripped(rec)
    pledge_id, new = rec["pledge_id"], not rec.get("effect_id")
    rec["effect_id"] = rec.get("effect_id") or effect_id_for(pledge_id, ())
    _raise_if(check_effect(rec, known(data_dir), Where("desired_effects")))
    new_id = (lambda taken: effect_id_for(pledge_id, taken)) if new else None
    upsert(data_dir, "desired_effects", [rec], author.name, new_id)
    return rec["effect_id"]


def save_indicator(data_dir: Path, author: Author, rec: dict) -> str:
    """Define an indicator (no `indicator_id`: one is made from its name) or correct one.
    `source_ids` may be the text of one field ('kolada:N07403, bra:Samtliga brott')."""
    require(author.may_edit)
    rec = _stripped(rec) | {"source_ids": source_id_list(rec.get("source_ids"))}
    name, new = rec.get("name_sv") or "", not rec.get("indicator_id")
    ref = known(data_dir)
    rec["indicator_id"] = rec.get("indicator_id") or indicator_id_for(name, ref.indicators)
    _raise_if(check_indicator(rec, ref, Where("indicators")))
    upsert(data_dir, "indicators", [rec], author.name, (lambda taken: indicator_id_for(name, taken)) if new else None)
    return rec["indicator_id"]


def add_pledge_kommuner(data_dir: Path, author: Author, pledge_id: str, kommun_kods: list[str]) -> list[str]:
    """Extend a pledge to more kommuner, any of the 290: one the installation does
    not serve yet is set up first (`init_data.add_kommuner`). Returns the pledge's kommuner."""
    require(author.may_edit)
    _raise_if(check_pledge_kommuner(pledge_id, list(kommun_kods), known(data_dir), Where("pledges")))
    init_data.add_kommuner(data_dir, kommun_kods)
    pledges = tables.store(data_dir).read("pledges").to_pylist()
    stored = next(p for p in pledges if p["pledge_id"] == pledge_id)
    stored["kommun_kods"] = list(dict.fromkeys([*stored["kommun_kods"], *kommun_kods]))
    save_pledge(data_dir, author, stored)
    return stored["kommun_kods"]


def upsert(
    data_dir: Path,
    name: str,
    records: list[dict],
    author: str,
    new_id: Callable[[Iterable[str]], str] | None = None,
    based_on: dict[str, dict] | None = None,
) -> tuple[int, int]:
    """Insert new rows and replace changed ones of a corrected table; returns
    (written, unchanged); `author` names who replaced a row. No access check:
    its callers check.

    `new_id`, for new records, makes each one's key from the keys stored at
    that moment, inside the transaction: two new records never get the same
    key, and the record passed in gets the key it was stored under.

    `based_on` maps a key to the values the editor started from (the form as it
    opened): where the stored row differs from them, someone saved in between and
    the correction is refused (`Conflict`) instead of silently undoing theirs.

    A row equal to the stored one is left alone. Columns a record leaves out
    keep their stored value; `created_at` is set on insert and kept on correction.
    """
    table = TABLES[name]
    key = table.key[0]
    now = clock.now()
    with tables.store(data_dir).transaction(name) as tx:
        rows = {r[key]: r for r in tx.read(name).to_pylist()}
        replaced, written = [], 0
        for rec in records:
            if new_id:
                rec[key] = new_id(rows.keys())
            old = rows.get(rec[key])
            _raise_if_changed(name, key, old, (based_on or {}).get(rec[key]))
            if old is not None and _same(old, rec):
                continue
            written += 1
            if old is not None:
                replaced.append(old)
            rows[rec[key]] = {c: rec[c] if c in rec else (old or {}).get(c) for c in table.columns}
            if "created_at" in table.columns:
                rows[rec[key]]["created_at"] = old.get("created_at") if old else now
        if replaced:
            _archive(tx, name, replaced, author, now)
        if written:
            tx.replace(name, to_arrow(pd.DataFrame(list(rows.values()), columns=list(table.columns)), name))
    return written, len(records) - written


def _same(stored: dict, values: dict) -> bool:
    return all(_canonical(stored.get(c)) == _canonical(v) for c, v in values.items())


def _raise_if_changed(name: str, key: str, stored: dict | None, based_on: dict | None) -> None:
    if based_on is not None and (stored is None or not _same(stored, based_on)):
        raise Conflict(name, key, stored[key] if stored else based_on.get(key))


def _canonical(value):
    """Stored and typed values compared alike: lists as tuples, '' and NaN as missing."""
    if pd.api.types.is_list_like(value):
        return tuple(value)
    return None if value == "" or (value is not None and pd.isna(value)) else value


def _archive(tx: tables.Store, name: str, rows: list[dict], author: str, now: datetime) -> None:
    """Keep the replaced versions of corrected rows (append-only)."""
    old = pd.DataFrame(rows).assign(replaced_at=now, replaced_by=author)
    tx.append(f"{name}_revisions", to_arrow(old, f"{name}_revisions"), "revision")
