"""Översikt: the headline numbers for the selection, each leading to its page."""

import streamlit as st

from dashboard import clock, commitments, overview
from dashboard.formatting import fmt_number
from dashboard.indicators import VERDICTS
from dashboard.ui import filter_bar, navigation
from dashboard.ui.cached import query

rule, floored = filter_bar.rule(), filter_bar.floored()
head = overview.headline(query, floored.params, clock.today())

st.title("Översikt")
filter_bar.disclosure_caption()
incidents, promises, effects = st.columns(3, border=True)

with incidents:
    st.subheader("Händelser")
    delta, arrow = overview.incident_delta(rule, head)
    st.metric(
        f"Under vald period ({fmt_number(floored.selection.days)} dagar)",
        rule.format(head.incidents),
        delta=delta,
        delta_arrow=arrow,
        delta_color="off",
        help="Jämfört med perioden lika lång direkt före.",
    )
    st.caption(f"Händelser under föregående period: {rule.format(head.incidents_before)}.")
    navigation.link("karta", "Var och när? Till kartan")

with promises:
    st.subheader("Löften")
    total = int(head.commitments.to_numpy().sum())
    st.metric("Åtaganden i löften för perioden", fmt_number(total))
    if total:
        st.markdown("\n\n".join(overview.actor_lines(head.commitments)))
    st.caption(commitments.late_caption(head.late, clock.today()))
    navigation.link("loften", "Håller vi våra löften? Till löftena")

with effects:
    st.subheader("Indikatorer")
    good, bad, flat = (head.verdicts[k] for k in ("good", "bad", "flat"))
    st.metric(f"{VERDICTS['good'][1]} I önskad riktning", fmt_number(good))
    st.markdown(
        f"{VERDICTS['bad'][1]} **I fel riktning: {fmt_number(bad)}**  \n"
        f"{VERDICTS['flat'][1]} Oförändrade: {fmt_number(flat)}"
    )
    st.caption("Senaste värdet jämfört med det förra, per indikator och kommun.")
    navigation.link("indikatorer", "Fungerar det? Till indikatorerna")
