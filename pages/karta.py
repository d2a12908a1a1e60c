"""Karta: where and when incidents concentrate, and how that changed."""

import streamlit as st

from dashboard import charts, hotspots
from dashboard.config import settings
from dashboard.formatting import escape_markdown, fmt_number
from dashboard.theme import PLOTLY_CONFIG
from dashboard.ui import filter_bar, map_view
from dashboard.ui.cached import query
from dashboard.vocab import WEEKDAYS_SV

#: Pixel widths that keep the count columns whole beside a long place name.
COUNT_WIDTHS = {"Nu": 70, "Före": 70, "Förändring": 110}

sel = filter_bar.current()
params = sel.params()
cfg = settings()
st.title("Var och när?")

kategori, jamfor = st.columns([3, 2], vertical_alignment="bottom")
k = hotspots.smallest_shown_count()
categories = kategori.multiselect(
    "Kategori", hotspots.category_options(query("incident_categories", params), k),
    key="karta_kategori", placeholder="Alla kategorier",
)  # fmt: skip
compare = jamfor.toggle("Jämför med föregående period", key="karta_jamfor")
timmar, dagar = st.columns([9, 7])
bands = timmar.pills("Tid på dygnet", list(hotspots.HOUR_BANDS), selection_mode="multi", key="karta_timmar")
days = dagar.pills(
    "Veckodag", range(7), format_func=lambda d: WEEKDAYS_SV[d][:3].capitalize(), selection_mode="multi",
    key="karta_dagar",
)  # fmt: skip
local = hotspots.LocalFilter(tuple(categories), tuple(bands), tuple(days))

hs = hotspots.load(query, params, local, compare, k)
places = query("hotspot_places", params)
st.caption(hotspots.coverage_text(hs))

map_column, table_column = st.columns([4, 3])
with map_column:
    clicked = map_view.show(map_view.build_map(hs, cfg.tiles_url, cfg.tiles_attribution))
with table_column:
    st.subheader("Största platserna")
    widths = {name: st.column_config.TextColumn(width=px) for name, px in COUNT_WIDTHS.items()}
    st.dataframe(hotspots.top_table(hs, places), hide_index=True, column_config=widths)

# A click survives reruns and filter changes (the map itself starts afresh on those).
if clicked:
    st.session_state["karta_punkt"] = clicked
cell = hotspots.cell_at(hs, st.session_state.get("karta_punkt"))
if cell is None:
    st.info("Klicka på en ruta på kartan för att se dess händelser per kategori och timme.")
else:
    key = (int(cell.cell_row), int(cell.cell_col))
    detail = hotspots.load_cell(query, hs, params, local, key)
    st.subheader(f"Vald ruta: {escape_markdown(hotspots.place_name(cell.lat, cell.lon, places))}")
    now, before, categories_column = st.columns([1, 1, 3])
    now.metric("Under vald period", fmt_number(cell.n_now))
    before.metric("Föregående period", fmt_number(cell.n_before))
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
    st.plotly_chart(charts.weekday_hour(hotspots.weekday_hour_counts(hs)), config=PLOTLY_CONFIG)
with trend:
    st.subheader("Händelser per vecka")
    st.plotly_chart(charts.weekly_trend(*hotspots.weekly_totals(hs, params)), config=PLOTLY_CONFIG)
    st.caption("Antal per hel vecka. Vecka 1 börjar periodens första dag; föregående period ligger på samma axel.")
