"""Recording follow-up: validation with Swedish and English messages, writes
refused outside internal mode, append-only updates that survive concurrent
writers, locked corrections, corrections that lost a race refused, and the
forms on the Löften page; on both back ends of the shared tables."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from dashboard import db, follow_up, records, tables
from dashboard.ui import access
from tests.conftest import open_expanders, page_text
from tests.datasets import TODAY, copy_demo, stored, write_tables
from tests.processes import run_together

pytestmark = pytest.mark.usefixtures("backend")


def pledge(pid="p1", kommun="1462"):
    return {
        "pledge_id": pid, "title": f"Löfte {pid}", "kommun_kods": [kommun], "lpo": "Östra Fyrbodal",
        "period_start": TODAY - timedelta(days=100), "period_end": TODAY + timedelta(days=300),
        "follow_up": "Två gånger per år", "focus_areas": ["narkotika"],
    }  # fmt: skip


def commitment_rec(cid="c1", text="Fler kvällsvandringar", **changes):
    return {
        "commitment_id": cid, "pledge_id": "p1", "actor": "polisen", "text": text, "focus_areas": ["narkotika"],
        "due_date": TODAY + timedelta(days=300), "indicator_ids": [],
    } | changes  # fmt: skip


@pytest.fixture
def data(tmp_path, editor) -> Path:
    write_tables(
        tmp_path,
        pledges=pd.DataFrame([pledge()]),
        commitments=pd.DataFrame([commitment_rec()]),
        meetings=pd.DataFrame(
            [{"meeting_id": "m1", "kind": "bra", "held_on": TODAY, "kommun_kods": ["1462"], "focus_areas": []}]
        ),
        indicators=pd.DataFrame([{"indicator_id": "upplevd_trygghet", "name_sv": "Upplevd trygghet", "direction": "increase"}]),
    )
    return tmp_path


def updates(data_dir) -> pd.DataFrame:
    con = db.connect(data_dir)
    try:
        return con.execute("SELECT * FROM commitment_updates ORDER BY \"at\"").df()
    finally:
        con.close()


def test_update_is_appended_and_becomes_current(data, backend):
    first = follow_up.record_update(data, access.author(), "c1", "pagar", 20, "  Start  ")
    second = follow_up.record_update(data, access.author(), "c1", "pagar", 45, "", "m1")
    if backend == "parquet":
        assert len(list((data / "commitment_updates").glob("update-*.parquet"))) == 2
    rows = updates(data)
    assert list(rows["update_id"]) == [first, second]
    assert rows.iloc[0][["status", "progress", "note", "author"]].tolist() == ["pagar", 20, "Start", "lokal användare"]
    assert rows.iloc[1]["meeting_id"] == "m1" and pd.isna(rows.iloc[1]["note"])


INVALID_UPDATES = [
    (dict(status="klar"), "status", "unknown status (ej_paborjad, pagar, genomford, forsenad, avbruten)",
     "okänt värde för status"),
    (dict(progress=101), "progress", "must be a whole number 0-100", "framsteg måste vara ett heltal 0–100 %"),
    (dict(progress=-5), "progress", "must be a whole number 0-100", "framsteg måste vara ett heltal 0–100 %"),
    (dict(progress="50"), "progress", "must be a whole number 0-100", "framsteg måste vara ett heltal 0–100 %"),
    (dict(status="genomford", progress=90), "progress", "a completed commitment has progress 100",
     "✔ Genomförd betyder 100 %: dra reglaget till 100 eller välj en annan status"),
    (dict(status="ej_paborjad", progress=10), "progress", "a commitment not started has progress 0",
     "○ Ej påbörjad betyder 0 %: dra reglaget till 0 eller välj en annan status"),
    (dict(status="forsenad", note="  "), "note", "a note is required for status forsenad",
     "skriv i anteckningen varför åtagandet är försenat"),
    (dict(note="x" * 2001), "note", "longer than 2000 characters", "Anteckningen är längre än 2000 tecken"),
    (dict(commitment_id="nope"), "commitment_id", "unknown commitment", "okänt värde för åtagande"),
    (dict(meeting_id="m9"), "meeting_id", "unknown meeting", "okänt värde för möte"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "column", "english", "swedish"), INVALID_UPDATES)
def test_invalid_update_is_rejected_with_its_message(data, change, column, english, swedish):
    args = {"commitment_id": "c1", "status": "pagar", "progress": 50, "note": "ok", "meeting_id": None} | change
    with pytest.raises(records.Invalid) as caught:
        follow_up.record_update(data, access.author(), **args)
    [problem] = caught.value.problems
    assert (problem.column, problem.reason_en, problem.reason_sv) == (column, english, swedish)
    assert caught.value.swedish() == [f"{records.FIELD_LABELS[column]}: {swedish}"]
    assert stored(data, "commitment_updates").empty


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_writes_are_refused_outside_internal_mode(data, monkeypatch, mode):
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    before = sorted(p.name for p in data.rglob("*")), tables.store(data).versions()
    writes = [
        lambda: follow_up.record_update(data, access.author(), "c1", "pagar", 10, "x"),
        lambda: follow_up.record_meeting(data, access.author(), TODAY, "bra", ["1462"], [], ""),
        lambda: follow_up.save_pledge(data, access.author(), pledge("p2")),
        lambda: follow_up.save_commitment(data, access.author(), commitment_rec("c2")),
    ]
    for write in writes:
        with pytest.raises(records.NotAllowed):
            write()
    assert (sorted(p.name for p in data.rglob("*")), tables.store(data).versions()) == before


WORKERS, PER_WORKER = 8, 5
RECORD_UPDATES = """
from pathlib import Path
from dashboard import follow_up
from dashboard.roles import command_line_author
data, worker = Path(sys.argv[2]), int(sys.argv[3])
for i in range(5):
    print(follow_up.record_update(data, command_line_author(), "c1", "pagar", worker, f"process {worker}, update {i}"))
