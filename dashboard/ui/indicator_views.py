"""The Indikatorer page's widgets: the overview table, one indicator with a
metric per municipality and its chart, and the pledges' desired effects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import indicators, theme
from dashboard.formatting import escape_markdown, fmt_period
from dashboard.disclosure import Rule
from dashboard.report import html as report_html
from dashboard.ui import cached, navigation, presenter
from dashboard.ui.cached import query
from dashboard.vocab import DIRECTIONS

#: Metric colour of a change by verdict: blue and orange read for colour-blind
#: viewers, and the verdict is always written out beside it as well.
VERDICT_COLORS = {"good": "blue", "bad": "orange"}
METRICS_PER_ROW = 4
#: Columns of the overview on a slide (`indicators.overview_frame`).
SLIDE_COLUMNS = ["Indikator", "Kommun", "Bedömning", "Senaste", "Förändring", "Mål", "Önskad riktning"]


@st.cache_data(max_entries=64, show_spinner=False)
def _trends(params: dict, per_capita: bool, grain: str, rule: Rule, data_state: str) -> indicators.Trends:
    return indicators.load(query, params, per_capita, grain, rule)


def trends(params: dict, per_capita: bool, grain: str, rule: Rule) -> indicators.Trends:
    """`indicators.load` with the app's runner, kept per selection, grain and state of
    the data: opening an expander or a toggle reruns the page without building the series again."""
    return _trends(params, per_capita, grain, rule, cached.data_state())


#: Rows of the overview table on one 1920×1080 screen of a presentation.
OVERVIEW_ROWS_PER_SLIDE = 10


def overview_parts(trends: indicators.Trends) -> int:
    """How many presentation sub-steps the overview table takes."""
    return max(1, -(-len(trends.latest) // OVERVIEW_ROWS_PER_SLIDE))  # overview_frame: a row per latest value


def show_overview(trends: indicators.Trends, names: dict[str, str], part: int | None = None) -> None:
    """Every indicator and municipality in one table, or a note that there is none.
    In a presentation (`part` given) a slice of plain rows, large enough for the room."""
    overview = indicators.overview_frame(trends, names)
    if overview.empty:
        st.info("Inga indikatorvärden för valda kommuner och fokusområden.")
        return
    if part is not None:
        rows = overview.iloc[part * OVERVIEW_ROWS_PER_SLIDE : (part + 1) * OVERVIEW_ROWS_PER_SLIDE]
        st.table(rows[SLIDE_COLUMNS].map(escape_markdown), hide_index=True)
        return
    # HTML, not st.dataframe: the page needs none of the table's large scripts (see style.py for its box).
    st.html(f'<div class="lb-indicators" tabindex="0">{report_html.indicator_table(overview)}</div>')
    if note := trends.population_note(names):
        st.caption(note)


def show_indicator(trends: indicators.Trends, indicator_id: str, names: dict[str, str]) -> None:
    """Direction, unit and source, a metric per municipality, and the chart."""
    meta = trends.catalog.loc[indicator_id]
    st.markdown(
        f"**Önskad riktning: {indicators.direction_text(meta.direction)}** · "
        f"Enhet: {escape_markdown(meta.unit)} · Källa: {escape_markdown(meta.source)}"
    )
    rows = trends.judged(indicator_id)
    for start in range(0, len(rows), METRICS_PER_ROW):
        for col, row in zip(st.columns(METRICS_PER_ROW), rows.iloc[start : start + METRICS_PER_ROW].itertuples()):
            _metric(col, row, names)
    presenter.chart(
        indicators.trend_figure(trends, indicator_id, names, theme.kommun_colors(names)), key=f"trend_{indicator_id}"
    )
    if note := trends.population_note(names, indicator_id):
        st.caption(note)


def _metric(col, row, names: dict[str, str]) -> None:
    change = row.latest - row.previous
    col.metric(
        f"{escape_markdown(names.get(row.kommun_kod, row.kommun_kod))} · {indicators.period_label(row.period_start, row.period_type)}",
        indicators.fmt_value(row.latest, row.unit),
        delta=indicators.change_text(row),
        delta_color=VERDICT_COLORS.get(row.verdict, "gray"),
        delta_arrow="up" if change > 0 else "down" if change < 0 else "off",
    )
    col.markdown(f"**{indicators.verdict_text(row.verdict)}**  \n{indicators.target_text(row)}")


def show_indicators(trends: indicators.Trends, ids: list[str], names: dict[str, str]) -> None:
    """One closed expander per indicator; its metrics and chart are built only while it is open."""
    for indicator_id in ids:
        meta = trends.catalog.loc[indicator_id]
        label = f"{DIRECTIONS[meta.direction][1]} {escape_markdown(meta.name_sv)}"
        with st.expander(label, key=f"ind_open_{indicator_id}", on_change="rerun") as box:
            if box.open:
                show_indicator(trends, indicator_id, names)


def show_effects(trends: indicators.Trends, kommun_kods, names: dict[str, str]) -> None:
    """Each pledge of the selection with its desired effects and how their
    indicators move: the first open, the others built only when opened."""
    selected = set(kommun_kods)
    for i, (pledge_id, effects) in enumerate(trends.effects.groupby("pledge_id", sort=False)):
        pledge = effects.iloc[0]
        covered = [k for k in pledge.kommun_kods if k in selected]
        label = escape_markdown(pledge.title)
        with st.expander(label, expanded=i == 0, key=f"ind_pledge_{pledge_id}", on_change="rerun") as box:
            if not box.open:
                continue
            st.caption(
                f"{fmt_period(pd.Timestamp(pledge.period_start).date(), pd.Timestamp(pledge.period_end).date())} · "
                + escape_markdown(", ".join(names.get(k, k) for k in pledge.kommun_kods))
            )
            for effect in effects.itertuples():
                _show_effect(trends, effect, covered, names)


def _show_effect(trends: indicators.Trends, effect, covered: list[str], names: dict[str, str], link: bool = True) -> None:
    judged = trends.judged(effect.indicator_id, covered)
    name = trends.catalog.name_sv.get(effect.indicator_id, effect.indicator_id)
    source = f" (uppföljning: {escape_markdown(effect.follow_up_source)})" if effect.follow_up_source else ""
    lines = [
        f"- {escape_markdown(names.get(r.kommun_kod, r.kommun_kod))}: {indicators.status_line(r)}" for r in judged.itertuples()
    ] or ["- Inga värden ännu för löftets kommuner."]
    text, follow = st.columns([3, 2]) if link else (st.container(), st.container())
    text.markdown(escape_markdown(effect.text))
    follow.markdown(f"Följs med **{escape_markdown(name)}**{source}\n" + "\n".join(lines))
    if link:
        follow.page_link(
            navigation.page("indikatorer"),
            label="Visa diagrammet",
            icon=":material/show_chart:",
            query_params={"indikator": effect.indicator_id},
        )


def effect_slides(trends: indicators.Trends) -> list[tuple]:
    """A presentation's sub-steps for the desired effects: (pledge, effect) rows, one effect each."""
    return [(effects.iloc[0], effect) for _, effects in trends.effects.groupby("pledge_id", sort=False) for effect in effects.itertuples()]


def show_effect_slide(trends: indicators.Trends, pledge, effect, kommun_kods, names: dict[str, str]) -> None:
    """One desired effect on the wall: the pledge, the effect and how its indicator moves, beside its chart."""
    covered = [k for k in pledge.kommun_kods if k in set(kommun_kods)]
    st.header(f"Önskad effekt · {escape_markdown(pledge.title)}")
    text, chart = st.columns([2, 3])
    with text:
        _show_effect(trends, effect, covered, names, link=False)
    with chart:
        if effect.indicator_id in trends.catalog.index and not trends.judged(effect.indicator_id, covered).empty:
            presenter.chart(
                indicators.trend_figure(trends, effect.indicator_id, names, theme.kommun_colors(names)),
                key=f"effect_{effect.Index}",
            )
