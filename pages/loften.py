"""Löften: what did we promise, who owns it, how far have we come, and what
happened since the last meeting. Editors record updates, meetings, pledges,
commitments, desired effects and indicators here, and add kommuner to a pledge;
the write functions check the right to edit themselves."""

import streamlit as st

from dashboard import actions, charts, clock, commitments, meetings
from dashboard.commitments import as_date
from dashboard.formatting import fmt_number
from dashboard.ui import access, effect_forms, filter_bar, pledge_forms, pledge_view, presenter, text
from dashboard.ui.cached import query
from dashboard.vocab import ACTORS, status_badge

sel = filter_bar.current()
opts = filter_bar.options()
today = clock.today()
editing = access.can_edit()
free_text = access.mode() == "internal"  # notes and authors are free text: internal mode only

title, toggle = st.columns([3, 2], vertical_alignment="bottom")
title.title("Håller vi våra löften?")
include_earlier = toggle.toggle(
    "Visa även tidigare löften",
    key="l_earlier",
    help="Löften vars period har slutat, t.ex. för en tillbakablick i lokala BRÅ.",
)
data = commitments.load(query, sel.params(), today, include_earlier)
decided = actions.load(query, sel.params(), today)
meeting_choices = meetings.choices(data.meetings)
held_today = meetings.held_on_day(data.meetings, today)
# In a presentation: status, what changed, the decisions, then one actor's commitments at a time.
parts = pledge_view.commitment_slides(data) if presenter.presenting() else []
slide = presenter.slides(["Status per aktör", *pledge_view.SINCE_PARTS, *(p.label for p in parts)])
first_card = 1 + len(pledge_view.SINCE_PARTS)

if data.pledges.empty:
    st.info(
        "Inga medborgarlöften för de valda kommunerna och fokusområdena under perioden. "
        "Slå på ”Visa även tidigare löften” eller välj en längre period."
    )
if not data.current.empty and presenter.shows(slide, 0):
    shown = commitments.effective_status(data.current)
    chart, numbers = st.columns([3, 1])
    with chart:
        st.subheader("Status per aktör")
        counts = commitments.status_counts(data.current)
        if slide is None:  # at the desk the bars are HTML: no chart library to load on a first visit
            st.html(commitments.status_bars_html(counts))
        else:
            presenter.chart(charts.status_by_actor(counts))
    with numbers:
        st.metric("Åtaganden", fmt_number(len(data.current)))
        for status in ("genomford", "pagar", "forsenad"):
            st.metric(status_badge(status), fmt_number((shown == status).sum()))
        st.caption(commitments.late_caption(int(data.current["is_late"].sum()), today))

if slide is None or 0 < slide < first_card:  # in a presentation: what changed, the follow-ups, the decisions
    pledge_view.since_meeting(data, decided, meeting_choices, today, free_text, None if slide is None else slide - 1)
if slide is not None and slide >= first_card:
    pledge_view.show_commitment_slide(parts[slide - first_card], data, opts.focus_names, free_text, today)
if slide is None:  # the pledge list, meetings and forms are for the desk, not the wall
    st.header("Löften och åtaganden")
    for pledge in data.pledges.itertuples():
        # Its cards are built only while it is open (at first only a pledge shown alone is): a closed one is a title.
        label, key = text.inert(pledge.title), f"l_pledge_{pledge.pledge_id}"
        with st.expander(label, len(data.pledges) == 1, key=key, icon=":material/handshake:", on_change="rerun") as box:
            if not box.open:
                continue
            pledge_view.pledge_details(pledge, data.effects_of(pledge.pledge_id), sel)
            mine = data.commitments_of(pledge.pledge_id)
            if mine.empty:
                st.caption("Inga åtaganden inom de valda fokusområdena.")
            for actor, group in commitments.by_actor(mine):
                st.subheader(ACTORS[actor])
                for row in group.itertuples():
                    history = data.history_of(row.commitment_id)
                    with pledge_view.commitment_card(row, history, opts.focus_names, free_text, today):
                        if editing:
                            pledge_forms.update_form(row, meeting_choices, held_today)

    if not decided.current.empty:
        st.header("Insatser beslutade vid möten")
        label = f"Alla beslutade insatser ({fmt_number(len(decided.current))})"
        with st.expander(label, key="l_actions", icon=":material/task_alt:", on_change="rerun") as box:
            if box.open:  # built when opened
                for row in decided.current.itertuples():
                    with pledge_view.action_card(row, decided.history_of(row.action_id), free_text, today):
                        if editing:
                            pledge_forms.update_form(row, meeting_choices, held_today, "action_id")

    st.header("Möten")
    if not data.meetings.empty:
        with st.expander(f"Alla möten ({fmt_number(len(data.meetings))})", key="l_meetings", on_change="rerun") as box:
            if box.open:  # built when opened
                st.table(meetings.table(data.meetings, opts.focus_names, free_text), hide_index=True)
    if editing:  # each form is built only while its expander is open
        on_demand, kommun_kods, pledges = pledge_forms.on_demand, sel.kommun_kods, data.pledges
        on_demand("Registrera ett möte", "event", pledge_forms.meeting_form, opts, kommun_kods, today)
        st.header("Redigera löften och åtaganden")
        on_demand("Nytt eller rättat löfte", "edit_note", pledge_forms.pledge_form, pledges, opts, kommun_kods, today)
        indicator_names = commitments.indicator_options(query)
        on_demand("Nytt eller rättat åtagande", "edit", pledge_forms.commitment_form, data, opts, indicator_names)
        definitions = query("indicator_definitions")
        on_demand("Ny eller rättad indikator", "monitoring", effect_forms.indicator_form, definitions, opts)
        on_demand("Ny eller rättad önskad effekt", "flag", effect_forms.effect_form, data, indicator_names)
        on_demand("Lägg till kommuner i ett löfte", "add_location_alt", effect_forms.kommun_form, pledges)