"""
SAVE_COMMITMENT = """
from pathlib import Path
from dashboard import follow_up
from dashboard.roles import command_line_author
from tests.test_follow_up import commitment_rec
rec = commitment_rec(None, f"Åtagande från process {sys.argv[3]}")
print(follow_up.save_commitment(Path(sys.argv[2]), command_line_author(), rec))
"""


def _together(code: str, data_dir: Path, tmp_path: Path) -> list[str]:
    """Run `code` in WORKERS processes that write at the same moment; their printed ids."""
    outputs = run_together(code, [(data_dir, w) for w in range(WORKERS)], tmp_path)
    return [line for out in outputs for line in out.split()]


@pytest.mark.slow
def test_concurrent_updates_from_several_processes_are_all_kept(data, tmp_path):
    written = _together(RECORD_UPDATES, data, tmp_path)
    rows = updates(data)
    assert len(rows) == len(written) == WORKERS * PER_WORKER
    assert set(rows["update_id"]) == set(written)
    assert set(rows["note"]) == {f"process {w}, update {i}" for w in range(WORKERS) for i in range(PER_WORKER)}


@pytest.mark.slow
def test_concurrent_corrections_do_not_lose_each_other(data, tmp_path):
    """Each process rewrites the commitments; without the transaction's lock some are lost."""
    ids = _together(SAVE_COMMITMENT, data, tmp_path)
    rows = stored(data, "commitments")
    assert set(rows["commitment_id"]) == {"c1", *ids}
    assert len(rows) == WORKERS + 1


SAVE_NEW_PLEDGE = """
from pathlib import Path
from dashboard import follow_up
from dashboard.roles import command_line_author
from tests.test_follow_up import pledge
print(follow_up.save_pledge(Path(sys.argv[2]), command_line_author(), pledge(None) | {"title": "Samma rubrik"}))
"""


def test_concurrent_new_pledges_with_one_title_get_different_ids(data, tmp_path):
    """The id is made under the table's lock: without it both get 'samma_rubrik' and one replaces the other."""
    ids = _together(SAVE_NEW_PLEDGE, data, tmp_path)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == WORKERS
    assert set(stored(data, "pledges")["pledge_id"]) == {"p1", *ids}
    assert "samma_rubrik" in ids


def test_correction_keeps_creation_time_and_the_old_version(data):
    cid = follow_up.save_commitment(data, access.author(), commitment_rec(None, "Ny text"))
    created = stored(data, "commitments").set_index("commitment_id").loc[cid, "created_at"]
    assert pd.notna(created)
    assert follow_up.upsert(data, "commitments", [commitment_rec(cid, "Ny text")], "test") == (0, 1)
    follow_up.save_commitment(data, access.author(), commitment_rec(cid, "Rättad text", actor="gemensamt"))
    rows = stored(data, "commitments").set_index("commitment_id")
    assert rows.loc[cid, ["text", "actor", "created_at"]].tolist() == ["Rättad text", "gemensamt", created]
    assert rows.loc["c1", "text"] == "Fler kvällsvandringar"  # others untouched
    revision = stored(data, "commitments_revisions")
    assert revision[["commitment_id", "text", "replaced_by"]].values.tolist() == [[cid, "Ny text", "lokal användare"]]


