"""Meeting mode: the projected view and the presenter flow.

One person drives, a room reads from four metres: larger type, no sidebar,
the filter folded into one summary line, and Översikt → Karta → Löften →
Indikatorer stepped through with buttons or a presentation clicker
(PageDown/PageUp).
"""

from __future__ import annotations

import streamlit as st

from dashboard.ui import navigation

ORDER = list(navigation.PAGES)

MEETING_CSS = """
<style>
  html { font-size: 22px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
  .block-container { padding-top: 1.2rem; max-width: 100%; }
  h1 { font-size: 2.6rem !important; }
</style>
"""


def apply_meeting_style() -> None:
    st.html(MEETING_CSS)


def start() -> None:
    """An internal user starts presenting: the session narrows to meeting mode."""
    st.session_state["presenting"] = True


def stop() -> None:
    st.session_state["presenting"] = False


def step_buttons(current: str, can_stop: bool) -> None:
    """Previous and next page, with the clicker's keys as shortcuts; a way
    back to the internal view when the presentation was started from it."""
    index = ORDER.index(current) if current in ORDER else 0
    back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
    with back:
        if index > 0 and st.button(
            f"◀ {navigation.PAGES[ORDER[index - 1]][0]}", shortcut="PageUp", key="presenter_prev", width="stretch"
        ):
            st.switch_page(navigation.page(ORDER[index - 1]))
    with where:
        st.markdown(f"**Steg {index + 1} av {len(ORDER)}: {navigation.PAGES[ORDER[index]][0]}**")
    with forward:
        if index < len(ORDER) - 1 and st.button(
            f"{navigation.PAGES[ORDER[index + 1]][0]} ▶",
            shortcut="PageDown",
            key="presenter_next",
            type="primary",
            width="stretch",
        ):
            st.switch_page(navigation.page(ORDER[index + 1]))
    if can_stop:
        where.button("Avsluta presentation", on_click=stop, key="presenter_stop", type="tertiary")
