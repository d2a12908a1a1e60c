"""Actions (insatser): what a meeting decided, followed up like commitments.

An action belongs to the meeting that decided it; its current state is its
latest update (`queries/action_status.sql`), its history all of them, and it is
late by the same rule as a commitment (`commitments.is_late`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.commitments import Runner, as_date, badge_html, effective_status, late_text, with_late
from dashboard.formatting import fmt_date
from dashboard.vocab import ACTORS, STATUSES

@dataclass(frozen=True)
class Actions:
    #: Rows of action_status with `is_late`: one per action, its latest update.
    current: pd.DataFrame
    #: Rows of action_history: every update of those actions, newest first.
    history: pd.DataFrame

    def decided_at(self, meeting_id: str | None) -> pd.DataFrame:
        """The actions a meeting decided."""
        return self.current[self.current["meeting_id"] == meeting_id]

    def history_of(self, action_id: str) -> pd.DataFrame:
        return self.history[self.history["action_id"] == action_id]


def load(run: Runner, sel_params: dict, today: date) -> Actions:
    """Actions decided at meetings about the selected municipalities (and focus areas)."""
    current = with_late(run("action_status", sel_params), today)
    return Actions(current, run("action_history", {"action_ids": list(current["action_id"])}))


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Actions per shown status, for 'done, under way, late'."""
    shown = effective_status(frame)
    return {status: int((shown == status).sum()) for status in STATUSES}


def who(row) -> str:
    """'Kommunen (fältgruppen)': the actor, and the person or unit if given."""
    actor = ACTORS.get(row.actor, row.actor)
    return f"{actor} ({row.owner})" if isinstance(row.owner, str) and row.owner else actor


def where(row) -> str:
    """The area or place the action concerns ('' if none)."""
    for value in (row.place, row.area_id):
        if isinstance(value, str) and value:
            return value
    return ""


def item_html(row, today: date) -> str:
    """An action as the room reads it: what, then status (why late, in words), who, by when, where."""
    shown = "forsenad" if row.is_late else row.status
    meta = [badge_html(shown), html.escape(who(row)), f"Klart senast {fmt_date(as_date(row.due_date))}"]
    if where(row):
        meta.append(f"Plats: {html.escape(where(row))}")
    late = f'<div class="lb-meta">{html.escape(late_text(row, today).capitalize())}</div>' if row.is_late else ""
    return f'<div class="lb-item">{html.escape(row.text)}</div><div class="lb-meta">{" · ".join(meta)}</div>{late}'
