"""Commitment logic: the current state of a commitment is its latest update.

`load(run, …)` reads what the Löften page shows: the pledges of a selection,
their commitments from `queries/commitment_status.sql` (one row per
commitment), `queries/commitment_history.sql` (every update), the meetings
and the desired effects. Status is shown as symbol, text and colour
together, never colour alone.

Late is one rule (`is_late`), against today, for every page, card, report and
minutes, and for the actions meetings decide as for commitments.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.formatting import escape_markdown, fmt_date
from dashboard.vocab import ACTORS, MEETING_KINDS, STATUSES, status_badge

#: Lower bound of the period when earlier, already ended pledges are shown too.
EARLIEST = date(1900, 1, 1)
#: A query runner: `run(name, params) -> DataFrame` (the app's cache, or `db.run_query` bound to a connection).
Runner = Callable[[str, dict], pd.DataFrame]


@dataclass(frozen=True)
class Pledges:
    """The pledges of a selection with everything the Löften page shows of them."""

    #: Rows of pledge_list.
    pledges: pd.DataFrame
    #: Rows of commitment_status: one per commitment, its latest update.
    current: pd.DataFrame
    #: Rows of commitment_history: every update of those commitments.
    history: pd.DataFrame
    #: Rows of meeting_list: the meetings of the selected municipalities.
    meetings: pd.DataFrame
    #: Rows of pledge_effects: the desired effects of the pledges.
    effects: pd.DataFrame

    def commitments_of(self, pledge_id: str) -> pd.DataFrame:
        return self.current[self.current["pledge_id"] == pledge_id]

    def history_of(self, commitment_id: str) -> pd.DataFrame:
        return self.history[self.history["commitment_id"] == commitment_id]

    def effects_of(self, pledge_id: str) -> pd.DataFrame:
        return self.effects[self.effects["pledge_id"] == pledge_id]


def load(run: Runner, sel_params: dict, today: date, include_earlier: bool = False) -> Pledges:
    """The pledges of the selection (`Selection.params()`), see `pledge_params`."""
    params = pledge_params(sel_params, include_earlier)
    pledges = run("pledge_list", params)
    current = current_status(run, params, today)
    return Pledges(
        pledges=pledges,
        current=current,
        history=run("commitment_history", {"commitment_ids": list(current["commitment_id"])}),
        meetings=run("meeting_list", sel_params),
        effects=run("pledge_effects", {"pledge_ids": list(pledges["pledge_id"])}),
    )


def indicator_options(run: Runner) -> dict[str, str]:
    """Indicator id -> Swedish name: what a commitment may be followed up with."""
    options = run("commitment_indicator_options", {})
    return dict(zip(options["indicator_id"], options["name_sv"]))


def as_date(value) -> date | None:
    """A date of a frame's cell (a timestamp, a date or missing)."""
    return None if pd.isna(value) else pd.Timestamp(value).date()


def pledge_params(params: dict, include_earlier: bool) -> dict:
    """Query parameters for the pledges to show: those overlapping the selected
    period, or with `include_earlier` every pledge that started before its end
    (a BRÅ follow-up often looks back at a finished pledge)."""
    return params | {"start_date": EARLIEST} if include_earlier else params


#: Statuses that end a commitment or action: it can no longer be late.
CLOSED = ("genomford", "avbruten")


def current_status(run: Runner, params: dict, today: date) -> pd.DataFrame:
    """Rows of commitment_status, each with `is_late` against `today`."""
    return with_late(run("commitment_status", params), today)


def is_late(row, today: date) -> bool:
    """Late: reported late, or its due date has passed and it is neither done nor cancelled."""
    if row.status == "forsenad":
        return True
    due = as_date(row.due_date)
    return due is not None and due < today and row.status not in CLOSED


