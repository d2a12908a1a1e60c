"""The naive reference (`naive.py`) as a Streamlit page, for the browser
benchmark: every incident loaded once per server (cached), then, on every run,
the selection filtered in pandas, the charts counted, and a marker per incident
sent to the browser in folium's HTML. Its scripts come from a CDN, which the
benchmark blocks: the markers are never drawn, so its painted time is a lower bound."""

import os
from dataclasses import replace
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from dashboard import clock, filters
from dashboard.bench import measure, naive

DATA_DIR = Path(os.environ["LAGESBILD_DATA_DIR"])


@st.cache_resource
def incidents(data_dir: Path):
    return naive.load(data_dir)


preset = st.sidebar.selectbox("Period", list(filters.PRESETS)[:3], format_func=filters.PRESETS.get)
start, end = filters.resolve_period(preset, clock.today())
sel = replace(measure.default_selection(DATA_DIR, clock.today()), preset=preset, start=start, end=end)
selected = naive.select(incidents(DATA_DIR), sel)
matrix, per_day = naive.charts(selected)
st.title("Karta (naiv)")
st.write(f"{len(selected):,} händelser")
st.line_chart(per_day)
st.dataframe(matrix)
components.html(naive.map_html(selected), height=600)
