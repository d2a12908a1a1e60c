"""The blocks of the Löften page: "sedan förra mötet" (with the decisions of
that meeting), a pledge's details and desired effects, and the card of a
commitment or an action with its history. Text from the data
is escaped: markdown through `escape_markdown`, HTML through `commitments`.
Notes and authors show only where free text may (`free_text`).
"""

from __future__ import annotations

import contextlib
import html
import math
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard import actions, commitments, meetings
from dashboard.commitments import as_date
from dashboard.filters import Selection, to_query_params
from dashboard.formatting import escape_markdown, fmt_date, fmt_number
from dashboard.ui import navigation
from dashboard.vocab import ACTORS, DIRECTIONS, STATUSES, status_badge

#: "Sedan förra mötet" in a presentation: its sub-steps, in order (`since_meeting`'s `part`).
SINCE_PARTS = ("Sedan förra mötet", "Uppföljningar sedan mötet", "Beslut vid mötet")
#: Follow-up rows (two lines each) that fit one 1920×1080 slide under the meeting choice.
UPDATES_PER_SLIDE = 6
#: Measured at 1920×1080: the room for commitment cards under the step bar, the page title and the
#: actor's header; a card's frame, status line, latest update and history; a line of its text (and how
#: many characters fill one); the gap between cards. A late card's note beside the text is 2.5 lines tall.
CARDS_ROOM_PX, CARD_PX, LINE_PX, CHARS_PER_LINE, CARD_GAP_PX, LATE_LINES = 650, 230, 36, 100, 23, 2.5


class CommitmentSlide(NamedTuple):
    """One sub-step of the Löften page in a presentation: one actor's commitments in one pledge, or a part of them."""

    label: str
    pledge: object
    actor: str
    rows: pd.DataFrame


def commitment_slides(data: commitments.Pledges) -> list[CommitmentSlide]:
    """The pledges' commitments cut into slides: one actor at a time, as many cards as fit the screen."""
    slides = []
    for pledge in data.pledges.itertuples():
        for actor, group in commitments.by_actor(data.commitments_of(pledge.pledge_id)):
            parts = _fit(group)
            for number, rows in enumerate(parts, start=1):
                part = f" ({number}/{len(parts)})" if len(parts) > 1 else ""
                slides.append(CommitmentSlide(f"{ACTORS[actor]}{part}", pledge, actor, rows))
    return slides


def card_height(row) -> float:
    """A commitment card's height in px at 1920×1080, estimated from its text's length and whether it is late."""
    lines = math.ceil(len(row.text) / CHARS_PER_LINE)
    return CARD_PX + LINE_PX * max(lines, LATE_LINES if row.is_late else 1)