def with_late(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """`frame` (with status and due_date) with `is_late` by `is_late`."""
    late = frame.apply(is_late, axis=1, today=today) if len(frame) else pd.Series(dtype=bool)
    return frame.assign(is_late=late.astype(bool))


def late_text(row, today: date) -> str:
    """Why it counts as late, in words: 'försenad (förfallodag 2026-10-01 passerad)'."""
    if not is_late(row, today):
        return ""
    due = as_date(row.due_date)
    if due is not None and due < today:
        return f"försenad (förfallodag {fmt_date(due)} passerad)"
    return "försenad (rapporterad som försenad)"


def late_caption(n: int, today: date) -> str:
    """How many are late and by which rule, as every page says it."""
    return (
        f"{STATUSES['forsenad'][1]} Försenade per {fmt_date(today)}: {n} "
        "(förfallodagen passerad utan att vara genomförda, eller rapporterade som försenade)"
    )


def effective_status(frame: pd.DataFrame) -> pd.Series:
    """The status to show: a late commitment (`is_late`) shows as late."""
    return frame["status"].where(~frame["is_late"].fillna(False).astype(bool), "forsenad")


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Commitments per actor (rows) and shown status (columns), every status present."""
    shown = frame.assign(shown=effective_status(frame))
    table = pd.crosstab(shown["actor"], shown["shown"])
    return table.reindex(index=[a for a in ACTORS if a in table.index], columns=list(STATUSES), fill_value=0)


def by_actor(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The commitments of each actor, in the order Polisen, Kommunen, Gemensamt, Övriga."""
    return [(actor, frame[frame["actor"] == actor]) for actor in ACTORS if (frame["actor"] == actor).any()]


def badge_html(status: str) -> str:
    """A filled badge with symbol and text: '▲ Försenad' on the status colour."""
    colour = STATUSES[status][2]
    return f'<span class="lb-status" style="background:{colour}">{html.escape(status_badge(status))}</span>'


def status_bars_html(counts: pd.DataFrame) -> str:
    """`status_counts` as stacked bars, one an actor, each segment a '✔ 3' on its status colour
    (its words on hover) under the statuses' badges: the status chart without a chart library."""
    widest = max(int(counts.sum(axis=1).max()), 1)
    rows = []
    for actor, row in counts.iterrows():
        segments = "".join(
            f'<span style="flex:{n};background:{STATUSES[s][2]}" title="{n} {STATUSES[s][0].lower()}">'
            f"{STATUSES[s][1]}&nbsp;{n}</span>"
            for s, n in row.items()
            if n
        )
        width = 100 * row.sum() / widest
        rows.append(f'<b>{ACTORS[actor]}</b><div><div class="lb-bar" style="width:{width:.0f}%">{segments}</div></div>')
    legend = " ".join(badge_html(s) for s in STATUSES)
    return f'<div class="lb-meta">{legend}</div><div class="lb-bars">{"".join(rows)}</div>'


def item_html(text: str, status: str, due: date, focus: str) -> str:
    """A commitment as the room reads it: its text, then status, due date and focus areas."""
    return (
        f'<div class="lb-item">{html.escape(text)}</div>'
        f'<div class="lb-meta">{badge_html(status)}&ensp;Slutdatum {fmt_date(due)} · '
        f"Fokusområden: {html.escape(focus)}</div>"
    )


def change_html(actor: str, text: str, before: str, after: str) -> str:
    """'Polisen: <text>' over '◐ Pågår → ✔ Genomförd' with both badges."""
    title = html.escape(f"{ACTORS[actor]}: {short(text)}")
    return f'<div class="lb-meta"><b>{title}</b><br>{badge_html(before)} → {badge_html(after)}</div>'


def focus_label(codes, names: dict[str, str]) -> str:
    """Focus areas by their Swedish names: 'Narkotika, Trafik' ('–' for none)."""
    return ", ".join(names.get(f, f) for f in codes) or "–"


def short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def latest_line(row, with_notes: bool) -> str:
    """The latest update of a commitment (a row of commitment_status), as markdown."""
    if pd.isna(row.updated_at):
        return "Ingen uppföljning registrerad ännu."
    line = f"Senaste uppföljning {fmt_date(row.updated_at.date())}"
    if with_notes and row.note:
        line += f": {escape_markdown(row.note)} ({escape_markdown(row.author or '–')})"
    return line


def history_table(history: pd.DataFrame, with_notes: bool, texts: dict[str, str] | None = None) -> pd.DataFrame:
    """Updates, newest first, as a table for st.table (which reads markdown:
    texts are escaped). With `texts`, a column names each update's commitment.
    Notes and authors only where free text may be shown."""
    table = pd.DataFrame({"Tid": history["at"].dt.strftime("%Y-%m-%d %H:%M")})
    if texts is not None:
        table["Åtagande"] = history["commitment_id"].map(lambda c: escape_markdown(short(texts.get(c, c), 80)))
    table["Status"] = history["status"].map(status_badge)
    table["Framsteg"] = history["progress"].map(lambda p: f"{p}\u00a0%")
    table["Möte"] = list(map(meeting_label, history["meeting_held_on"], history["meeting_kind"]))
    if with_notes:
        table["Anteckning"] = history["note"].map(escape_markdown)
        table["Av"] = history["author"].map(escape_markdown)
    return table.reset_index(drop=True)


def meeting_label(held_on, kind) -> str:
    if pd.isna(held_on):
        return "–"
    return f"{MEETING_KINDS.get(kind, kind)} {fmt_date(pd.Timestamp(held_on).date())}"
