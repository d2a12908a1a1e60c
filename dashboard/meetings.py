"""Meetings and "sedan förra mötet": what changed since a chosen meeting.

A meeting's own updates are recorded during the meeting day, so "since the
meeting" means from the day after it. Status changes are net, per commitment:
the recorded status at the meeting against the recorded status now. The
actions the meeting decided are listed with their status now: done, under
way, late.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from dashboard.commitments import as_date, focus_label
from dashboard.formatting import escape_markdown, fmt_date
from dashboard.vocab import MEETING_KINDS

NOT_STARTED = "ej_paborjad"


def default_meeting(meetings: pd.DataFrame, today: date) -> str | None:
    """The latest meeting before today (a meeting held today is the one in progress)."""
    earlier = meetings[pd.to_datetime(meetings["held_on"]) < pd.Timestamp(today)]
    if earlier.empty:
        return None
    return earlier.sort_values(["held_on", "recorded_at"], na_position="first").iloc[-1]["meeting_id"]


def held_on_day(meetings: pd.DataFrame, day: date) -> str | None:
    """The meeting held on `day`, if any: updates recorded today belong to it."""
    same_day = meetings[pd.to_datetime(meetings["held_on"]) == pd.Timestamp(day)]
    return None if same_day.empty else same_day.iloc[0]["meeting_id"]


def choices(meetings: pd.DataFrame) -> dict[str | None, str]:
    """Meeting id -> label, for choosing the meeting an update belongs to (or none)."""
    return {None: "Inget möte"} | {row.meeting_id: label(row) for row in meetings.itertuples()}


def label(meeting) -> str:
    """'2026-10-15 · Lägesbildsmöte · Lilla Edet' for a row of `meeting_list`."""
    day = fmt_date(pd.Timestamp(meeting.held_on).date())
    return f"{day} · {MEETING_KINDS.get(meeting.kind, meeting.kind)} · {meeting.kommuner or '–'}"


def table(meetings: pd.DataFrame, focus_names: dict[str, str], with_notes: bool) -> pd.DataFrame:
    """Rows of `meeting_list` as a table for st.table (which reads markdown:
    texts are escaped); notes only where free text may be shown."""
    table = pd.DataFrame(
        {
            "Datum": [fmt_date(as_date(d)) for d in meetings["held_on"]],
            "Möte": meetings["kind"].map(MEETING_KINDS),
            "Kommuner": meetings["kommuner"].map(escape_markdown),
            "Beslutade fokusområden": meetings["focus_areas"].map(lambda codes: focus_label(codes, focus_names)),
        }
    )
    if with_notes:
        table["Anteckningar"] = meetings["notes"].fillna("").map(escape_markdown)
    return table


@dataclass(frozen=True)
class Changes:
    #: Every update after the meeting day, newest first (rows of commitment_history).
    updates: pd.DataFrame
    #: Commitments whose recorded status differs from the one at the meeting:
    #: rows of commitment_status with `from_status`.
    status_changes: pd.DataFrame
    #: Commitments recorded after the meeting.
    new_commitments: pd.DataFrame
    #: Commitments whose due date has passed since the meeting (before today) and that are not done.
    became_late: pd.DataFrame
    #: The actions the meeting decided (rows of action_status with `is_late`).
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def nothing(self) -> bool:
        return all(f.empty for f in (self.updates, self.status_changes, self.new_commitments, self.became_late))


def changes_since(
    held_on: date, today: date, current: pd.DataFrame, history: pd.DataFrame, decisions: pd.DataFrame | None = None
) -> Changes:
    """What changed after the meeting held on `held_on`.

    `current` is commitment_status with `is_late` (one row per commitment in
    scope), `history` commitment_history for the same commitments, `decisions`
    the actions that meeting decided (`actions.Actions.decided_at`).
    """
    after = pd.Timestamp(held_on + timedelta(days=1))
    later = history["at"] >= after
    at_meeting = history[~later].sort_values(["at", "update_id"]).groupby("commitment_id")["status"].last()
    touched = current[current["commitment_id"].isin(history.loc[later, "commitment_id"])]
    touched = touched.assign(from_status=touched["commitment_id"].map(at_meeting).fillna(NOT_STARTED))
    due = pd.to_datetime(current["due_date"])
    return Changes(
        updates=history[later],
        status_changes=touched[touched["from_status"] != touched["status"]],
        new_commitments=current[_created_at(current) >= after],
        became_late=current[current["is_late"] & due.between(pd.Timestamp(held_on), pd.Timestamp(today), "left")],
        decisions=pd.DataFrame() if decisions is None else decisions,
    )


def _created_at(current: pd.DataFrame) -> pd.Series:
    """When each commitment was recorded; the seeds (and data written before
    commitments had `created_at`) count from their pledge's start."""
    created = current["created_at"] if "created_at" in current else pd.Series(pd.NaT, index=current.index)
    return pd.to_datetime(created).fillna(pd.to_datetime(current["pledge_start"]))