def test_a_correction_that_lost_a_race_is_refused(data):
    """Two editors open commitment c1; the second to save corrects a version that is gone."""
    opened = commitment_rec("c1")
    follow_up.save_commitment(data, access.author(), commitment_rec("c1", "Första rättelsen"), based_on=opened)
    with pytest.raises(records.Conflict) as caught:
        follow_up.save_commitment(data, access.author(), commitment_rec("c1", "Andra rättelsen"), based_on=opened)
    assert caught.value.swedish() == [
        "Åtagande: någon annan har ändrat åtagandet sedan du öppnade det; ladda om sidan, se deras ändring och gör din igen"
    ]
    assert "changed by someone else since you opened it" in str(caught.value)
    assert stored(data, "commitments").set_index("commitment_id").loc["c1", "text"] == "Första rättelsen"
    # Made from the version now stored, the correction is saved.
    now = commitment_rec("c1", "Första rättelsen")
    follow_up.save_commitment(data, access.author(), commitment_rec("c1", "Andra rättelsen"), based_on=now)
    assert stored(data, "commitments").set_index("commitment_id").loc["c1", "text"] == "Andra rättelsen"


def test_invalid_commitment_and_pledge_are_rejected(data):
    with pytest.raises(records.Invalid) as caught:
        rec = commitment_rec(None, " ", pledge_id="p9", actor="brandkaren", focus_areas=[])
        follow_up.save_commitment(data, access.author(), rec)
    assert caught.value.swedish() == [
        "Löfte: okänt värde för löfte",
        "Aktör: okänt värde för aktör",
        "Text: Åtagandets text saknas",
        "Fokusområden: välj minst ett fokusområde",
    ]
    bad = pledge("") | {"title": "", "kommun_kods": ["9999"], "period_end": TODAY - timedelta(days=200)}
    with pytest.raises(records.Invalid) as caught:
        follow_up.save_pledge(data, access.author(), bad)
    assert [p.reason_en for p in caught.value.problems] == [
        "required value missing", "unknown municipality", "ends before it starts",
    ]  # fmt: skip


def test_new_pledge_gets_an_id_from_its_title(data):
    new = pledge(None) | {"title": "Medborgarlöfte Lilla Edet 2027–2028"}
    assert follow_up.save_pledge(data, access.author(), new) == "medborgarlofte_lilla_edet_2027_2028"
    again = follow_up.save_pledge(data, access.author(), new | {"pledge_id": None})
    assert again == "medborgarlofte_lilla_edet_2027_2028_2"


def test_meeting_validation(data):
    with pytest.raises(records.Invalid) as caught:
        follow_up.record_meeting(data, access.author(), TODAY + timedelta(days=1), "fika", [], ["okänt"], "")
    assert [p.reason_sv for p in caught.value.problems] == [
        "okänt värde för mötestyp",
        "ett möte kan inte registreras i förväg (datum i framtiden)",
        "välj minst en kommun",
        "okänt värde för fokusområde",
    ]
    meeting_id = follow_up.record_meeting(
        data, access.author(), TODAY, "styrgrupp", ["1462"], ["narkotika"], "Beslut: fokus narkotika"
    )
    assert meeting_id.startswith(f"m_{TODAY:%Y%m%d}_")


# --- the forms on the Löften page ----------------------------------------------------------


@pytest.fixture
def demo_copy(demo_dir, tmp_path) -> Path:
    """A private copy of the demo data: the session's demo_dir is shared."""
    return copy_demo(demo_dir, tmp_path / "demo")


def _open_form(at, cid: str, status: str, progress: int, note: str, meeting: str = "utan_mote"):
    if at.button(key=f"l_open_{cid}").label == "Ny uppföljning":  # forms are built when asked for
        at.button(key=f"l_open_{cid}").click().run()
    key = f"u_{cid}_{meeting}"
    at.selectbox(key=f"{key}_status").set_value(status)
    at.slider(key=f"{key}_progress").set_value(progress)
    at.text_area(key=f"{key}_note").input(note)
    submit = next(b for b in at.button if b.label == "Spara uppföljning" and b.form_id == f"{key}_form")
    submit.click().run()


