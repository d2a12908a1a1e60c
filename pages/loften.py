"""Löften: every commitment with its actor and current status."""

import streamlit as st

from dashboard import commitments, filter_bar
from dashboard.cached import query
from dashboard.vocab import ACTORS, status_badge

sel = filter_bar.current()
st.title("Håller vi våra löften?")
frame = query("commitment_status", sel.params())
if frame.empty:
    st.info("Inga löften för de valda kommunerna under perioden.")
for actor, group in frame.assign(shown=commitments.effective_status(frame)).groupby("actor", sort=False):
    st.subheader(ACTORS[actor])
    for row in group.itertuples():
        st.markdown(f"**{status_badge(row.shown)}** · {row.progress} % · {row.text}")
