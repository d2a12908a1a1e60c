"""Indikatorer: is it working, judged against each pledge's desired effect."""

import pandas as pd
import streamlit as st

from dashboard import import_indicators, indicators, theme
from dashboard.config import settings
from dashboard.derived_indicators import GRAINS
from dashboard.formatting import escape_markdown, fmt_number, fmt_period
from dashboard.ui import access, filter_bar, navigation
from dashboard.ui.cached import clear_after_write, data_dir
from dashboard.validation import ImportRejected
from dashboard.vocab import DIRECTIONS

#: Metric colour of a change by verdict: blue and orange read for colour-blind
#: viewers, and the verdict is always written out beside it as well.
VERDICT_COLORS = {"good": "blue", "bad": "orange"}
METRICS_PER_ROW = 4

sel = filter_bar.current()
names = filter_bar.options().kommun_names
colors = theme.kommun_colors(names)

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
)
public = access.mode() == "public"
trends = indicators.load(sel.params(), per_capita, grain or "quarter", settings().min_count if public else 0)
linked = st.query_params.get("indikator")
order = indicators.display_order(trends, linked)


def show_indicator(indicator_id: str) -> None:
    meta = trends.catalog.loc[indicator_id]
    st.markdown(
        f"**Önskad riktning: {indicators.direction_text(meta.direction)}** · "
        f"Enhet: {escape_markdown(meta.unit)} · Källa: {escape_markdown(meta.source)}"
    )
    rows = trends.judged(indicator_id)
    for start in range(0, len(rows), METRICS_PER_ROW):
        for col, row in zip(st.columns(METRICS_PER_ROW), rows.iloc[start : start + METRICS_PER_ROW].itertuples()):
            change = row.latest - row.previous
            col.metric(
                f"{names.get(row.kommun_kod, row.kommun_kod)} · {indicators.period_label(row.period_start, row.period_type)}",
                indicators.fmt_value(row.latest, row.unit),
                delta=indicators.change_text(row),
                delta_color=VERDICT_COLORS.get(row.verdict, "gray"),
                delta_arrow="up" if change > 0 else "down" if change < 0 else "off",
            )
            col.markdown(f"**{indicators.verdict_text(row.verdict)}**  \n{indicators.target_text(row)}")
    st.plotly_chart(
        indicators.trend_figure(trends, indicator_id, names, colors),
        config=theme.PLOTLY_CONFIG,
        key=f"trend_{indicator_id}",
    )


def show_indicators(ids: list[str], open_first: bool) -> None:
    """One expander per indicator; its chart is built only while it is open."""
    for indicator_id in ids:
        meta = trends.catalog.loc[indicator_id]
        label = f"{DIRECTIONS[meta.direction][1]} {escape_markdown(meta.name_sv)}"
        opened = open_first and indicator_id == ids[0]
        with st.expander(label, expanded=opened, key=f"ind_open_{indicator_id}", on_change="rerun") as box:
            if box.open:
                show_indicator(indicator_id)


def show_effects() -> None:
    kommuner = set(sel.kommun_kods)
    for _, effects in trends.effects.groupby("pledge_id", sort=False):
        pledge = effects.iloc[0]
        covered = [k for k in pledge.kommun_kods if k in kommuner]
        with st.container(border=True):
            st.subheader(escape_markdown(pledge.title))
            st.caption(
                f"{fmt_period(pd.Timestamp(pledge.period_start).date(), pd.Timestamp(pledge.period_end).date())} · "
                + ", ".join(names.get(k, k) for k in pledge.kommun_kods)
            )
            for effect in effects.itertuples():
                show_effect(effect, covered)


