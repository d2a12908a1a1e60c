"""Karta: where and when incidents concentrate, and how that changed."""

import streamlit as st

from dashboard import areas, basemap, hotspots, html_charts
from dashboard.config import settings
from dashboard.ui import filter_bar, map_view, presenter, text
from dashboard.ui.cached import query

rule, params = filter_bar.rule(), filter_bar.floored().params
presenting = presenter.presenting()
slide = presenter.slides(["Karta och platser", "Veckodag och timme"])
# What the page's own controls do not change: read on a full run only.
category_choices = hotspots.category_options(query("incident_categories", params), rule)
places = query("hotspot_places", params)
tiles = basemap.current(settings(), map_view.base_path())


def metrics(hs, n_now, n_before) -> list:
    """The metrics of a clicked cell or area (the period before only when comparing); the columns left over."""
    now, before, *rest = st.columns(2 if presenting else [1, 1, 3])
    now.metric("Under vald period", rule.text(n_now))
    if hs.compare:
        before.metric("Föregående period", rule.text(n_before))
    return rest


def area_details(hs, scan, local, area) -> hotspots.Hotspots:
    """The clicked area's counts; returns what the weekday and hour charts count: its incidents."""
    st.subheader(f"Valt område: {text.inert(area['name'])}")
    metrics(hs, area.n_now, area.n_before)
    return hotspots.load_area(query, hs, scan, local, area.area_id)


def cell_details(hs, scan, local, cell) -> None:
    """The clicked cell's counts and categories; off the wall its hours too, and in internal mode its incidents."""
    key = (int(cell.cell_row), int(cell.cell_col))
    detail = hotspots.load_cell(query, hs, scan, local, key)
    st.subheader(f"Vald ruta: {text.inert(hotspots.place_name(cell.lat, cell.lon, places))}")
    rest = metrics(hs, cell.n_now, cell.n_before)
    categories = hotspots.category_table(detail)
    categories = categories if hs.compare else categories.drop(columns="Före")
    if presenting:  # beside the map, which must not scroll: the largest categories only
        text.table(categories.head(3))
    else:
        text.table(categories, rest[0], max_height=240)
        presenter.drawing(html_charts.hour_bars(hotspots.hour_counts(detail), rule.base))
    incidents = hotspots.incidents_in_cell(query, hs, scan, local, key)
    if incidents is not None:
        st.markdown(f"**Senaste enskilda händelser** (högst {hotspots.INCIDENT_LIST_LIMIT}, bara i internt läge)")
        text.dataframe(incidents, hide_index=True)
    else:
        st.caption("Enskilda händelser visas bara i internt läge.")


def top_list(hs, area_counts, by_area: bool) -> None:
    st.subheader("Största områdena" if by_area else "Största platserna")
    top = areas.top_table(area_counts) if by_area else hotspots.top_table(hs, places)
    top = top if hs.compare else top.drop(columns=hotspots.BEFORE_COLUMNS)
    text.table(top)


@st.fragment
def karta() -> None:
    """The page's own controls, the map and what depends on them: changing one
    of those, or clicking the map, reruns this function only, not the frame
    around the page or the queries above."""
    title, narrow = st.columns([4, 1], vertical_alignment="bottom")
    title.title("Var och när?")
    # In a presentation the map comes first: the narrowing choices fold into one button.
    choices = narrow.popover("Avgränsa", width="stretch") if presenting else st.container()
    if not presenting:
        filter_bar.disclosure_caption()

    kategori, jamfor = choices.columns([3, 2], vertical_alignment="bottom")
    categories = kategori.multiselect(
        "Kategori", category_choices, key="karta_kategori", placeholder="Alla kategorier"
    )  # fmt: skip
    compare = jamfor.toggle("Jämför med föregående period", key="karta_jamfor")
    timmar, dagar = choices.columns([9, 7])
    day_options = hotspots.day_options(rule)
    hour_options = list(hotspots.hour_options(rule))
    bands = timmar.pills("Tid på dygnet", hour_options, selection_mode="multi", key="karta_timmar")
    days = dagar.pills("Veckodag", list(day_options), selection_mode="multi", key="karta_dagar")
    weekdays = tuple(d for name in days for d in day_options[name])
    local = hotspots.LocalFilter(tuple(categories), tuple(bands), weekdays)

    scan = hotspots.scanned(params, compare)
    hs = hotspots.load(query, scan, local, compare, rule)
    area_counts = areas.load(query, hs, scan, local)
    by_area = bool(len(area_counts.areas)) and choices.segmented_control(
        "Visa", ["Rutnät", "Områden"], default="Rutnät", key="karta_visa", label_visibility="collapsed"
    ) == "Områden"  # fmt: skip
    charted = hs
    if presenter.shows(slide, 0):
        st.caption(hotspots.coverage_text(hs))
        map_column, table_column = st.columns([4, 3])
        with map_column:
            clicked = map_view.show(hs, tiles, area_counts if by_area else None)
        # A click survives reruns and filter changes (the map itself starts afresh on those).
        if clicked:
            st.session_state["karta_punkt"] = clicked
        point = st.session_state.get("karta_punkt")
        area = areas.area_at(area_counts, point) if by_area else None
        cell = None if by_area else hotspots.cell_at(hs, point)
        # In a presentation the details take the top list's place beside the map: the slide must not scroll.
        beside = presenting and (area is not None or cell is not None)
        if not beside:
            with table_column:
                top_list(hs, area_counts, by_area)
        with table_column if beside else st.container():
            if area is not None:
                charted = area_details(hs, scan, local, area)
            elif cell is not None:
                cell_details(hs, scan, local, cell)
            elif by_area and not presenting:
                st.info("Klicka på ett område på kartan för att se dess veckodagar, timmar och trend.")
            elif not presenting:
                st.info("Klicka på en ruta på kartan för att se dess händelser per kategori och timme.")

    if presenter.shows(slide, 1):
        matrix, trend = st.columns(2)
        with matrix:
            st.subheader("Veckodag och timme")
            st.html(html_charts.heat_table(hotspots.time_matrix(charted)))
        with trend:
            st.subheader("Händelser per vecka")
            now, before = hotspots.weekly_totals(charted, params)
            presenter.drawing(html_charts.weekly_trend(now, before if compare else None, rule.base, presenting))
            st.caption(hotspots.trend_caption(rule, compare))


karta()
