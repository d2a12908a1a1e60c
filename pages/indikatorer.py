"""Indikatorer: is it working, judged against each pledge's desired effect."""

import streamlit as st

from dashboard import indicators
from dashboard.derived_indicators import GRAINS
from dashboard.ui import access, effect_forms, filter_bar, indicator_import, indicator_views, presenter, text
from dashboard.ui.cached import query

sel, rule = filter_bar.current(), filter_bar.rule()
options = filter_bar.options()
names = options.kommun_names

presenting = presenter.presenting()


@st.fragment
def indikatorer() -> None:
    """The whole page below the frame: its own controls (per capita, the grain,
    the toggle and the expanders) rerun this function only, not the frame. Its
    sub-steps in a presentation follow what it shows, so they are declared here."""
    title, settings = st.columns([4, 1], vertical_alignment="bottom")
    title.title("Fungerar det?")
    if presenting:  # the wall shows the effects; the choices fold into one button
        left = right = settings.popover("Visning", width="stretch")
    else:
        filter_bar.disclosure_caption()
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
    trends = indicator_views.trends(filter_bar.floored().params, per_capita, grain, rule)
    linked = st.query_params.get("indikator")
    order = indicators.display_order(trends, linked)

    # In a presentation: the linked indicator, each desired effect, then the overview in parts.
    effects = indicator_views.effect_slides(trends) if presenting else []
    starred = linked in order
    overview_parts = indicator_views.overview_parts(trends) if presenting else 0
    slide = presenter.slides(
        ["Länkad indikator"] * starred
        + [f"Önskad effekt {n}" for n in range(1, len(effects) + 1)]
        + [f"Alla indikatorer {n}/{overview_parts}" if overview_parts > 1 else "Alla indikatorer"
           for n in range(1, overview_parts + 1)]
    )
    if slide is not None:
        slide -= starred
        if 0 <= slide < len(effects):
            indicator_views.show_effect_slide(trends, *effects[slide], sel.kommun_kods, names)
        elif slide >= len(effects):
            st.header("Alla indikatorer i korthet")
            indicator_views.show_overview(trends, names, part=slide - len(effects))

    if presenter.shows(slide, -1) and linked in order:
        with st.container(border=True):
            st.header(f"★ {text.inert(trends.catalog.name_sv[linked])}")
            st.caption("Visas först eftersom länken pekade hit.")
            indicator_views.show_indicator(trends, linked, names)
    elif slide is None and linked in indicators.known_ids(query):
        st.info("Indikatorn i länken har inga värden för valda kommuner och fokusområden.")
    elif slide is None and linked:
        st.warning("Länken pekar på en indikator som inte finns.")

    if slide is None:
        st.header("Alla indikatorer i korthet")
        indicator_views.show_overview(trends, names)

        if not trends.effects.empty:
            st.header("Löftenas önskade effekter")
            indicator_views.show_effects(trends, sel.kommun_kods, names)

        own, rest = indicators.pledges_own(trends, [i for i in order if i != linked])
        if own:
            st.header("Löftets indikatorer")
            indicator_views.show_indicators(trends, own, names)
        # The rest is folded away behind a toggle (indicator expanders cannot sit inside an expander).
        shown = not own or st.toggle(f"Visa övriga indikatorer ({len(rest)})", key="ind_rest") if rest else False
        imported, derived = indicators.by_kind(trends, rest if shown else [])
        if imported:
            st.header("Utveckling per indikator")
            indicator_views.show_indicators(trends, imported, names)
        if derived:
            st.header("Från händelserna")
            st.caption(
                f"Räknat direkt ur händelsetabellen per {GRAINS[grain].lower()}; bara hela perioder fram till "
                "urvalets slutdatum. Ingen import behövs."
                + ("" if rule.exact else f" Antal som visas som ”{rule.fewer}” är luckor i linjen.")
            )
            indicator_views.show_indicators(trends, derived, names)

        if access.can_edit():
            with st.expander("Ny eller rättad indikator", icon=":material/monitoring:", key="ind_form", on_change="rerun") as box:
                if box.open:  # built when opened: a closed form still costs the page its scripts
                    effect_forms.indicator_form(query("indicator_definitions"), options)
            st.header("Importera indikatorvärden")
            indicator_import.show_form()


indikatorer()
