"""The report's download buttons: the current selection as HTML or Excel.

The report is built only when a button is clicked (Streamlit's deferred
download), on another thread: the selection and the mode are taken now,
in the script run, because that thread has no session to ask.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import filter_options, report
from dashboard.filters import Selection
from dashboard.report import build
from dashboard.ui import access
from dashboard.ui.cached import query

#: suffix -> (label, icon, MIME type)
FORMATS = {
    ".html": ("Rapport (HTML, för utskrift)", ":material/description:", "text/html"),
    ".xlsx": (
        "Rapport (Excel)", ":material/table_view:", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}
HELP = (
    "Nyckeltal, största platserna med karta, veckodag och timme, löften och indikatorer för urvalet. "
    "HTML-filen öppnas utan nätverk och skrivs ut på A4."
)


def _file(sel: Selection, mode: str, suffix: str) -> bytes:
    return report.render(build.build(query, sel, mode), suffix)


def download_buttons(sel: Selection, container=None) -> None:
    """Buttons that download the report of `sel` in this session's mode (in the sidebar unless `container`)."""
    mode = access.mode()
    names = filter_options.load(query).kommun_names
    with container or st.sidebar:
        st.markdown("**Mötesrapport**")
        for suffix, (label, icon, mime) in FORMATS.items():
            st.download_button(
                label, partial(_file, sel, mode, suffix), file_name=report.file_name(sel, suffix, names), mime=mime,
                icon=icon, help=HELP, on_click="ignore", width="stretch", key=f"report{suffix}",
            )  # fmt: skip
