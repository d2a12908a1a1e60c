"""Indikatorer: is it working, judged against each desired effect."""

import streamlit as st

from dashboard import filter_bar
from dashboard.cached import query
from dashboard.indicators import VERDICTS, verdict

sel = filter_bar.current()
st.title("Fungerar det?")
latest = query("indicator_latest", sel.params())
for row in latest.itertuples():
    label, symbol = VERDICTS[verdict(row.direction, row.latest, row.previous)]
    st.markdown(f"**{row.name_sv}** ({row.kommun_kod}): {row.latest} · {symbol} {label}")
