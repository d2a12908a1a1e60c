"""The first-run page: an editor facing an empty data directory chooses the
kommuner (`init`) or writes the demo data (`demo`), and the app's pages follow
on the next run. The writes (`dashboard.first_run`) check the right to edit
themselves; on a failure the choice stays and the cause shows in Swedish.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard import first_run, geography, init_data, records, write_failure
from dashboard.ui import access, cached

INTRO = (
    "Datamappen **{data_dir}** innehåller inga tabeller ännu. Välj de kommuner som lägesbilden gäller: "
    "appen skapar deras gränser och fokusområdena (som `python -m dashboard init`). Löftet, åtagandena och "
    "indikatorerna lägger du sedan in under *Löften*; händelser och befolkning importeras."
)
DEMO = (
    "Fem riktiga medborgarlöften (Lilla Edet, Lidköping, Stenungsund/Orust/Tjörn, Trollhättan, Kungsör) "
    "med påhittade händelser, som `python -m dashboard demo`. Tar en stund."
)


def show(data_dir: Path) -> None:
    st.title("Kom igång")
    st.markdown(INTRO.format(data_dir=data_dir))
    choices = geography.kommun_choices()
    with st.form("fr_form"):
        st.multiselect(
            "Kommuner", list(choices), format_func=choices.get, key="fr_kommuner", placeholder="Sök kommun"
        )  # fmt: skip
        create = st.form_submit_button("Skapa", type="primary")
    st.subheader("Eller prova med demodata")
    st.caption(DEMO)
    demo = st.button("Skriv demodata")
    if create:
        _write(lambda: first_run.create(data_dir, access.author(), st.session_state["fr_kommuner"]), "Skapar …")
    elif demo:
        _write(lambda: first_run.write_demo(data_dir, access.author()), "Skriver demodata …")


def _write(write: Callable[[], object], doing: str) -> None:
    """Run the write; on success show the app's pages, else say why in Swedish."""
    try:
        with st.spinner(doing):
            write()
    except init_data.UnknownKommun:
        st.error("Välj minst en kommun.")
    except init_data.NotEmpty:
        st.error("Datamappen innehåller andra filer än Lägesbildens. Välj en tom mapp (LAGESBILD_DATA_DIR).")
    except first_run.AlreadySetUp as exc:
        st.error(exc.swedish)
    except records.NotAllowed as exc:
        st.error(exc.swedish)
    except OSError as exc:  # a full or read-only disk
        st.error(write_failure.swedish(exc))
    else:
        cached.clear_after_write()
        st.rerun()