def show_effect(effect, covered: list[str]) -> None:
    judged = trends.judged(effect.indicator_id, covered)
    name = trends.catalog.name_sv.get(effect.indicator_id, effect.indicator_id)
    source = f" (uppföljning: {escape_markdown(effect.follow_up_source)})" if effect.follow_up_source else ""
    lines = [
        f"- {escape_markdown(names.get(r.kommun_kod, r.kommun_kod))}: {indicators.status_line(r)}" for r in judged.itertuples()
    ] or ["- Inga värden ännu för löftets kommuner."]
    text, follow = st.columns([3, 2])
    text.markdown(escape_markdown(effect.text))
    follow.markdown(f"Följs med **{escape_markdown(name)}**{source}\n" + "\n".join(lines))
    follow.page_link(
        navigation.page("indikatorer"),
        label="Visa diagrammet",
        icon=":material/show_chart:",
        query_params={"indikator": effect.indicator_id},
    )


def show_problems(problems) -> None:
    st.markdown("\n".join(f"- {escape_markdown(p.swedish())}" for p in problems[:50]))


def show_outcome(result, report: bytes | None, name: str) -> None:
    written = "värde importerat" if result.written == 1 else "värden importerade"
    st.success(f"{fmt_number(result.written)} {written}, {fmt_number(result.unchanged)} fanns redan.")
    if result.rejected:
        st.warning(f"{fmt_number(len(result.rejected))} fel: raderna med fel hoppades över.")
        show_problems(result.rejected)
        st.download_button("Hämta de avvisade raderna (CSV)", report, file_name=f"avvisade-{name}.csv")


def show_import() -> None:
    outcome = st.session_state.pop("ind_import_outcome", None)
    if outcome:
        show_outcome(*outcome)
    with st.form("indicator_import", clear_on_submit=True):
        upload = st.file_uploader(
            "Fil i långt format: indikator, kommun, period, värde och (valfritt) mål",
            type=["csv", "xlsx", "parquet"],
        )
        skip = st.checkbox("Importera giltiga rader och hoppa över felaktiga")
        submitted = st.form_submit_button("Importera", type="primary")
    if not submitted:
        return
    if upload is None:
        st.warning("Välj en fil först.")
        return
    try:
        result, report = import_indicators.import_upload(
            upload.name, upload.getvalue(), data_dir(), access.author(), skip
        )
    except PermissionError:
        st.error("Du har inte behörighet att importera indikatorvärden.")
        return
    except ImportRejected as exc:
        st.error(f"Inget importerades: {fmt_number(len(exc.problems))} fel i filen.")
        show_problems(exc.problems)
        return
    clear_after_write()
    st.session_state["ind_import_outcome"] = (result, report, upload.name)
    st.rerun()  # so that everything above shows the new values


if linked in order:
    with st.container(border=True):
        st.header(f"★ {trends.catalog.name_sv[linked]}")
        st.caption("Visas först eftersom länken pekade hit.")
        show_indicator(linked)
elif linked in indicators.known_ids():
    st.info("Indikatorn i länken har inga värden för valda kommuner och fokusområden.")
elif linked:
    st.warning("Länken pekar på en indikator som inte finns.")

st.header("Alla indikatorer i korthet")
overview = indicators.overview_frame(trends, names)
if overview.empty:
    st.info("Inga indikatorvärden för valda kommuner och fokusområden.")
else:
    st.dataframe(
        overview,
        column_order=indicators.OVERVIEW_ORDER,
        column_config=indicators.OVERVIEW_COLUMNS,
        hide_index=True,
        height=min(38 * (len(overview) + 1) + 3, 560),
    )

if not trends.effects.empty:
    st.header("Löftenas önskade effekter")
    show_effects()

imported = [i for i in order if not trends.catalog.derived[i] and i != linked]
derived = [i for i in order if trends.catalog.derived[i] and i != linked]
if imported:
    st.header("Utveckling per indikator")
    show_indicators(imported, open_first=linked not in order)
if derived:
    st.header("Från händelserna")
    st.caption(
        f"Räknat direkt ur händelsetabellen per {GRAINS[grain or 'quarter'].lower()}; bara hela perioder fram till "
        "urvalets slutdatum. Ingen import behövs."
        + (f" Antal under {settings().min_count} visas inte (luckor)." if public else "")
    )
    show_indicators(derived, open_first=False)

if access.can_edit():
    st.header("Importera indikatorvärden")
    show_import()
