"""Meeting mode: the projected view and the presenter flow.

One person drives, a room reads from four metres: larger type, no sidebar,
the filter folded into one summary line, and Översikt → Karta → Löften →
Indikatorer stepped through like slides. A page with more than fits on one
screen declares sub-steps (`slides`); the step bar's buttons and a
presentation clicker's keys go through them, then on to the next page:
PageDown, Space and → forward, PageUp and ← back, Esc ends a presentation
started from the internal view.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import theme
from dashboard.ui import access, navigation

ORDER = list(navigation.PAGES)
#: session state: (page, sub-step) shown now; -1 is a page's last sub-step (stepping back into it).
POSITION = "presenter_position"
#: session state: the sub-step labels the current page declared in this run.
LABELS = "presenter_labels"
#: Extra clicker keys, by direction (the visible buttons carry PageDown and PageUp).
FORWARD_KEYS, BACK_KEYS = ("Space", "Right"), ("Left",)

MEETING_CSS = """
<style>
  /* A slide: 1920×1080, read from four metres; nothing under 20 px, dark on light. */
  html { font-size: 22px; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], .st-key-presenter_keys { display: none; }
  .block-container { padding: .6rem 1.6rem 1rem; max-width: 100%; }
  h1 { font-size: 1.9rem !important; padding: .2rem 0 .3rem !important; }
  h2 { font-size: 1.5rem !important; padding: .3rem 0 !important; }
  h3 { font-size: 1.25rem !important; padding: .2rem 0 !important; }
  .stMain p, .stMain li, .stMain label, .stMain button, .stMain input, .stMain td, .stMain th,
  [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *, [data-testid="stCaptionContainer"] *,
  [data-testid="stWidgetLabel"] *, [data-baseweb="popover"] *, [data-testid="stPopoverBody"] *,
  [data-testid="stTooltipContent"] *, .stMain kbd, .stMain button * { font-size: max(1em, 20px) !important; color: #0A0A0A; }
  [data-testid="stBaseButton-primary"] * { color: #FFFFFF !important; }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, kbd { color: #1A1A1A !important; opacity: 1 !important; }
  [data-testid="stBaseButton-primary"] kbd { color: #FFFFFF !important; }
  [data-testid="stMain"]:focus, [data-testid="stMain"]:focus-visible { outline: none; box-shadow: none; }
  [data-testid="stElementToolbar"] { display: none; }
  [data-testid="stMetricValue"] { font-size: 2.2rem; }
  [data-testid="stProgress"] p { font-size: 1rem !important; }
  .lb-summary { margin-bottom: 0; }
  .lb-step { font-size: 1.05rem; font-weight: 700; line-height: 1.25; }
  .lb-step span { font-weight: 600; }
  .st-key-presenter_bar [data-testid="stBaseButton-secondary"],
  .st-key-presenter_bar [data-testid="stBaseButton-primary"] { min-height: 2.4rem; }
</style>
"""


def apply_meeting_style() -> None:
    st.html(MEETING_CSS)


def start() -> None:
    """An internal user starts presenting: the session narrows to meeting mode."""
    st.session_state["presenting"] = True
    st.session_state.pop(POSITION, None)


def stop() -> None:
    st.session_state["presenting"] = False


def presenting() -> bool:
    return access.mode() == "meeting"


def begin(page: str) -> None:
    """The frame starts a page: its sub-steps are declared anew by `slides`."""
    st.session_state[LABELS] = [""]
    where, _ = st.session_state.get(POSITION, (page, 0))
    if where != page:  # reached by a link, not by stepping
        st.session_state[POSITION] = (page, 0)


def slides(labels: list[str]) -> int | None:
    """Declare the current page's sub-steps (one label each) and return the
    index of the one to show; None outside a presentation, where a page
    shows everything at once."""
    if not presenting():
        return None
    labels = labels or [""]
    page, index = st.session_state.get(POSITION, ("", 0))
    index = len(labels) - 1 if index < 0 else min(index, len(labels) - 1)
    st.session_state[POSITION] = (page, index)
    st.session_state[LABELS] = labels
    return index


def chart(fig, **kwargs) -> None:
    """A plotly chart in the app's own layout; in a presentation with every
    text at least 20 px and no mode bar."""
    meeting = presenting()
    if meeting:
        theme.meeting_layout(fig)
    st.plotly_chart(fig, config=theme.MEETING_CONFIG if meeting else theme.PLOTLY_CONFIG, theme=None, **kwargs)


def drawing(svg: str) -> None:
    """An SVG chart drawn on the server (`html_charts`, every text in it escaped).
    st.html's sanitiser keeps HTML only, so markdown's raw HTML carries it."""
    st.markdown(svg, unsafe_allow_html=True)


def shows(index: int | None, wanted: int) -> bool:
    """Whether a block of sub-step `wanted` is drawn: always outside a presentation."""
    return index is None or index == wanted


def _step(page: str, index: int, count: int, delta: int) -> None:
    """One step forward (+1) or back (-1): the next sub-step, else the next page."""
    if 0 <= index + delta < count:
        st.session_state[POSITION] = (page, index + delta)
        return
    target = ORDER.index(page) + delta
    if 0 <= target < len(ORDER):
        st.session_state[POSITION] = (ORDER[target], 0 if delta > 0 else -1)
        st.switch_page(navigation.page(ORDER[target]))


def step_bar(where, back, forward, current: str, can_stop: bool) -> None:
    """Fill the frame's step bar (three containers made before the page ran)
    once the page has declared its sub-steps: where we are, previous and next,
    with the clicker's keys as shortcuts, and a way back to the internal view
    when the presentation was started from it."""
    page = current if current in ORDER else ORDER[0]
    labels = st.session_state.get(LABELS, [""])
    _, index = st.session_state.get(POSITION, (page, 0))
    number = ORDER.index(page)
    title = navigation.PAGES[page][0]
    sub = f" · {index + 1}/{len(labels)} <span>{html.escape(labels[index])}</span>" if len(labels) > 1 else ""
    where.html(f'<div class="lb-step">Steg {number + 1} av {len(ORDER)}: {title}{sub}</div>')
    args = (page, index, len(labels))
    has_prev, has_next = index > 0 or number > 0, index < len(labels) - 1 or number < len(ORDER) - 1
    if has_prev:
        back.button(
            "◀ Föregående", shortcut="PageUp", key="presenter_prev", width="stretch", on_click=_step, args=(*args, -1)
        )
    if has_next:
        forward.button(
            "Nästa ▶", shortcut="PageDown", key="presenter_next", type="primary", width="stretch",
            on_click=_step, args=(*args, 1),
        )  # fmt: skip
    with st.container(key="presenter_keys"):  # hidden: more keys for the same steps
        for key in FORWARD_KEYS if has_next else ():
            st.button(key, shortcut=key, key=f"presenter_{key}", on_click=_step, args=(*args, 1))
        for key in BACK_KEYS if has_prev else ():
            st.button(key, shortcut=key, key=f"presenter_{key}", on_click=_step, args=(*args, -1))
        if can_stop:
            st.button("Avsluta", shortcut="Esc", key="presenter_esc", on_click=stop)
    if can_stop:
        where.button("Avsluta presentation (Esc)", on_click=stop, key="presenter_stop", type="tertiary")