def test_update_form_records_and_shows_in_history(demo_copy, render, editor):
    at = render(demo_copy, "loften", query={"kommun": "1462"})
    _open_form(at, "lilla_edet_2025_c1", "forsenad", 60, "Försenad: <vakanser> under hösten")
    assert not at.exception
    assert "Uppföljningen är sparad." in [s.value for s in at.success]
    rows = updates(demo_copy)
    latest = rows.iloc[-1]
    assert latest[["commitment_id", "status", "progress", "note"]].tolist() == [
        "lilla_edet_2025_c1", "forsenad", 60, "Försenad: <vakanser> under hösten",
    ]  # fmt: skip
    at.session_state["l_history_lilla_edet_2025_c1"] = True  # the history is built when opened
    history = next(t for t in at.run().table if "Försenad\\: \\<vakanser\\> under hösten" in t.value.to_string())
    assert history.value.iloc[0]["Status"] == "▲ Försenad"
    assert "Senaste uppföljning" in page_text(at)


def test_update_form_shows_swedish_validation_message(demo_copy, render, editor):
    at = render(demo_copy, "loften", query={"kommun": "1462"})
    count = len(updates(demo_copy))
    _open_form(at, "lilla_edet_2025_c2", "genomford", 50, "")
    assert [e.value for e in at.error] == [
        "Framsteg: ✔ Genomförd betyder 100 %: dra reglaget till 100 eller välj en annan status"
    ]
    assert len(updates(demo_copy)) == count


def test_meeting_form_records_a_meeting_that_later_updates_belong_to(demo_copy, render, editor):
    at = open_expanders(render(demo_copy, "loften", query={"kommun": "1462"}), "l_form_meeting")
    at.selectbox(key="m_kind").set_value("bra")
    at.multiselect(key="m_focus_areas").set_value(["narkotika", "trafik"])
    at.text_area(key="m_notes").input("Fokus beslutat: narkotika och trafik")
    next(b for b in at.button if b.label == "Spara mötet").click().run()
    assert "Mötet är sparat." in [s.value for s in at.success]
    con = db.connect(demo_copy)
    latest = con.execute("SELECT * FROM meetings ORDER BY recorded_at DESC LIMIT 1").df().iloc[0]
    con.close()
    assert (latest["kind"], list(latest["kommun_kods"])) == ("bra", ["1462"])
    assert (list(latest["focus_areas"]), latest["held_on"].date()) == (["narkotika", "trafik"], TODAY)
    # Updates recorded after it belong to today's meeting by default.
    _open_form(at, "lilla_edet_2025_c3", "pagar", 95, "Redovisat i BRÅ", meeting=latest["meeting_id"])
    assert updates(demo_copy).iloc[-1][["note", "meeting_id"]].tolist() == ["Redovisat i BRÅ", latest["meeting_id"]]


def test_commitment_form_creates_a_commitment_that_counts_as_new(demo_copy, render, editor):
    at = open_expanders(render(demo_copy, "loften", query={"kommun": "1462"}), "l_form_commitment")
    at.selectbox(key="c_None_actor").set_value("ovrig")
    at.text_area(key="c_None_text").input("Bostadsbolaget lagar belysningen i Ström")
    at.multiselect(key="c_None_focus_areas").set_value(["trygghet_offentlig_miljo"])
    next(b for b in at.button if b.label == "Spara åtagandet").click().run()
    assert "Åtagandet är sparat." in [s.value for s in at.success]
    assert "Övriga" in [s.value for s in at.subheader]
    assert next(m for m in at.metric if m.label == "Nya åtaganden").value == "1"
    assert any("Bostadsbolaget lagar belysningen i Ström" in h.proto.body for h in at.html)


def test_pledge_form_corrects_the_follow_up_practice(demo_copy, render, editor):
    at = open_expanders(render(demo_copy, "loften", query={"kommun": "1462"}), "l_form_pledge")
    at.selectbox(key="p_choice").set_value("lilla_edet_2025").run()
    at.text_area(key="p_lilla_edet_2025_follow_up").input("Redovisas i lokala BRÅ i juni och december.")
    next(b for b in at.button if b.label == "Spara löftet").click().run()
    assert "Löftet är sparat." in [s.value for s in at.success]
    assert "**Uppföljning:** Redovisas i lokala BRÅ i juni och december\\." in [m.value for m in at.markdown]
    rows = stored(demo_copy, "pledges").set_index("pledge_id")
    assert rows.loc["lilla_edet_2025", "follow_up_kind"] == "halvar"  # fields the form leaves out are kept
    assert len(stored(demo_copy, "pledges_revisions")) == 1
