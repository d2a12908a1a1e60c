"""The meeting panel: a popover in the meeting frame, on every step, where an
editor starts the meeting (kind, who is present), records decisions as actions
without leaving the slide, ends the meeting (focus areas decided, the steps
shown as its agenda) and downloads the minutes.

Writes go through `follow_up` as `access.meeting_author()`, which refuses
anyone but an editor of the internal installation. The steps shown are
collected in the session while presenting.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import streamlit as st

from dashboard import actions, follow_up, meetings, records
from dashboard.commitments import as_date
from dashboard.filter_options import Options
from dashboard.filters import Selection
from dashboard.formatting import escape_markdown
from dashboard.report import minutes
from dashboard.ui import access
from dashboard.ui.cached import query
from dashboard.ui.pledge_forms import show_message, submit
from dashboard.ui.report_buttons import FORMATS
from dashboard.vocab import ACTORS, MEETING_KINDS

#: Roles offered as present; others can be typed in.
ROLES = (
    "Kommunpolis", "Lokalpolisområdeschef", "Trygghetssamordnare", "Socialtjänst", "Fältgrupp", "Skola",
    "Fritidsgård", "Räddningstjänst", "Bostadsbolag", "Föreningsliv",
)  # fmt: skip
#: A decision is due in a month unless the editor says otherwise.
DEFAULT_DUE_DAYS = 30
#: The start form's widget keys, emptied only after a successful start (a failed one keeps what was typed).
START_KEYS = ("mp_kind", "mp_present")


def show(sel: Selection, opts: Options, step_title: str, today: date, container=None) -> None:
    """The panel (a popover in `container`), for editors only; notes the step shown."""
    if not access.can_record_meeting():
        return
    agenda = st.session_state.setdefault("mp_agenda", [])
    if step_title not in agenda:
        agenda.append(step_title)
    listed = query("meeting_list", sel.params())
    current = meetings.held_on_day(listed, today)
    label = "Möte och beslut" if current else "Starta möte"
    with (container or st).popover(label, icon=":material/gavel:", width="stretch"):
        if current is None:
            _start_form(sel, today)
            return
        meeting = listed.set_index("meeting_id").loc[current]
        st.markdown(f"**{escape_markdown(meetings.label(meeting))}**")
        show_message("mp_msg")
        _decided(current, sel, today)
        _decision_form(current, sel, opts, today)
        _end_form(current, meeting, opts, sel)
        _minutes_buttons(current, meeting)


def _start_form(sel: Selection, today: date) -> None:
    with st.form("mp_start"):
        st.selectbox("Mötestyp", list(MEETING_KINDS), format_func=MEETING_KINDS.get, key="mp_kind")
        st.multiselect("Närvarande", ROLES, key="mp_present", accept_new_options=True, placeholder="Välj eller skriv")
        st.form_submit_button("Starta mötet", type="primary", on_click=_start, args=(sel, today))
    show_message("mp_msg")


def _start(sel: Selection, today: date) -> None:
    state = st.session_state
    state["mp_agenda"] = state.get("mp_agenda", [])[-1:]  # the meeting starts at the step shown now
    submit(
        "mp_msg", "Mötet är startat.", follow_up.record_meeting, today, state.mp_kind, list(sel.kommun_kods),
        list(sel.focus_areas), "", state.mp_present, [], (sel.start, sel.end), author=access.meeting_author(),
        clear=START_KEYS,
    )  # fmt: skip


def _decision_defaults(sel: Selection, today: date) -> dict:
    """The decision form's widget keys and what a new decision starts with: due in a
    month, in the one focus area shown (if one is)."""
    focus = sel.focus_areas[0] if len(sel.focus_areas) == 1 else None
    due = today + timedelta(days=DEFAULT_DUE_DAYS)
    return {
        "mp_text": "", "mp_actor": next(iter(ACTORS)), "mp_owner": "", "mp_due": due, "mp_focus": focus, "mp_place": "",
    }  # fmt: skip


def _decision_form(meeting_id: str, sel: Selection, opts: Options, today: date) -> None:
    focus = list(sel.focus_areas) or list(opts.focus_names)
    defaults = _decision_defaults(sel, today)
    for key, value in defaults.items():  # the widgets' values live in the session: a save can reset them
        st.session_state.setdefault(key, value)
    if st.session_state.mp_focus not in (None, *focus):  # the selection changed under the form
        st.session_state.mp_focus = defaults["mp_focus"]
    with st.form("mp_decision"):
        st.markdown("**Nytt beslut**")
        st.text_area("Vad ska göras?", key="mp_text", max_chars=records.MAX_TEXT, height=80)
        who, owner = st.columns(2)
        who.selectbox("Vem", list(ACTORS), format_func=ACTORS.get, key="mp_actor")
        owner.text_input("Person eller enhet (valfritt)", key="mp_owner", max_chars=200)
        due, area = st.columns(2)
        due.date_input("Klart senast", format="YYYY-MM-DD", key="mp_due")
        name = lambda f: opts.focus_names.get(f, "–")  # noqa: E731
        area.selectbox("Fokusområde", [None, *focus], format_func=name, key="mp_focus")
        st.text_input("Område eller plats", key="mp_place", max_chars=200)
        st.form_submit_button("Spara beslutet", type="primary", on_click=_decide, args=(meeting_id, defaults))
    show_message("mp_decision_msg")


def _decide(meeting_id: str, defaults: dict) -> None:
    state = st.session_state
    submit(
        "mp_decision_msg", "Beslutet är sparat som insats.", follow_up.record_action, meeting_id, state.mp_text,
        state.mp_actor, state.mp_due, state.mp_owner, state.mp_focus, state.mp_place, author=access.meeting_author(),
        clear=defaults,
    )  # fmt: skip


def _decided(meeting_id: str, sel: Selection, today: date) -> None:
    """The decisions recorded so far at this meeting."""
    every = actions.load(query, {"kommun_kods": list(sel.kommun_kods), "focus_areas": []}, today)
    decided = every.decided_at(meeting_id)
    st.markdown(f"**Beslut vid mötet: {len(decided)}**")
    for row in decided.itertuples():
        st.html(actions.item_html(row, today))


def _end_form(meeting_id: str, meeting, opts: Options, sel: Selection) -> None:
    names = opts.focus_names
    with st.form("mp_end"):
        st.markdown("**Avsluta mötet**")
        st.multiselect(
            "Beslutade fokusområden", list(names), default=list(meeting.focus_areas), format_func=names.get,
            key="mp_focus_decided", placeholder="Välj",
        )  # fmt: skip
        present = list(meeting.present) if meeting.present is not None else []
        st.multiselect("Närvarande", list(dict.fromkeys([*ROLES, *present])), default=present,
                       key="mp_present_end", accept_new_options=True, placeholder="Välj eller skriv")  # fmt: skip
        st.caption("Dagordning (visade steg): " + " → ".join(st.session_state.get("mp_agenda", [])))
        st.form_submit_button("Spara mötet", on_click=_end, args=(meeting_id, meeting, sel))
    show_message("mp_end_msg")


def _end(meeting_id: str, meeting, sel: Selection) -> None:
    state = st.session_state
    submit(
        "mp_end_msg", "Mötet är sparat med dagordning och beslut.", follow_up.record_meeting,
        as_date(meeting.held_on), meeting.kind, list(meeting.kommun_kods), state.mp_focus_decided, meeting.notes if isinstance(meeting.notes, str) else "",
        state.mp_present_end, list(state.get("mp_agenda", [])), (sel.start, sel.end), meeting_id,
        author=access.meeting_author(),
    )  # fmt: skip


def _minutes_file(meeting_id: str, mode: str, suffix: str) -> bytes:
    return minutes.RENDERERS[suffix](minutes.build(query, meeting_id, mode))


def _minutes_buttons(meeting_id: str, meeting) -> None:
    """Minutes as HTML and Excel, built on click (deferred, like the report)."""
    mode = access.mode()
    for suffix, (label, icon, mime) in FORMATS.items():
        st.download_button(
            label.replace("Rapport", "Minnesanteckningar"), partial(_minutes_file, meeting_id, mode, suffix),
            file_name=minutes.name_for(as_date(meeting.held_on), meeting.kommuner, suffix), mime=mime, icon=icon,
            on_click="ignore", width="stretch", key=f"mp_minutes{suffix}",
        )  # fmt: skip
