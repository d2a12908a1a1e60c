"""The shared filter in the sidebar, kept in the URL so a link reproduces the view.

Widget state is turned into query parameters and parsed back through
`filters.from_query_params`, so a link and a click go through one validation.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import filter_options, filters
from dashboard.disclosure import Floored, Rule
from dashboard.filter_options import Options
from dashboard.ui import access
from dashboard.ui.cached import query


def options() -> Options:
    """The filter's choices, through the app's query cache."""
    return filter_options.load(query)


#: The query parameters the filter owns; others (a page's own, such as the
#: Indikatorer page's `indikator`) are kept when the filter rewrites the URL.
FILTER_PARAMS = ("kommun", "fokus", "period", "fran", "till")
#: The widgets keep their values over page switches (which clear the URL's
#: query parameters) and while hidden: the selection holds until changed.
KEEP = "session"


def _parse(query_dict: dict, opts: Options, today: date) -> filters.Selection:
    return filters.from_query_params(
        query_dict, today, opts.kommun_names, opts.focus_names, opts.pledge_periods, opts.meeting_days
    )


def render(opts: Options, today: date, container=None) -> filters.Selection:
    """Draw the filter widgets (in the sidebar unless another container is
    given) and return the selection they describe."""
    state = st.session_state
    if "f_kommun" not in state:
        sel = _parse(st.query_params.to_dict(), opts, today)
        state.update(f_kommun=list(sel.kommun_kods), f_fokus=list(sel.focus_areas), f_period=sel.preset)
        state.f_dates = (sel.start, sel.end)
        state.f_adjusted = (filters.adjusted_note(sel), state.f_dates) if sel.adjusted else None
    with container or st.sidebar:
        st.multiselect(
            "Kommun", list(opts.kommun_names), format_func=opts.kommun_names.get, key="f_kommun",
            placeholder="Alla kommuner", persist_state=KEEP,
        )  # fmt: skip
        st.multiselect(
            "Fokusområde", list(opts.focus_names), format_func=opts.focus_names.get, key="f_fokus",
            placeholder="Alla fokusområden", persist_state=KEEP,
        )  # fmt: skip
        st.selectbox("Period", list(filters.PRESETS), format_func=filters.PRESETS.get, key="f_period", persist_state=KEEP)
        if state.f_period == "anpassad":
            st.date_input(
                "Från och till", key="f_dates", format="YYYY-MM-DD", min_value=filters.EARLIEST, max_value=today,
                persist_state=KEEP,
            )
            if state.f_adjusted and tuple(state.f_dates) == state.f_adjusted[1]:  # until the period is changed
                st.warning(state.f_adjusted[0])
    dates = state.get("f_dates") or ()
    query_dict = {
        "kommun": ",".join(state.f_kommun),
        "fokus": ",".join(state.f_fokus),
        "period": state.f_period,
    }
    if len(dates) == 2:
        query_dict |= {"fran": dates[0].isoformat(), "till": dates[1].isoformat()}
    sel = _parse(query_dict, opts, today)
    page_params = {k: v for k, v in st.query_params.to_dict().items() if k not in FILTER_PARAMS}
    st.query_params.from_dict(filters.to_query_params(sel) | page_params)
    if sel.preset != "anpassad":
        state.f_dates = (sel.start, sel.end)  # a switch to "anpassad" starts from here
    st.session_state["selection"] = sel
    st.session_state["disclosed"] = filter_options.disclosed(sel, access.mode(), today)
    return sel


def current() -> filters.Selection:
    """The selection made in the frame of this run (for pages)."""
    return st.session_state["selection"]


def rule() -> Rule:
    """How this run's counts may be shown (exact outside public mode)."""
    return st.session_state["disclosed"][0]


def floored() -> Floored:
    """This run's selection as the rule allows it: every incident query takes its `params`."""
    return st.session_state["disclosed"][1]



def disclosure_caption() -> None:
    """Under a page's title: that counts are rounded and the period made whole months, when they are."""
    text = " ".join(t for t in (floored().note, rule().note) if t)
    if text:
        st.caption(text)
