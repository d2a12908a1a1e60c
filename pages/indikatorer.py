"""Indikatorer: is it working, judged against each pledge's desired effect."""

import streamlit as st

from dashboard import hotspots, indicators
from dashboard.derived_indicators import GRAINS
from dashboard.ui import access, filter_bar, indicator_import, indicator_views
from dashboard.ui.cached import query

sel = filter_bar.current()
names = filter_bar.options().kommun_names

st.title("Fungerar det?")
st.caption(
    "Varje indikator bedöms mot sin önskade riktning: senaste värdet mot det förra och mot målet. "
    "Perioder utan värde visas som luckor i linjen, aldrig som noll. Skuggat fält = löftesperiod."
)
left, right = st.columns(2)
per_capita = left.toggle(
    "Antal per 100 000 invånare",
    key="ind_per_capita",
    help="Räknade antal (t.ex. händelser) delas med kommunens folkmängd så att kommuner av olika storlek "
    "kan jämföras. Andelar och värden som redan anges per 100 000 invånare visas som de är.",
)
grain = right.segmented_control(
    "Händelser räknas per", list(GRAINS), format_func=GRAINS.get, default="quarter", key="ind_grain"
) or "quarter"
k = hotspots.smallest_shown_count()
trends = indicators.load(query, sel.params(), per_capita, grain, k)
linked = st.query_params.get("indikator")
order = indicators.display_order(trends, linked)

if linked in order:
    with st.container(border=True):
        st.header(f"★ {trends.catalog.name_sv[linked]}")
        st.caption("Visas först eftersom länken pekade hit.")
        indicator_views.show_indicator(trends, linked, names)
elif linked in indicators.known_ids(query):
    st.info("Indikatorn i länken har inga värden för valda kommuner och fokusområden.")
elif linked:
    st.warning("Länken pekar på en indikator som inte finns.")

st.header("Alla indikatorer i korthet")
indicator_views.show_overview(trends, names)

if not trends.effects.empty:
    st.header("Löftenas önskade effekter")
    indicator_views.show_effects(trends, sel.kommun_kods, names)

own, rest = indicators.pledges_own(trends, [i for i in order if i != linked])
if own:
    st.header("Löftets indikatorer")
    indicator_views.show_indicators(trends, own, names, open_first=linked not in order)
# The rest is folded away behind a toggle (indicator expanders cannot sit inside an expander).
shown = not own or st.toggle(f"Visa övriga indikatorer ({len(rest)})", key="ind_rest") if rest else False
imported, derived = indicators.by_kind(trends, rest if shown else [])
if imported:
    st.header("Utveckling per indikator")
    indicator_views.show_indicators(trends, imported, names, open_first=not own and linked not in order)
if derived:
    st.header("Från händelserna")
    st.caption(
        f"Räknat direkt ur händelsetabellen per {GRAINS[grain].lower()}; bara hela perioder fram till "
        "urvalets slutdatum. Ingen import behövs."
        + (f" Antal under {k} visas inte (luckor)." if k > 1 else "")
    )
    indicator_views.show_indicators(trends, derived, names, open_first=False)

if access.can_edit():
    st.header("Importera indikatorvärden")
    indicator_import.show_form()
