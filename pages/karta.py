"""Karta: where and when incidents concentrate, and how that changed."""

import streamlit as st

from dashboard import areas, basemap, charts, hotspots
from dashboard.config import settings
from dashboard.formatting import escape_markdown
from dashboard.theme import PLOTLY_CONFIG
from dashboard.ui import filter_bar, map_view
from dashboard.ui.cached import query

#: Pixel widths that keep the count columns whole beside a long place name.
COUNT_WIDTHS = {"Nu": 70, "Före": 70, "Förändring": 110}

rule, params = filter_bar.rule(), filter_bar.floored().params
cfg = settings()
st.title("Var och när?")
filter_bar.disclosure_caption()

kategori, jamfor = st.columns([3, 2], vertical_alignment="bottom")
categories = kategori.multiselect(
    "Kategori", hotspots.category_options(query("incident_categories", params), rule),
    key="karta_kategori", placeholder="Alla kategorier",
)  # fmt: skip
compare = jamfor.toggle("Jämför med föregående period", key="karta_jamfor")
timmar, dagar = st.columns([9, 7])
day_options = hotspots.day_options(rule)
bands = timmar.pills("Tid på dygnet", list(hotspots.hour_options(rule)), selection_mode="multi", key="karta_timmar")
days = dagar.pills("Veckodag", list(day_options), selection_mode="multi", key="karta_dagar")
weekdays = tuple(d for name in days for d in day_options[name])
local = hotspots.LocalFilter(tuple(categories), tuple(bands), weekdays)

hs = hotspots.load(query, params, local, compare, rule)
places = query("hotspot_places", params)
counts = areas.load(query, hs, params, local)
by_area = bool(len(counts.areas)) and st.segmented_control(
    "Visa", ["Rutnät", "Områden"], default="Rutnät", key="karta_visa", label_visibility="collapsed"
) == "Områden"  # fmt: skip
st.caption(hotspots.coverage_text(hs))

map_column, table_column = st.columns([4, 3])
with map_column:
    clicked = map_view.show(map_view.build_map(hs, basemap.current(cfg), counts if by_area else None))
with table_column:
    widths = {name: st.column_config.TextColumn(width=px) for name, px in COUNT_WIDTHS.items()}
    if by_area:
        st.subheader("Största områdena")
        st.dataframe(areas.top_table(counts), hide_index=True, column_config=widths)
    else:
        st.subheader("Största platserna")
        st.dataframe(hotspots.top_table(hs, places), hide_index=True, column_config=widths)

# A click survives reruns and filter changes (the map itself starts afresh on those).
if clicked:
    st.session_state["karta_punkt"] = clicked
point = st.session_state.get("karta_punkt")
area = areas.area_at(counts, point) if by_area else None
cell = None if by_area else hotspots.cell_at(hs, point)
charted = hs
if by_area and area is None:
    st.info("Klicka på ett område på kartan för att se dess veckodagar, timmar och trend.")
elif by_area:
    charted = hotspots.load_area(query, hs, params, local, area.area_id)
    st.subheader(f"Valt område: {escape_markdown(area['name'])}")
    now, before, _ = st.columns([1, 1, 3])
    now.metric("Under vald period", rule.text(area.n_now))
    before.metric("Föregående period", rule.text(area.n_before))
elif cell is None:
    st.info("Klicka på en ruta på kartan för att se dess händelser per kategori och timme.")
else:
    key = (int(cell.cell_row), int(cell.cell_col))
    detail = hotspots.load_cell(query, hs, params, local, key)
    st.subheader(f"Vald ruta: {escape_markdown(hotspots.place_name(cell.lat, cell.lon, places))}")
    now, before, categories_column = st.columns([1, 1, 3])
    now.metric("Under vald period", rule.text(cell.n_now))
    before.metric("Föregående period", rule.text(cell.n_before))
    categories_column.dataframe(hotspots.category_table(detail), hide_index=True, height=240)
    st.plotly_chart(charts.hour_bars(hotspots.hour_counts(detail)), config=PLOTLY_CONFIG)
    incidents = hotspots.incidents_in_cell(query, hs, params, local, key)
    if incidents is not None:
        st.markdown(f"**Senaste enskilda händelser** (högst {hotspots.INCIDENT_LIST_LIMIT}, bara i internt läge)")
        st.dataframe(incidents, hide_index=True)
    else:
        st.caption("Enskilda händelser visas bara i internt läge.")

matrix, trend = st.columns(2)
with matrix:
    st.subheader("Veckodag och timme")
    st.plotly_chart(charts.weekday_hour(hotspots.time_matrix(charted)), config=PLOTLY_CONFIG)
with trend:
    st.subheader("Händelser per vecka")
    weekly = hotspots.weekly_trend(charted, params)
    st.plotly_chart(charts.weekly_trend(weekly, rule.coarse_time), config=PLOTLY_CONFIG)
    st.caption(hotspots.trend_caption(rule))
