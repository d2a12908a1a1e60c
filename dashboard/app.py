"""Entry point: `streamlit run dashboard/app.py` (or `python -m dashboard run`).

The frame around every page: page setup, navigation over `pages/`, the shared
filter, and when there is no data yet the first-run page for an editor
(`ui.first_run`) or a Swedish guide, never a traceback.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import clock, db, filter_options, roles, static_assets, tables
from dashboard.config import ConfigError, settings
from dashboard.ui import (
    access,
    cached,
    filter_bar,
    first_run,
    meeting_panel,
    navigation,
    presenter,
    report_buttons,
    style,
)

MODE_LABELS = {"internal": "Internt läge", "meeting": "Mötesläge", "public": "Publikt läge"}

NO_DATA = """
### Ingen data ännu

Datamappen **{data_dir}** innehåller inga tabeller. Så kommer du igång:

1. **Demodata** (fem riktiga medborgarlöften och påhittade händelser):
   `make run` skapar den automatiskt, eller kör `python -m dashboard demo`.
2. **Egna kommuner**: `python -m dashboard init --kommun 0380` (kod eller namn;
   upprepa `--kommun` för fler) skapar kommunerna, deras gränser och fokusområdena.
3. **Egen data**: importera filer med
   `python -m dashboard import incidents FIL`,
   `python -m dashboard import indicators FIL` eller
   `python -m dashboard import commitments FIL`.
4. Kontrollera mappen med `python -m dashboard check`.

Ladda sedan om sidan.
"""

REMOTE_EDIT_REFUSED = (
    "Internt läge utan inloggning visar känsliga uppgifter och tillåter redigering. "
    "Därför körs det bara när appen lyssnar på den här datorn (server.address = localhost). "
    "Konfigurera inloggning i .streamlit/secrets.toml, välj LAGESBILD_MODE=meeting eller public, "
    "eller sätt LAGESBILD_ALLOW_REMOTE_EDIT=1 om nätverket är skyddat på annat sätt."
)

NOT_LISTED = (
    "<p>Du är inloggad som <b>{name}</b>, men adressen finns inte med bland dem som får se "
    "lägesbilden (eller så har inloggningstjänsten inte bekräftat den).</p>"
    "<p>Be {contact} att lägga till din adress.</p>"
)


def main() -> None:
    st.set_page_config(page_title="Lägesbild", page_icon="🧭", layout="wide")
    static_assets.ensure_leaflet()  # served from dashboard/static/, never from a CDN
    style.apply_css()
    try:
        cfg = settings()
    except ConfigError as exc:
        st.error(f"Felaktig konfiguration: {exc.swedish}")
        st.stop()
    meeting = access.mode() == "meeting"
    closed = access.needs_login() or access.not_listed()  # no way on to the pages, not even their names
    page = st.navigation(
        [navigation.page(name) for name in navigation.visible()], position="hidden" if meeting or closed else "sidebar"
    )
    st.sidebar.markdown(f'<span class="lb-mode">{MODE_LABELS[cfg.mode]}</span>', unsafe_allow_html=True)
    if not _signed_in_or_refused(cfg.mode):
        return
    try:
        has_data = db.has_data(cfg.data_dir)
    except tables.Unreachable as exc:
        st.error(exc.swedish)
        st.stop()
    if not has_data:
        if access.can_edit():  # an editor sets it up here; others get the way to do it
            first_run.show(cfg.data_dir)
            return
        st.title("Lägesbild")
        st.markdown(NO_DATA.format(data_dir=cfg.data_dir))
        return
    cached.begin_run()
    if page.url_path in navigation.WRITE_PAGES:
        page.run()  # the import page works on files, not on the selection
        return
    opts = filter_bar.options()
    if meeting:
        current = page.url_path or "oversikt"
        presenter.apply_meeting_style()
        presenter.begin(current)
        with st.container(key="presenter_bar"):
            summary, change = st.columns([5, 1], vertical_alignment="center")
            sel = filter_bar.render(opts, clock.today(), change.popover("Ändra urval", width="stretch"))
            summary.html(f'<div class="lb-summary">{html.escape(filter_options.summary(sel, opts))}</div>')
            where, panel, back, forward = st.columns([3, 1, 1, 1], vertical_alignment="center")
        meeting_panel.show(sel, opts, navigation.PAGES.get(current, ("",))[0], clock.today(), panel)
        page.run()
        presenter.step_bar(where, back, forward, current, can_stop=cfg.mode == "internal")
        return
    else:
        if cfg.mode == "internal":
            st.sidebar.button("Presentera (mötesläge)", on_click=presenter.start, icon=":material/co_present:")
        sel = filter_bar.render(opts, clock.today())
        report_buttons.download_buttons(sel)
        st.html(f'<div class="lb-summary">{html.escape(filter_options.summary(sel, opts))}</div>')
    page.run()


def _signed_in_or_refused(mode: str) -> bool:
    """Show who is signed in; stop with a Swedish explanation when nobody may see the data."""
    if access.needs_login():
        st.title("Lägesbild")
        st.info("Logga in för att se lägesbilden.")
        st.button("Logga in", on_click=st.login, type="primary")
        return False
    if not access.auth_configured():
        if mode == "internal" and not access.local_editing_allowed():
            st.error(REMOTE_EDIT_REFUSED)
            return False
        st.sidebar.caption("Ingen inloggning konfigurerad: en lokal användare på den här datorn.")
        return True
    who = access.identity()
    if who.logged_in:
        # As HTML, escaped: markdown would make the address a mailto link.
        st.sidebar.html(f'<p class="lb-user">Inloggad: {html.escape(who.name)} ({roles.ROLE_LABELS[who.role]})</p>')
        st.sidebar.button("Logga ut", on_click=st.logout)
    if access.not_listed():
        st.title("Lägesbild")
        st.html(NOT_LISTED.format(name=html.escape(who.name), contact=html.escape(access.contact())))
        return False
    return True


# Streamlit runs this file as `__main__`, and leaves it as the process's
# `__main__` afterwards. A process spawned from there (multiprocessing) imports it
# as `__mp_main__`: outside a script run, the app would draw into Streamlit's global
# containers (its first-run form made the main one a form for the rest of that process).
if __name__ == "__main__":
    main()
