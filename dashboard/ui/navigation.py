"""The app's pages, in presenter order (Översikt → Karta → Löften → Indikatorer)."""

from __future__ import annotations

import streamlit as st

from dashboard import PROJECT_ROOT
from dashboard.ui import access

PAGE_DIR = PROJECT_ROOT / "pages"
#: name -> (title, icon)
PAGES = {
    "oversikt": ("Översikt", ":material/dashboard:"),
    "karta": ("Karta", ":material/map:"),
    "loften": ("Löften", ":material/handshake:"),
    "indikatorer": ("Indikatorer", ":material/trending_up:"),
}
#: Pages that change data, outside the presenter's order: name -> (title, icon)
WRITE_PAGES = {
    "importera": ("Importera händelser", ":material/upload_file:"),
}


def visible() -> list[str]:
    """The pages this session is shown: the presenter's pages, and the import
    page for those who may import (`access.can_import`)."""
    return list(PAGES) + [name for name in WRITE_PAGES if access.can_import()]


def page(name: str) -> st.Page:
    title, icon = (PAGES | WRITE_PAGES)[name]
    default = name == "oversikt"
    return st.Page(PAGE_DIR / f"{name}.py", title=title, icon=icon, default=default, url_path=None if default else name)


def link(name: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """A link to one of the app's pages (the selection travels with the session;
    `query_params` add e.g. `indikator=ID` for the page to open at)."""
    st.page_link(page(name), label=label, icon=PAGES[name][1], query_params=query_params)
