"""Entry point: `streamlit run dashboard/app.py` (or `python -m dashboard run`).

The frame around every page: page setup, navigation over `pages/`, the shared
filter, and a Swedish guide instead of a traceback when there is no data yet.
"""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from dashboard import db, filter_bar, navigation, theme
from dashboard.config import settings

MODE_LABELS = {"internal": "Internt läge", "meeting": "Mötesläge", "public": "Publikt läge"}

NO_DATA = """
### Ingen data ännu

Datamappen **{data_dir}** innehåller inga tabeller. Så kommer du igång:

1. **Demodata** (fem riktiga medborgarlöften och påhittade händelser):
   `make run` skapar den automatiskt, eller kör `python -m dashboard demo`.
2. **Egen data**: importera filer med
   `python -m dashboard import incidents FIL`,
   `python -m dashboard import indicators FIL` eller
   `python -m dashboard import commitments FIL`.
3. Kontrollera mappen med `python -m dashboard check`.

Ladda sedan om sidan.
"""


def main() -> None:
    st.set_page_config(page_title="Lägesbild", page_icon="🧭", layout="wide")
    theme.apply_css()
    try:
        cfg = settings()
    except ValueError as exc:
        st.error(f"Felaktig konfiguration: {exc}")
        st.stop()
    page = st.navigation([navigation.page(name) for name in navigation.PAGES])
    st.sidebar.markdown(f'<span class="lb-mode">{MODE_LABELS[cfg.mode]}</span>', unsafe_allow_html=True)
    if not db.has_data(cfg.data_dir):
        st.title("Lägesbild")
        st.markdown(NO_DATA.format(data_dir=cfg.data_dir))
        return
    opts = filter_bar.options()
    sel = filter_bar.render(opts, date.today())
    st.html(f'<div class="lb-summary">{html.escape(filter_bar.summary(sel, opts))}</div>')
    page.run()


main()
