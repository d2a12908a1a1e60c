"""Löften: what did we promise, who owns it, how far have we come, and what
happened since the last meeting. Editors record updates, meetings, pledges and
commitments here; the write functions check the right to edit themselves."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, clock, commitments, follow_up, meetings, records
from dashboard.filters import to_query_params
from dashboard.formatting import escape_markdown, fmt_date, fmt_number
from dashboard.theme import PLOTLY_CONFIG
from dashboard.ui import access, cached, filter_bar, navigation
from dashboard.ui.cached import query
from dashboard.vocab import ACTORS, DIRECTIONS, MEETING_KINDS, STATUSES, status_badge

sel = filter_bar.current()
opts = filter_bar.options()
today = clock.today()
editing = access.can_edit()
free_text = access.mode() == "internal"  # notes and authors are free text: internal mode only
state = st.session_state


def day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def focus_names(codes) -> str:
    return ", ".join(opts.focus_names.get(f, f) for f in codes) or "–"


def submit(message_key: str, success: str, write, *args) -> None:
    """Run a write from a form callback and leave a Swedish message for the form."""
    try:
        write(cached.data_dir(), access.author(), *args)
    except records.Invalid as exc:
        state[message_key] = ("error", exc.swedish())
    except records.NotAllowed as exc:
        state[message_key] = ("error", [exc.swedish])
    else:
        cached.clear_after_write()
        state[message_key] = ("success", [success])


def show_message(message_key: str) -> None:
    """The form's message; its lines are the app's own texts, with no user input."""
    kind, lines = state.pop(message_key, (None, None))
    if kind:
        getattr(st, kind)("  \n".join(lines))


def fields(prefix: str, names: tuple[str, ...]) -> list:
    return [state[f"{prefix}_{name}"] for name in names]


# --- the page's data ----------------------------------------------------------------
st.title("Håller vi våra löften?")
include_earlier = st.toggle(
    "Visa även tidigare löften",
    key="l_earlier",
    help="Löften vars period har slutat, t.ex. för en tillbakablick i lokala BRÅ.",
)
params = commitments.pledge_params(sel.params(), include_earlier)
pledges = query("pledge_list", params)
current = query("commitment_status", params)
history = query("commitment_history", {"commitment_ids": list(current["commitment_id"])})
meeting_list = query("meeting_list", sel.params())
meeting_labels = {None: "Inget möte"} | {r.meeting_id: meetings.label(r) for r in meeting_list.itertuples()}
held_today = meetings.held_on_day(meeting_list, today)


def summary() -> None:
    shown = commitments.effective_status(current)
    chart, numbers = st.columns([3, 1])
    with chart:
        st.subheader("Status per aktör")
        st.plotly_chart(charts.status_by_actor(commitments.status_counts(current)), config=PLOTLY_CONFIG, theme=None)
    with numbers:
        st.metric("Åtaganden", fmt_number(len(current)))
        for status in ("genomford", "pagar", "forsenad"):
            st.metric(status_badge(status), fmt_number((shown == status).sum()))


def since_meeting() -> None:
    st.header("Sedan förra mötet")
    if meeting_list.empty:
        st.info("Inga möten registrerade för de valda kommunerna.")
        return
    ids = list(meeting_list["meeting_id"])
    default = meetings.default_meeting(meeting_list, today)
    index = ids.index(default) if default else 0
    chosen = st.selectbox("Jämför med mötet", ids, index, format_func=meeting_labels.get, key="l_meeting")
    held_on = day(meeting_list.set_index("meeting_id").loc[chosen, "held_on"])
    changes = meetings.changes_since(held_on, current, history)
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
            st.markdown("\n".join(f"- {escape_markdown(t)} (slutdatum {fmt_date(day(d))})" for t, d in items))
    if not changes.updates.empty:
        st.subheader(f"Uppföljningar efter {fmt_date(held_on)}")
        texts = dict(zip(current["commitment_id"], current["text"]))
        st.table(commitments.history_table(changes.updates, free_text, texts), hide_index=True)


def pledge_section(pledge) -> None:
    st.markdown(
        f"**Period** {fmt_date(day(pledge.period_start))} – {fmt_date(day(pledge.period_end))} · "
        f"**Kommuner** {escape_markdown(pledge.kommuner or '–')} · "
        f"**Lokalpolisområde** {escape_markdown(pledge.lpo or '–')}"
    )
    if pledge.follow_up:
        st.markdown(f"**Uppföljning:** {escape_markdown(pledge.follow_up)}")
    effects = query("pledge_effects", {"pledge_ids": [pledge.pledge_id]})
    if not effects.empty:
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
    mine = current[current["pledge_id"] == pledge.pledge_id]
    if mine.empty:
        st.caption("Inga åtaganden inom de valda fokusområdena.")
    for actor, group in commitments.by_actor(mine):
        st.subheader(ACTORS[actor])
        for row in group.itertuples():
            commitment_card(row)


def commitment_card(row) -> None:
    cid = row.commitment_id
    shown = "forsenad" if row.is_late else row.status
    with st.container(border=True):
        text, progress = st.columns([3, 1])
        text.html(commitments.item_html(row.text, shown, day(row.due_date), focus_names(row.focus_areas)))
        progress.progress(int(row.progress), text=f"Framsteg {row.progress}\u00a0%")
        if row.is_late and row.status != "forsenad":
            progress.caption(f"Slutdatum passerat. Senast rapporterat: {status_badge(row.status)}")
        st.markdown(commitments.latest_line(row, free_text))
        mine = history[history["commitment_id"] == cid]
        with st.expander(f"Historik ({fmt_number(len(mine))} uppföljningar)", key=f"l_history_{cid}"):
            if not mine.empty:
                st.table(commitments.history_table(mine, free_text), hide_index=True)
            if editing:
                update_form(row)


UPDATE_FIELDS = ("status", "progress", "note", "meeting")


def save_update(cid: str, key: str) -> None:
    submit(f"u_{cid}_msg", "Uppföljningen är sparad.", follow_up.record_update, cid, *fields(key, UPDATE_FIELDS))


def update_form(row) -> None:
    cid = row.commitment_id
    # A meeting recorded today makes a new form, so that its updates default to that meeting
    # (a keyed widget keeps its value in the browser whatever its new default).
    key = f"u_{cid}_{held_today or 'utan_mote'}"
    statuses, choices = list(STATUSES), list(meeting_labels)
    with st.form(f"{key}_form", clear_on_submit=True):
        st.markdown("**Ny uppföljning**")
        left, right = st.columns(2)
        left.selectbox("Status", statuses, statuses.index(row.status), format_func=status_badge, key=f"{key}_status")
        right.slider("Framsteg (%)", 0, 100, int(row.progress), step=5, key=f"{key}_progress")
        st.text_area("Anteckning", key=f"{key}_note", max_chars=records.MAX_TEXT)
        st.selectbox(
            "Vid mötet", choices, choices.index(held_today), format_func=meeting_labels.get, key=f"{key}_meeting"
        )  # fmt: skip
        st.form_submit_button("Spara uppföljning", type="primary", on_click=save_update, args=(cid, key))
    show_message(f"u_{cid}_msg")


def meetings_section() -> None:
    st.header("Möten")
    if not meeting_list.empty:
        table = pd.DataFrame(
            {
                "Datum": [fmt_date(day(d)) for d in meeting_list["held_on"]],
                "Möte": meeting_list["kind"].map(MEETING_KINDS),
                "Kommuner": meeting_list["kommuner"].map(escape_markdown),
                "Beslutade fokusområden": meeting_list["focus_areas"].map(focus_names),
            }
        )
        if free_text:
            table["Anteckningar"] = meeting_list["notes"].map(escape_markdown)
        with st.expander(f"Alla möten ({fmt_number(len(table))})"):
            st.table(table, hide_index=True)
    if editing:
        with st.expander("Registrera ett möte", icon=":material/event:"):
            meeting_form()


def kommun_select(key: str, default) -> None:
    names = opts.kommun_names
    st.multiselect("Kommuner", list(names), default=list(default), format_func=names.get, key=key)


def focus_select(label: str, key: str, default=()) -> None:
    names = opts.focus_names
    st.multiselect(label, list(names), default=list(default), format_func=names.get, key=key)


MEETING_FIELDS = ("held_on", "kind", "kommun_kods", "focus_areas", "notes")


def save_meeting() -> None:
    submit("m_msg", "Mötet är sparat.", follow_up.record_meeting, *fields("m", MEETING_FIELDS))


def meeting_form() -> None:
    with st.form("m_form", clear_on_submit=True):
        left, right = st.columns(2)
        left.date_input("Datum", value=today, max_value=today, format="YYYY-MM-DD", key="m_held_on")
        right.selectbox("Mötestyp", list(MEETING_KINDS), format_func=MEETING_KINDS.get, key="m_kind")
        kommun_select("m_kommun_kods", sel.kommun_kods)
        focus_select("Beslutade fokusområden", "m_focus_areas")
        st.text_area("Anteckningar", key="m_notes", max_chars=5 * records.MAX_TEXT)
        st.form_submit_button("Spara mötet", type="primary", on_click=save_meeting)
    show_message("m_msg")


def save_record(prefix: str, id_column: str, record_id, names: tuple[str, ...], success: str, write) -> None:
    """Form callback for a pledge or commitment: a record of the form's fields."""
    rec = dict(zip(names, fields(f"{prefix}_{record_id}", names))) | {id_column: record_id}
    submit(f"{prefix}_msg", success, write, rec)


