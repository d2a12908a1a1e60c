"""Karta: where and when incidents concentrate."""

import streamlit as st

from dashboard import charts, filter_bar
from dashboard.cached import query
from dashboard.theme import PLOTLY_CONFIG

sel = filter_bar.current()
st.title("Var och när?")
st.subheader("Veckodag och timme")
st.plotly_chart(charts.weekday_hour(query("weekday_hour", sel.params())), config=PLOTLY_CONFIG)
