"""The Indikatorer page's import form for editors: upload, import, report."""

from __future__ import annotations

import streamlit as st

from dashboard import records, write_failure
from dashboard.formatting import escape_markdown, fmt_number
from dashboard.imports import statistics
from dashboard.ui import access
from dashboard.ui.cached import clear_after_write, data_dir
from dashboard.validation import ImportRejected

#: Session key of the last import's outcome, shown after the rerun that follows it.
OUTCOME = "ind_import_outcome"


def show_form() -> None:
    outcome = st.session_state.pop(OUTCOME, None)
    if outcome:
        _show_outcome(*outcome)
    with st.form("indicator_import", clear_on_submit=True):
        upload = st.file_uploader(
            "Fil i långt format (indikator, kommun, period, värde, valfritt mål), "
            "eller en fil från Kolada, Brå eller SCB",
            type=["csv", "xlsx", "parquet", "json", "txt"],
        )
        skip = st.checkbox("Importera giltiga rader och hoppa över felaktiga")
        submitted = st.form_submit_button("Importera", type="primary")
    if not submitted:
        return
    if upload is None:
        st.warning("Välj en fil först.")
        return
    try:
        result, report = statistics.import_upload(
            upload.name, upload.getvalue(), data_dir(), access.author(), skip
        )
    except records.NotAllowed:
        st.error("Du har inte behörighet att importera indikatorvärden.")
        return
    except OSError as exc:  # a full or read-only disk
        st.error(write_failure.swedish(exc))
        return
    except ImportRejected as exc:
        st.error(f"Inget importerades: {fmt_number(len(exc.problems))} fel i filen.")
        _show_problems(exc.problems)
        return
    clear_after_write()
    st.session_state[OUTCOME] = (result, report, upload.name)
    st.rerun()  # so that everything above shows the new values


def _show_problems(problems) -> None:
    st.markdown("\n".join(f"- {escape_markdown(p.swedish())}" for p in problems[:50]))


def _show_outcome(result, report: bytes | None, name: str) -> None:
    written = "värde importerat" if result.written == 1 else "värden importerade"
    st.success(f"{fmt_number(result.written)} {written}, {fmt_number(result.unchanged)} fanns redan.")
    for note in result.notes(swedish=True):  # rows skipped on purpose: other kommuner, totals, no value
        st.info(escape_markdown(note))
    if result.rejected:
        st.warning(f"{fmt_number(len(result.rejected))} fel: raderna med fel hoppades över.")
        _show_problems(result.rejected)
        st.download_button("Hämta de avvisade raderna (CSV)", report, file_name=f"avvisade-{name}.csv")