PLEDGE_FIELDS = ("title", "kommun_kods", "lpo", "period_start", "period_end", "follow_up", "summary", "focus_areas")


def pledge_form() -> None:
    """Create a pledge, or correct one of those shown (the form's defaults follow the choice)."""
    titles = {None: "＋ Nytt löfte"} | dict(zip(pledges["pledge_id"], pledges["title"]))
    pid = st.selectbox("Löfte", list(titles), format_func=titles.get, key="p_choice")
    old = pledges.set_index("pledge_id").loc[pid] if pid else None
    key = f"p_{pid}"
    with st.form(f"{key}_form"):
        st.text_input("Rubrik", value=old.title if pid else "", key=f"{key}_title")
        kommun_select(f"{key}_kommun_kods", old.kommun_kods if pid else sel.kommun_kods)
        st.text_input("Lokalpolisområde", value=old.lpo if pid else "", key=f"{key}_lpo")
        start, end = st.columns(2)
        first, last = (old.period_start, old.period_end) if pid else (today, today.replace(year=today.year + 2))
        start.date_input("Gäller från", value=day(first), format="YYYY-MM-DD", key=f"{key}_period_start")
        end.date_input("Gäller till", value=day(last), format="YYYY-MM-DD", key=f"{key}_period_end")
        focus_select("Fokusområden", f"{key}_focus_areas", old.focus_areas if pid else ())
        st.text_area("Uppföljning (hur och när)", value=old.follow_up if pid else "", key=f"{key}_follow_up")
        st.text_area("Bakgrund", value=old.summary if pid else "", key=f"{key}_summary")
        st.form_submit_button(
            "Spara löftet", type="primary", on_click=save_record,
            args=("p", "pledge_id", pid, PLEDGE_FIELDS, "Löftet är sparat.", follow_up.save_pledge),
        )  # fmt: skip
    show_message("p_msg")


