"""The meeting panel in the presenting frame: an editor starts a meeting,
records a decision on the slide shown, and ends the meeting with its agenda;
a viewer, or the meeting mode of the server, gets no panel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT, db
from tests.datasets import TODAY


@pytest.fixture
def demo_copy(demo_dir, tmp_path) -> Path:
    return Path(shutil.copytree(demo_dir, tmp_path / "demo"))


def presenting(render, data_dir, monkeypatch, mode="internal"):
    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    at = render(data_dir, query={"kommun": "1462", "fokus": "narkotika"}, mode=mode)
    at.session_state["presenting"] = True
    at.run()
    return at


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def table(data_dir, sql):
    con = db.connect(data_dir)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_an_editor_records_a_decision_from_the_panel_while_presenting(demo_copy, render, monkeypatch):
    at = presenting(render, demo_copy, monkeypatch)
    at.selectbox(key="mp_kind").set_value("lagesbild")
    at.multiselect(key="mp_present").set_value(["Kommunpolis", "Trygghetssamordnare"])
    click(at, "Starta mötet")
    assert "Mötet är startat." in [s.value for s in at.success]
    at.switch_page(str(PROJECT_ROOT / "pages" / "karta.py"))
    at.run()
    at.text_area(key="mp_text").input("Kvällsvandringar vid <Torget> varje fredag")
    at.selectbox(key="mp_actor").set_value("gemensamt")
    at.text_input(key="mp_owner").input("Fältgruppen")
    at.selectbox(key="mp_focus").set_value("narkotika")
    at.text_input(key="mp_place").input("Torget")
    click(at, "Spara beslutet")
    assert "Beslutet är sparat som insats." in [s.value for s in at.success]
    stored = table(demo_copy, "SELECT * FROM actions ORDER BY created_at DESC").iloc[0]
    assert stored[["text", "actor", "owner", "focus_area", "place"]].tolist() == [
        "Kvällsvandringar vid <Torget> varje fredag", "gemensamt", "Fältgruppen", "narkotika", "Torget",
    ]  # fmt: skip
    meeting = table(demo_copy, f"SELECT * FROM meetings_now() WHERE meeting_id = '{stored['meeting_id']}'").iloc[0]
    assert (meeting["held_on"].date(), list(meeting["kommun_kods"]), meeting["kind"]) == (TODAY, ["1462"], "lagesbild")
    assert list(meeting["present"]) == ["Kommunpolis", "Trygghetssamordnare"]
    assert "**Beslut vid mötet: 1**" in [m.value for m in at.markdown]
    click(at, "Spara mötet")
    ended = table(demo_copy, f"SELECT * FROM meetings_now() WHERE meeting_id = '{stored['meeting_id']}'").iloc[0]
    assert list(ended["agenda"]) == ["Översikt", "Karta"] and list(ended["focus_areas"]) == ["narkotika"]
    assert len([b for b in at.get("download_button") if "mp_minutes" in str(b.proto.id)]) == 2


def test_no_panel_for_the_meeting_mode_of_the_server(demo_copy, render, monkeypatch):
    at = presenting(render, demo_copy, monkeypatch, mode="meeting")
    assert not at.exception
    assert not [w for w in at.text_area if w.key == "mp_text"] and not [s for s in at.selectbox if s.key == "mp_kind"]


def test_a_failed_decision_keeps_what_was_typed_and_a_saved_one_empties_the_form(demo_copy, render, monkeypatch):
    at = presenting(render, demo_copy, monkeypatch)
    click(at, "Starta mötet")
    at.text_area(key="mp_text").input("Kvällsvandringar vid busstationen")
    at.text_input(key="mp_owner").input("Fältgruppen")
    at.date_input(key="mp_due").set_value(None)  # the date field emptied: the save is refused
    click(at, "Spara beslutet")
    assert "klart senast saknas" in at.error[0].value
    assert at.text_area(key="mp_text").value == "Kvällsvandringar vid busstationen"
    assert at.text_input(key="mp_owner").value == "Fältgruppen"
    assert table(demo_copy, "SELECT count(*) AS n FROM actions WHERE text LIKE 'Kvällsvandringar vid bus%'").n[0] == 0
    at.date_input(key="mp_due").set_value(TODAY)
    click(at, "Spara beslutet")
    assert "Beslutet är sparat som insats." in [s.value for s in at.success]
    assert at.text_area(key="mp_text").value == "" and at.text_input(key="mp_owner").value == ""
    assert at.date_input(key="mp_due").value > TODAY  # back to its default
