"""Importera: an administrator uploads an incident file, sees what it holds and
what is wrong with it, and imports it. The same import as the command line;
whether this user may import is checked again when the import runs."""

import streamlit as st

from dashboard import incident_upload as upload
from dashboard import records, write_failure
from dashboard.formatting import fmt_number
from dashboard.imports.incidents import validate_file
from dashboard.ui import access, cached, text
from dashboard.validation import ImportRejected

NOT_ALLOWED = "Import av händelser är bara tillåten för administratörer i internt läge."
HELP = """
**Format:** CSV (UTF-8 eller Windows-1252, komma eller semikolon), Excel (.xlsx),
Parquet eller Polisens händelse-JSON. **Kolumner:** tidpunkt (eller datum och
klockslag), kommun eller kommunkod, kategori, och gärna latitud/longitud (WGS84)
eller X/Y, N/E (SWEREF 99 TM, SWEREF 99 lokala zoner, RT 90; systemet känns igen).
Rader utan koordinater placeras i kommunens centrum; rader utan klockslag
importeras med datum och markeras. Kategorier som inget
fokusområde omfattar importeras utan fokusområde.

Filen kontrolleras först; ingenting sparas förrän du trycker på **Importera**.
"""

state = st.session_state
st.title("Importera händelser")
if not access.can_import():
    st.error(NOT_ALLOWED)
    st.stop()
st.markdown(HELP)
uploaded = st.file_uploader("Fil med händelser", type=upload.UPLOAD_TYPES, max_upload_size=upload.UPLOAD_LIMIT_MB)
if uploaded is None:
    st.stop()

if state.get("import_file_id") != uploaded.file_id:
    state["import_path"] = upload.save_upload(uploaded.name, uploaded.getvalue(), state.get("import_path"))
    state["import_file_id"] = uploaded.file_id
    for key in ("import_plan", "import_file_problems", "import_result"):
        state.pop(key, None)

if "import_plan" not in state and "import_file_problems" not in state:
    bar = st.progress(0.0, text="Kontrollerar filen")
    try:
        state["import_plan"] = validate_file(state["import_path"], cached.data_dir(), upload.streamlit_progress(bar))
    except ImportRejected as exc:
        state["import_file_problems"] = exc.problems
    bar.empty()

if "import_file_problems" in state:
    st.error("Filen kan inte importeras:")
    text.dataframe(upload.problem_table(state["import_file_problems"]), hide_index=True)
    st.stop()

if result := state.get("import_result"):
    st.success(
        f"Klart: {upload.count(result.written, 'händelse', 'händelser')} importerades, "
        f"{fmt_number(result.unchanged)} fanns redan."
    )
    if result.report:
        st.download_button(
            "Ladda ner de avvisade raderna (CSV)", state["import_report"], file_name=result.report.name,
            mime="text/csv", icon=":material/download:",
        )  # fmt: skip
    st.stop()

plan = state["import_plan"]
for column, (label, value) in zip(st.columns(4), upload.plan_figures(plan)):
    column.metric(label, value)
for note in upload.plan_notes(plan):
    st.info(text.inert(note))

skip_invalid = False
if plan.problems:
    st.warning(
        f"{upload.count(plan.rejected_rows, 'rad', 'rader')} har fel. Rätta filen och ladda upp den igen, "
        "eller importera bara de giltiga raderna."
    )
    text.dataframe(upload.problem_table(plan.problems), hide_index=True)
    skip_invalid = st.checkbox("Importera de giltiga raderna och hoppa över raderna med fel")

ready = plan.new > 0 and (not plan.problems or skip_invalid)
if st.button(f"Importera {upload.count(plan.new, 'händelse', 'händelser')}", type="primary", disabled=not ready):
    bar = st.progress(0.0, text="Importerar")
    try:
        state["import_result"], state["import_report"] = upload.import_upload(
            state["import_path"], cached.data_dir(), access.author(), skip_invalid, upload.streamlit_progress(bar)
        )
    except records.NotAllowed:
        st.error(NOT_ALLOWED)
        st.stop()
    except OSError as exc:  # a full or read-only disk; the checked file stays for another try
        st.error(write_failure.swedish(exc))
        st.stop()
    except ImportRejected as exc:  # the stored data changed since the check
        state["import_file_problems"] = exc.problems
    cached.clear_after_write()
    st.rerun()
elif plan.new == 0 and not plan.problems:
    st.info("Alla händelser i filen finns redan; det finns inget nytt att importera.")