COMMITMENT_FIELDS = ("pledge_id", "actor", "text", "focus_areas", "due_date", "indicator_ids")


def commitment_form() -> None:
    """Create a commitment in one of the pledges shown, or correct one of those shown."""
    if pledges.empty:
        st.caption("Visa ett löfte först (välj kommun och period, eller visa tidigare löften).")
        return
    texts = dict(zip(current["commitment_id"], current["text"].map(commitments.short)))
    choices = {None: "＋ Nytt åtagande"} | texts
    cid = st.selectbox("Åtagande", list(choices), format_func=choices.get, key="c_choice")
    old = current.set_index("commitment_id").loc[cid] if cid else None
    titles = dict(zip(pledges["pledge_id"], pledges["title"]))
    pledge_ids, actors = list(titles), list(ACTORS)
    options = query("commitment_indicator_options")
    indicators = dict(zip(options["indicator_id"], options["name_sv"]))
    key = f"c_{cid}"
    with st.form(f"{key}_form"):
        pledge_index = pledge_ids.index(old.pledge_id) if cid else 0
        st.selectbox("Löfte", pledge_ids, pledge_index, format_func=titles.get, key=f"{key}_pledge_id")
        actor_index = actors.index(old.actor) if cid else 0
        st.selectbox("Aktör", actors, actor_index, format_func=ACTORS.get, key=f"{key}_actor")
        st.text_area("Åtagande", value=old.text if cid else "", max_chars=records.MAX_TEXT, key=f"{key}_text")
        focus_select("Fokusområden", f"{key}_focus_areas", old.focus_areas if cid else ())
        due = day(old.due_date if cid else pledges["period_end"].iloc[0])
        st.date_input("Slutdatum", value=due, format="YYYY-MM-DD", key=f"{key}_due_date")
        st.multiselect(
            "Följs upp med indikatorerna", list(indicators), default=list(old.indicator_ids) if cid else [],
            format_func=indicators.get, key=f"{key}_indicator_ids",
        )  # fmt: skip
        st.form_submit_button(
            "Spara åtagandet", type="primary", on_click=save_record,
            args=("c", "commitment_id", cid, COMMITMENT_FIELDS, "Åtagandet är sparat.", follow_up.save_commitment),
        )  # fmt: skip
    show_message("c_msg")


# --- the page -----------------------------------------------------------------------
if pledges.empty:
    st.info(
        "Inga medborgarlöften för de valda kommunerna och fokusområdena under perioden. "
        "Slå på ”Visa även tidigare löften” eller välj en längre period."
    )
if not current.empty:
    summary()
since_meeting()
st.header("Löften och åtaganden")
for pledge in pledges.itertuples():
    with st.expander(pledge.title, expanded=day(pledge.period_end) >= today, icon=":material/handshake:"):
        pledge_section(pledge)
meetings_section()
if editing:
    st.header("Redigera löften och åtaganden")
    with st.expander("Nytt eller rättat löfte", icon=":material/edit_note:"):
        pledge_form()
    with st.expander("Nytt eller rättat åtagande", icon=":material/edit:"):
        commitment_form()