def _fit(group: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive cards of `group` (not empty) in parts that fit `CARDS_ROOM_PX`, at least one card a part."""
    parts, start, used = [], 0, 0.0
    for index, row in enumerate(group.itertuples()):
        height = card_height(row) + CARD_GAP_PX
        if index > start and used + height > CARDS_ROOM_PX + CARD_GAP_PX:
            parts.append(group.iloc[start:index])
            start, used = index, 0.0
        used += height
    return [*parts, group.iloc[start:]]


def since_meeting(
    data: commitments.Pledges,
    decided: actions.Actions,
    meeting_choices: dict,
    today: date,
    free_text: bool,
    part: int | None = None,
) -> None:
    """What changed since a meeting the user picks (by default the last one before today),
    and every action that meeting decided with its status now. In a presentation these
    are the sub-steps `SINCE_PARTS` (`part` 0: the changes, 1: the follow-ups, 2: the
    decisions; None outside one), and the follow-ups table keeps to its latest rows."""
    st.header("Sedan förra mötet")
    if data.meetings.empty:
        st.info("Inga möten registrerade för de valda kommunerna.")
        return
    ids = list(data.meetings["meeting_id"])
    default = meetings.default_meeting(data.meetings, today)
    index = ids.index(default) if default else 0
    chosen = st.selectbox("Jämför med mötet", ids, index, format_func=meeting_choices.get, key="l_meeting")
    held_on = as_date(data.meetings.set_index("meeting_id").loc[chosen, "held_on"])
    changes = meetings.changes_since(held_on, today, data.current, data.history, decided.decided_at(chosen))
    if part in (None, 2):
        decisions(changes.decisions, held_on, today)
    if part in (None, 0):
        _changes(changes, held_on)
    if part in (None, 1):
        _updates(changes.updates, data, held_on, free_text, presenting=part is not None)


def _changes(changes: meetings.Changes, held_on: date) -> None:
    parts = [
        ("Nya uppföljningar", changes.updates),
        ("Ändrad status", changes.status_changes),
        ("Nya åtaganden", changes.new_commitments),
        (f"{STATUSES['forsenad'][1]} Passerat slutdatum", changes.became_late),
    ]
    for column, (label, frame) in zip(st.columns(len(parts)), parts):
        column.metric(label, fmt_number(len(frame)))
    if changes.nothing:
        st.success(f"Inget har ändrats sedan mötet {fmt_date(held_on)}.")
    if not changes.status_changes.empty:
        st.subheader("Ändrad status")
        for row in changes.status_changes.itertuples():
            st.html(commitments.change_html(row.actor, row.text, row.from_status, row.status))
    for title, frame in (("Nya åtaganden", changes.new_commitments), ("Passerat slutdatum", changes.became_late)):
        if not frame.empty:
            st.subheader(title)
            items = zip(frame["text"], frame["due_date"])
            st.markdown("\n".join(f"- {escape_markdown(t)} (slutdatum {fmt_date(as_date(d))})" for t, d in items))


def _updates(
    updates: pd.DataFrame, data: commitments.Pledges, held_on: date, free_text: bool, presenting: bool
) -> None:
    if updates.empty:
        if presenting:  # its own slide: say so
            st.info(f"Inga nya uppföljningar efter {fmt_date(held_on)}.")
        return
    st.subheader(f"Uppföljningar efter {fmt_date(held_on)}")
    texts = dict(zip(data.current["commitment_id"], data.current["text"]))
    table = commitments.history_table(updates, free_text, texts)
    if presenting and len(table) > UPDATES_PER_SLIDE:
        st.caption(f"De {UPDATES_PER_SLIDE} senaste av {fmt_number(len(table))}; alla finns i mötesrapporten.")
        table = table.head(UPDATES_PER_SLIDE)
    st.table(table, hide_index=True)


def decisions(frame: pd.DataFrame, held_on: date, today: date) -> None:
    """The actions decided at the meeting of `held_on`: done, under way, late, each with who and by when."""
    st.subheader(f"Beslut vid mötet {fmt_date(held_on)}")
    if frame.empty:
        st.caption("Mötet registrerade inga beslut.")
        return
    counts = actions.summary(frame)
    st.markdown(" · ".join(f"**{status_badge(s)}: {fmt_number(counts[s])}**" for s in ("genomford", "pagar", "forsenad")))
    for row in frame.itertuples():
        st.html(actions.item_html(row, today))


def pledge_details(pledge, effects: pd.DataFrame, sel: Selection) -> None:
    """Period, municipalities and follow-up of a pledge (a row of pledge_list), and
    its desired effects, each linking to its indicator with the same filter."""
    st.markdown(
        f"**Period** {fmt_date(as_date(pledge.period_start))} – {fmt_date(as_date(pledge.period_end))} · "
        f"**Kommuner** {escape_markdown(pledge.kommuner or '–')} · "
        f"**Lokalpolisområde** {escape_markdown(pledge.lpo or '–')}"
    )
    if pledge.follow_up:
        st.markdown(f"**Uppföljning:** {escape_markdown(pledge.follow_up)}")
    if effects.empty:
        return
    st.subheader("Önskade effekter")
    for effect in effects.itertuples():
        st.markdown(escape_markdown(effect.text))
        if effect.indicator_name:
            label, arrow = DIRECTIONS.get(effect.direction, ("", ""))
            navigation.link(
                "indikatorer",
                escape_markdown(f"Indikator: {effect.indicator_name} {arrow} {label.lower()}"),
                to_query_params(sel) | {"indikator": effect.indicator_id},
            )


@contextlib.contextmanager
def commitment_card(
    row, history: pd.DataFrame, focus_names: dict[str, str], free_text: bool, today: date
) -> Iterator[None]:
    """A commitment (a row of commitment_status): text, status, progress, latest
    update, and its history in an expander (built when opened); the block runs
    in the card, under that expander (for the update form)."""
    shown = "forsenad" if row.is_late else row.status
    focus = commitments.focus_label(row.focus_areas, focus_names)
    item = commitments.item_html(row.text, shown, as_date(row.due_date), focus)
    with _card(row, item, history, free_text, today, row.commitment_id):
        yield


@contextlib.contextmanager
def action_card(row, history: pd.DataFrame, free_text: bool, today: date) -> Iterator[None]:
    """An action (a row of action_status) as a card like a commitment's, with the meeting that decided it."""
    decided = f"Beslutad vid {html.escape(commitments.meeting_label(row.meeting_held_on, row.meeting_kind))}"
    item = actions.item_html(row, today) + f'<div class="lb-meta">{decided}</div>'
    with _card(row, item, history, free_text, today, row.action_id):
        yield


@contextlib.contextmanager
def _card(row, item_html: str, history: pd.DataFrame, free_text: bool, today: date, key: str) -> Iterator[None]:
    with st.container(border=True):
        text, progress = st.columns([3, 1])
        text.html(item_html)
        progress.progress(int(row.progress), text=f"Framsteg {row.progress}\u00a0%")
        if row.is_late:
            late = commitments.late_text(row, today).capitalize()
            progress.caption(f"{late}. Senast rapporterat: {status_badge(row.status)}")
        st.markdown(commitments.latest_line(row, free_text))
        # The table is built only while the expander is open: a page of many commitments stays small.
        label = f"Historik ({fmt_number(len(history))} uppföljningar)"
        with st.expander(label, key=f"l_history_{key}", on_change="rerun") as box:
            if box.open and not history.empty:
                st.table(commitments.history_table(history, free_text), hide_index=True)
        yield


def show_commitment_slide(
    part: CommitmentSlide, data: commitments.Pledges, focus_names: dict[str, str], free_text: bool, today: date
) -> None:
    """A presentation's sub-step of the Löften page: the pledge, the actor, and its commitment cards."""
    pledge = part.pledge
    st.header(f"{ACTORS[part.actor]} · {escape_markdown(pledge.title)}")
    st.caption(f"Löftesperiod {fmt_date(as_date(pledge.period_start))} – {fmt_date(as_date(pledge.period_end))}")
    for row in part.rows.itertuples():
        with commitment_card(row, data.history_of(row.commitment_id), focus_names, free_text, today):
            pass
