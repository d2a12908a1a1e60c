"""The editors' forms for what a pledge is judged by: a desired effect (önskad
effekt) with the indicator that follows it up, an indicator's definition (with
the source's own ids, such as a Kolada KPI), and kommuner added to a pledge.

They save like the pledge forms (`pledge_forms.save_record` / `submit`):
through `follow_up` as this session's author, a Swedish message under the form,
and what was typed kept when the save fails.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import commitments, follow_up, geography, records
from dashboard.ui import pledge_forms
from dashboard.ui.filter_bar import Options
from dashboard.vocab import DIRECTIONS, PERIOD_LABELS, PERIOD_TYPES

EFFECT_FIELDS = ("pledge_id", "text", "indicator_id", "follow_up_source")
INDICATOR_FIELDS = ("name_sv", "unit", "direction", "source", "source_ids", "focus_area", "period_type", "per_capita")
NO_PLEDGE = "Visa ett löfte först (välj kommun och period, eller visa tidigare löften)."


def _index(options: list, value) -> int | None:
    return options.index(value) if value in options else None


def _choose(label: str, new: str, rows: pd.DataFrame, id_column: str, texts: pd.Series, key: str):
    """A selectbox of '＋ new' and the `rows` to correct: (the id chosen or None, its row or {})."""
    choices = {None: new} | dict(zip(rows[id_column], texts))
    chosen = st.selectbox(label, list(choices), format_func=choices.get, key=key)
    return chosen, rows.set_index(id_column).loc[chosen] if chosen else {}


def _save_button(label: str, prefix: str, id_column: str, record_id, fields: tuple[str, ...], success: str, write):
    st.form_submit_button(
        label, type="primary", on_click=pledge_forms.save_record,
        args=(prefix, id_column, record_id, fields, success, write),
    )  # fmt: skip


def effect_form(data: commitments.Pledges, indicators: dict[str, str]) -> None:
    """Create a desired effect of one of the pledges shown, or correct one of theirs."""
    pledges, effects = data.pledges, data.effects
    if pledges.empty:
        st.caption(NO_PLEDGE)
        return
    texts = effects["text"].map(commitments.short)
    eid, old = _choose("Önskad effekt", "＋ Ny önskad effekt", effects, "effect_id", texts, "e_choice")
    titles = dict(zip(pledges["pledge_id"], pledges["title"]))
    pledge_ids, indicator_ids = list(titles), list(indicators)
    key = f"e_{eid}"
    with st.form(f"{key}_form"):
        pledge_index = _index(pledge_ids, old.get("pledge_id")) or 0
        st.selectbox("Löfte", pledge_ids, pledge_index, format_func=titles.get, key=f"{key}_pledge_id")
        st.text_area("Önskad effekt", value=old.get("text", ""), max_chars=records.MAX_TEXT, key=f"{key}_text")
        st.selectbox(
            "Följs upp med indikatorn", indicator_ids, _index(indicator_ids, old.get("indicator_id")),
            format_func=indicators.get, placeholder="Välj indikator (ny indikator: formuläret ovan)",
            key=f"{key}_indicator_id",
        )  # fmt: skip
        source = old.get("follow_up_source") or ""
        st.text_input("Uppföljning genom (t.ex. Trygghetsmätning)", value=source, key=f"{key}_follow_up_source")
        success = "Den önskade effekten är sparad."
        _save_button("Spara effekten", "e", "effect_id", eid, EFFECT_FIELDS, success, follow_up.save_effect)
    pledge_forms.show_message("e_msg")


def indicator_form(definitions: pd.DataFrame, opts: Options) -> None:
    """Define a new indicator or correct one of `definitions` (rows of indicator_definitions)."""
    names = definitions["name_sv"]
    iid, old = _choose("Indikator", "＋ Ny indikator", definitions, "indicator_id", names, "i_choice")
    key = f"i_{iid}"
    directions, focus, periods = list(DIRECTIONS), [None, *opts.focus_names], list(PERIOD_TYPES)
    with st.form(f"{key}_form"):
        st.text_input("Namn", value=old.get("name_sv", ""), key=f"{key}_name_sv")
        left, right = st.columns(2)
        unit_label = "Enhet (t.ex. antal, andel (%), antal/100 000 inv.)"
        left.text_input(unit_label, value=old.get("unit", ""), key=f"{key}_unit")
        right.selectbox(
            "Önskad riktning", directions, directions.index(old.get("direction", "increase")),
            format_func=lambda d: f"{DIRECTIONS[d][1]} {DIRECTIONS[d][0]}", key=f"{key}_direction",
        )  # fmt: skip
        source_label = "Källa (t.ex. Kolada, Brå, kommunens statistik)"
        left.text_input(source_label, value=old.get("source", ""), key=f"{key}_source")
        ids_label = "Källans id (t.ex. kolada:N07403; flera med kommatecken)"
        right.text_input(ids_label, value=", ".join(old.get("source_ids", ())), key=f"{key}_source_ids")
        left.selectbox(
            "Fokusområde", focus, _index(focus, old.get("focus_area")) or 0,
            format_func=lambda f: opts.focus_names.get(f, "Inget särskilt"), key=f"{key}_focus_area",
        )  # fmt: skip
        period = periods.index(old.get("period_type", "year"))
        right.selectbox("Värden per", periods, period, format_func=PERIOD_LABELS.get, key=f"{key}_period_type")
        per_capita = bool(old.get("per_capita", False))
        st.checkbox("Värdena anges per 100 000 invånare", value=per_capita, key=f"{key}_per_capita")
        success = "Indikatorn är sparad."
        _save_button("Spara indikatorn", "i", "indicator_id", iid, INDICATOR_FIELDS, success, follow_up.save_indicator)
    pledge_forms.show_message("i_msg")


def _add_kommuner() -> None:
    state = st.session_state
    pledge_forms.submit(
        "k_msg", "Kommunerna är tillagda i löftet.", follow_up.add_pledge_kommuner,
        state["k_pledge_id"], state["k_kommun_kods"], clear=("k_kommun_kods",),
    )  # fmt: skip


def kommun_form(pledges: pd.DataFrame) -> None:
    """Add kommuner to one of the pledges shown: any of the 290; one the
    installation does not serve yet gets its reference row and boundary."""
    if pledges.empty:
        st.caption(NO_PLEDGE)
        return
    titles, choices = dict(zip(pledges["pledge_id"], pledges["title"])), geography.kommun_choices()
    with st.form("k_form"):
        st.selectbox("Löfte", list(titles), format_func=titles.get, key="k_pledge_id")
        st.multiselect(
            "Kommuner att lägga till", list(choices), format_func=choices.get, placeholder="Sök kommun",
            key="k_kommun_kods",
        )  # fmt: skip
        st.form_submit_button("Lägg till kommunerna", type="primary", on_click=_add_kommuner)
    pledge_forms.show_message("k_msg")
