"""The first-run page: an editor facing an empty data directory chooses the
kommuner or writes the demo data, and the app's pages follow."""

from __future__ import annotations

import pytest

from dashboard import db, demo, first_run, init_data, records
from dashboard.roles import Author
from tests.conftest import page_text

EDITOR = Author("redaktör")


def test_an_editor_chooses_a_kommun_and_gets_the_pages(render, empty_dir, editor):
    at = render(empty_dir)
    assert [t.value for t in at.title] == ["Kom igång"]
    assert "Uppsala (0380)" in at.multiselect(key="fr_kommuner").options
    at.multiselect(key="fr_kommuner").set_value(["0380"])
    next(b for b in at.button if b.label == "Skapa").click().run()
    assert not at.exception
    assert "Kom igång" not in [t.value for t in at.title]
    assert at.multiselect(key="f_kommun").options == ["Uppsala"]
    assert "Uppsala · Alla fokusområden" in " ".join(h.value for h in at.html)
    assert db.connect(empty_dir).execute("SELECT kommun_kod FROM boundaries").fetchall() == [("0380",)]


def test_skapa_without_a_kommun_says_so_and_writes_nothing(render, empty_dir, editor):
    at = render(empty_dir)
    next(b for b in at.button if b.label == "Skapa").click().run()
    assert [e.value for e in at.error] == ["Välj minst en kommun."]
    assert list(empty_dir.iterdir()) == []


def test_an_editor_writes_the_demo_data(render, empty_dir, editor, monkeypatch):
    write_demo = demo.write_demo
    monkeypatch.setattr(demo, "write_demo", lambda data_dir: write_demo(data_dir, incidents=2_000))
    at = render(empty_dir)
    next(b for b in at.button if b.label == "Skriv demodata").click().run()
    assert not at.exception
    assert len(at.multiselect(key="f_kommun").options) == 7
    assert "Översikt" in [t.value for t in at.title]


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_who_may_not_edit_gets_the_guide(render, empty_dir, mode):
    at = render(empty_dir, mode=mode)
    assert "Kom igång" not in [t.value for t in at.title]
    assert "Ingen data ännu" in page_text(at)


def test_only_an_editor_sets_up_and_only_once(empty_dir):
    with pytest.raises(records.NotAllowed):
        first_run.create(empty_dir, Author("läsare", may_edit=False), ["0380"])
    assert first_run.create(empty_dir, EDITOR, ["Uppsala"])["boundaries"] == 1
    with pytest.raises(first_run.AlreadySetUp):
        first_run.create(empty_dir, EDITOR, ["0381"])
    with pytest.raises(first_run.AlreadySetUp):
        first_run.write_demo(empty_dir, EDITOR)


def test_the_repositorys_data_readme_does_not_stop_init_and_is_kept(tmp_path):
    (tmp_path / "README.md").write_text("# Data directory\n")
    init_data.init_data_dir(tmp_path, ["0380"])
    assert (tmp_path / "README.md").read_text() == "# Data directory\n"
    assert db.has_data(tmp_path)
