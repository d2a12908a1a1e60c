"""The editors' forms of the Löften page: a commitment update, a meeting, a new
or corrected pledge or commitment.

Each form saves in its submit callback through `follow_up`, as this session's
author (`access.author()`): the write itself refuses a user who may not edit.
Its message (saved, or what is wrong in Swedish) shows under the form on the
next run. Widget keys carry the record's id, so a form's defaults follow the
record chosen. An update form is built only for the one commitment or action
whose "Ny uppföljning" was clicked, so the page does not grow with the number
of commitments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import commitments, follow_up, records, write_failure
from dashboard.commitments import as_date
from dashboard.roles import Author
from dashboard.ui import access, cached
from dashboard.ui.filter_bar import Options
from dashboard.vocab import ACTORS, MEETING_KINDS, STATUSES, status_badge

UPDATE_FIELDS = ("status", "progress", "note", "meeting")
MEETING_FIELDS = ("held_on", "kind", "kommun_kods", "focus_areas", "notes")
PLEDGE_FIELDS = ("title", "kommun_kods", "lpo", "period_start", "period_end", "follow_up", "summary", "focus_areas")
COMMITMENT_FIELDS = ("pledge_id", "actor", "text", "focus_areas", "due_date", "indicator_ids")
DATE_FIELDS = ("period_start", "period_end", "due_date")


def submit(
    message_key: str, success: str, write: Callable, *args, author: Author | None = None, clear=()
) -> None:
    """Run a write from a form callback, as `author` (this session's by default),
    and leave a Swedish message for the form. Only a saved form is emptied (its
    widget keys `clear` deleted, or, given as {key: value}, set back to those
    values, which also reaches the widget the browser still shows): after a
    refused or failed write the user still has what they typed."""
    try:
        write(cached.data_dir(), author or access.author(), *args)
    except records.Invalid as exc:
        st.session_state[message_key] = ("error", exc.swedish())
    except records.NotAllowed as exc:
        st.session_state[message_key] = ("error", [exc.swedish])
    except OSError as exc:  # a full or read-only disk
        st.session_state[message_key] = ("error", [write_failure.swedish(exc)])
    else:
        cached.clear_after_write()
        st.session_state[message_key] = ("success", [success])
        for key in clear:
            if isinstance(clear, dict):
                st.session_state[key] = clear[key]
            else:
                del st.session_state[key]


def show_message(message_key: str) -> None:
    """The form's message; its lines are the app's own texts, with no user input."""
    kind, lines = st.session_state.pop(message_key, (None, None))
    if kind:
        getattr(st, kind)("  \n".join(lines))


def on_demand(label: str, icon: str, form: Callable, *args) -> None:
    """`form(*args)` in an expander (`icon` a Material Symbols name; its key `l_form_` and the
    form's name), built only while it is open: closed forms send the browser no widgets."""
    key = "l_form_" + form.__name__.removesuffix("_form")
    with st.expander(label, key=key, icon=f":material/{icon}:", on_change="rerun") as box:
        if box.open:
            form(*args)


def _keys(prefix: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{prefix}_{name}" for name in names)


def _fields(prefix: str, names: tuple[str, ...]) -> list:
    return [st.session_state[key] for key in _keys(prefix, names)]


def _kommun_select(opts: Options, key: str, default) -> None:
    names = opts.kommun_names
    st.multiselect("Kommuner", list(names), default=list(default), format_func=names.get, key=key, placeholder="Välj")


def _focus_select(opts: Options, label: str, key: str, default=()) -> None:
    names = opts.focus_names
    st.multiselect(label, list(names), default=list(default), format_func=names.get, key=key, placeholder="Välj")


#: What an update form updates: the id column of its row -> the write.
UPDATE_WRITES = {"commitment_id": follow_up.record_update, "action_id": follow_up.record_action_update}


def _update_defaults(key: str, held_today: str | None) -> dict:
    """What a new update starts with, by widget key: no note, the meeting held today (if any).
    Status and progress start from the record's, which a save makes the ones just entered."""
    return {f"{key}_note": "", f"{key}_meeting": held_today}


def _save_update(cid: str, key: str, id_column: str, held_today: str | None) -> None:
    fields, clear = _fields(key, UPDATE_FIELDS), _update_defaults(key, held_today)
    submit(f"u_{cid}_msg", "Uppföljningen är sparad.", UPDATE_WRITES[id_column], cid, *fields, clear=clear)


#: session state: the id of the one commitment or action whose update form is open.
OPEN_UPDATE = "l_open_update"


def _toggle_update(cid: str) -> None:
    state = st.session_state
    state[OPEN_UPDATE] = None if state.get(OPEN_UPDATE) == cid else cid


def update_form(
    row, meeting_choices: dict[str | None, str], held_today: str | None, id_column: str = "commitment_id"
) -> None:
    """A button that opens (or closes) the form for a new update of the
    commitment `row` (of commitment_status), or with `id_column="action_id"` of
    the action (of action_status); the form, when open, and its message. One
    form is open at a time; it stays open after saving, to show the message."""
    cid = getattr(row, id_column)
    opened = st.session_state.get(OPEN_UPDATE) == cid
    st.button(
        "Stäng formuläret" if opened else "Ny uppföljning", key=f"l_open_{cid}", type="tertiary",
        icon=":material/close:" if opened else ":material/edit_note:", on_click=_toggle_update, args=(cid,),
    )  # fmt: skip
    if opened:
        _update_form(row, cid, meeting_choices, held_today, id_column)
    show_message(f"u_{cid}_msg")


def _update_form(row, cid: str, meeting_choices: dict, held_today: str | None, id_column: str) -> None:
    """The form itself; by default the update belongs to the meeting held today, if any."""
    # A meeting recorded today makes a new form, so that its updates default to that meeting
    # (a keyed widget keeps its value in the browser whatever its new default).
    key = f"u_{cid}_{held_today or 'utan_mote'}"
    statuses, choices = list(STATUSES), list(meeting_choices)
    for name, value in _update_defaults(key, held_today).items():  # in the session: a save can reset them
        st.session_state.setdefault(name, value)
    with st.form(f"{key}_form"):
        st.markdown("**Ny uppföljning**")
        left, right = st.columns(2)
        left.selectbox("Status", statuses, statuses.index(row.status), format_func=status_badge, key=f"{key}_status")
        right.slider("Framsteg (%)", 0, 100, int(row.progress), step=5, key=f"{key}_progress")
        st.text_area("Anteckning", key=f"{key}_note", max_chars=records.MAX_TEXT)
        st.selectbox("Vid mötet", choices, format_func=meeting_choices.get, key=f"{key}_meeting")
        st.form_submit_button(
            "Spara uppföljning", type="primary", on_click=_save_update, args=(cid, key, id_column, held_today)
        )  # fmt: skip


def _save_meeting() -> None:
    fields, clear = _fields("m", MEETING_FIELDS), _keys("m", MEETING_FIELDS)
    submit("m_msg", "Mötet är sparat.", follow_up.record_meeting, *fields, clear=clear)


def meeting_form(opts: Options, kommun_kods, today: date) -> None:
    """Record a meeting held today or earlier, for the selected municipalities by default."""
    with st.form("m_form"):
        left, right = st.columns(2)
        left.date_input("Datum", value=today, max_value=today, format="YYYY-MM-DD", key="m_held_on")
        right.selectbox("Mötestyp", list(MEETING_KINDS), format_func=MEETING_KINDS.get, key="m_kind")
        _kommun_select(opts, "m_kommun_kods", kommun_kods)
        _focus_select(opts, "Beslutade fokusområden", "m_focus_areas")
        st.text_area("Anteckningar", key="m_notes", max_chars=5 * records.MAX_TEXT)
        st.form_submit_button("Spara mötet", type="primary", on_click=_save_meeting)
    show_message("m_msg")


def save_record(
    prefix: str, id_column: str, record_id, names: tuple[str, ...], success: str, write, based_on: dict | None = None
) -> None:
    """Form callback for a record: the form's fields; `based_on` (a correction) the values it started from."""
    rec = dict(zip(names, _fields(f"{prefix}_{record_id}", names))) | {id_column: record_id}
    submit(f"{prefix}_msg", success, write, rec, *([based_on] if based_on is not None else []))


def _shown(old: pd.Series | None, names: tuple[str, ...]) -> dict | None:
    """The stored values a correction starts from, as the form has them: a save
    after someone else changed them is refused (`follow_up.upsert`)."""
    if old is None:
        return None
    return {
        name: as_date(old[name]) if name in DATE_FIELDS else list(old[name]) if pd.api.types.is_list_like(old[name])
        else old[name]
        for name in names
    }  # fmt: skip


def pledge_form(pledges: pd.DataFrame, opts: Options, kommun_kods, today: date) -> None:
    """Create a pledge, or correct one of `pledges` (the form's defaults follow the choice)."""
    titles = {None: "＋ Nytt löfte"} | dict(zip(pledges["pledge_id"], pledges["title"]))
    pid = st.selectbox("Löfte", list(titles), format_func=titles.get, key="p_choice")
    old = pledges.set_index("pledge_id").loc[pid] if pid else None
    key = f"p_{pid}"
    with st.form(f"{key}_form"):
        st.text_input("Rubrik", value=old.title if pid else "", key=f"{key}_title")
        _kommun_select(opts, f"{key}_kommun_kods", old.kommun_kods if pid else kommun_kods)
        st.text_input("Lokalpolisområde", value=old.lpo if pid else "", key=f"{key}_lpo")
        start, end = st.columns(2)
        first, last = (old.period_start, old.period_end) if pid else (today, today.replace(year=today.year + 2))
        start.date_input("Gäller från", value=as_date(first), format="YYYY-MM-DD", key=f"{key}_period_start")
        end.date_input("Gäller till", value=as_date(last), format="YYYY-MM-DD", key=f"{key}_period_end")
        _focus_select(opts, "Fokusområden", f"{key}_focus_areas", old.focus_areas if pid else ())
        st.text_area("Uppföljning (hur och när)", value=old.follow_up if pid else "", key=f"{key}_follow_up")
        st.text_area("Bakgrund", value=old.summary if pid else "", key=f"{key}_summary")
        st.form_submit_button(
            "Spara löftet", type="primary", on_click=save_record,
            args=("p", "pledge_id", pid, PLEDGE_FIELDS, "Löftet är sparat.", follow_up.save_pledge, _shown(old, PLEDGE_FIELDS)),
        )  # fmt: skip
    show_message("p_msg")


def commitment_form(data: commitments.Pledges, opts: Options, indicators: dict[str, str]) -> None:
    """Create a commitment in one of the pledges shown, or correct one of those shown."""
    pledges, current = data.pledges, data.current
    if pledges.empty:
        st.caption("Visa ett löfte först (välj kommun och period, eller visa tidigare löften).")
        return
    texts = dict(zip(current["commitment_id"], current["text"].map(commitments.short)))
    choices = {None: "＋ Nytt åtagande"} | texts
    cid = st.selectbox("Åtagande", list(choices), format_func=choices.get, key="c_choice")
    old = current.set_index("commitment_id").loc[cid] if cid else None
    titles = dict(zip(pledges["pledge_id"], pledges["title"]))
    pledge_ids, actors = list(titles), list(ACTORS)
    key = f"c_{cid}"
    with st.form(f"{key}_form"):
        pledge_index = pledge_ids.index(old.pledge_id) if cid else 0
        st.selectbox("Löfte", pledge_ids, pledge_index, format_func=titles.get, key=f"{key}_pledge_id")
        actor_index = actors.index(old.actor) if cid else 0
        st.selectbox("Aktör", actors, actor_index, format_func=ACTORS.get, key=f"{key}_actor")
        st.text_area("Åtagande", value=old.text if cid else "", max_chars=records.MAX_TEXT, key=f"{key}_text")
        _focus_select(opts, "Fokusområden", f"{key}_focus_areas", old.focus_areas if cid else ())
        due = as_date(old.due_date if cid else pledges["period_end"].iloc[0])
        st.date_input("Slutdatum", value=due, format="YYYY-MM-DD", key=f"{key}_due_date")
        st.multiselect(
            "Följs upp med indikatorerna", list(indicators), default=list(old.indicator_ids) if cid else [],
            format_func=indicators.get, key=f"{key}_indicator_ids", placeholder="Välj",
        )  # fmt: skip
        st.form_submit_button(
            "Spara åtagandet", type="primary", on_click=save_record,
            args=(
                "c", "commitment_id", cid, COMMITMENT_FIELDS, "Åtagandet är sparat.", follow_up.save_commitment,
                _shown(old, COMMITMENT_FIELDS),
            ),
        )  # fmt: skip
    show_message("c_msg")
