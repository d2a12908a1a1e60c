"""The blocks of the Löften page: "sedan förra mötet", a pledge's details and
desired effects, and a commitment's card with its history. Text from the data
is escaped: markdown through `escape_markdown`, HTML through `commitments`.
Notes and authors show only where free text may (`free_text`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import commitments, meetings
from dashboard.commitments import as_date
from dashboard.filters import Selection, to_query_params
from dashboard.formatting import escape_markdown, fmt_date, fmt_number
from dashboard.ui import navigation
from dashboard.vocab import DIRECTIONS, STATUSES, status_badge


@st.fragment
def since_meeting(data: commitments.Pledges, meeting_choices: dict, today: date, free_text: bool) -> None:
    """What changed since a meeting the user picks (by default the last one
    before today); picking another reruns this part only."""
    st.header("Sedan förra mötet")
    if data.meetings.empty:
        st.info("Inga möten registrerade för de valda kommunerna.")
        return
    ids = list(data.meetings["meeting_id"])
    default = meetings.default_meeting(data.meetings, today)
    index = ids.index(default) if default else 0
    chosen = st.selectbox("Jämför med mötet", ids, index, format_func=meeting_choices.get, key="l_meeting")
    held_on = as_date(data.meetings.set_index("meeting_id").loc[chosen, "held_on"])
    changes = meetings.changes_since(held_on, data.current, data.history)
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
    if not changes.updates.empty:
        st.subheader(f"Uppföljningar efter {fmt_date(held_on)}")
        texts = dict(zip(data.current["commitment_id"], data.current["text"]))
        st.table(commitments.history_table(changes.updates, free_text, texts), hide_index=True)


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
def commitment_card(row, history: pd.DataFrame, focus_names: dict[str, str], free_text: bool) -> Iterator[None]:
    """A commitment (a row of commitment_status): text, status, progress, latest
    update, and its history in an expander; the block runs inside that expander
    (for the update form)."""
    shown = "forsenad" if row.is_late else row.status
    with st.container(border=True):
        text, progress = st.columns([3, 1])
        focus = commitments.focus_label(row.focus_areas, focus_names)
        text.html(commitments.item_html(row.text, shown, as_date(row.due_date), focus))
        progress.progress(int(row.progress), text=f"Framsteg {row.progress}\u00a0%")
        if row.is_late and row.status != "forsenad":
            progress.caption(f"Slutdatum passerat. Senast rapporterat: {status_badge(row.status)}")
        st.markdown(commitments.latest_line(row, free_text))
        with st.expander(f"Historik ({fmt_number(len(history))} uppföljningar)", key=f"l_history_{row.commitment_id}"):
            if not history.empty:
                st.table(commitments.history_table(history, free_text), hide_index=True)
            yield
