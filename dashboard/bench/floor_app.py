"""The floor of the browser benchmark: the least a Streamlit page costs to
open and to rerun after a filter change (a period chosen in the sidebar, as
on the app's pages), on the same machine in the same run."""

import streamlit as st

from dashboard.filters import PRESETS

st.write(st.sidebar.selectbox("Period", list(PRESETS.values())))
