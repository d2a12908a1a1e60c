"""Bad input gets a clear Swedish message, never a stack trace or Streamlit's
redacted English error: absurd dates in a link, a crafted map click, a write
to a full or read-only disk."""

from __future__ import annotations

import errno

import pytest

from dashboard import storage
from tests.datasets import TODAY
from tests.test_follow_up import _open_form, demo_copy, updates  # noqa: F401  (fixtures)

PAGES = ["oversikt", "karta", "loften", "indikatorer"]
TOMORROW = TODAY.replace(day=TODAY.day + 1)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("fran", "till", "shown"),
    [
        ("0001-01-01", "9999-12-31", f"visar 1990-01-01 – {TODAY.isoformat()}"),
        ("2026-11-01", TOMORROW.isoformat(), f"visar 2026-11-01 – {TODAY.isoformat()}"),
    ],
)
def test_a_link_with_an_impossible_period_is_cut_to_fit_and_said(render, demo_dir, page, fran, till, shown):
    at = render(demo_dir, page, query={"period": "anpassad", "fran": fran, "till": till})
    assert not at.exception
    assert any(shown in w.value for w in at.sidebar.warning)
    assert (at.query_params["fran"], at.query_params["till"])[1] == TODAY.isoformat()


@pytest.mark.parametrize(
    "point",
    [{"lat": "x", "lng": 1}, {"lat": float("nan"), "lng": 12.0}, {"lat": 1e308 * 10, "lng": 0}, "garbage", [1, 2],
     {"lng": 12.0}, {"lat": None, "lng": None}],
)  # fmt: skip
def test_a_crafted_map_click_is_ignored(render, demo_dir, point):
    at = render(demo_dir, "karta")
    at.session_state["karta_punkt"] = point
    at.run()
    assert not at.exception
    assert "Klicka på en ruta på kartan" in [i.value for i in at.info][0]


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_keeps_the_note_and_says_why_in_swedish(demo_copy, render, editor, monkeypatch):  # noqa: F811
    at = render(demo_copy, "loften", query={"kommun": "1462"})
    before = len(updates(demo_copy))
    write_atomic = storage.write_atomic
    monkeypatch.setattr(storage, "write_atomic", _full_disk)
    _open_form(at, "lilla_edet_2025_c1", "pagar", 50, "Viktig anteckning från mötet")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Det gick inte att spara: disken är full. Ingenting har ändrats; kontakta den som sköter datorn."
    ]
    assert at.text_area(key="u_lilla_edet_2025_c1_utan_mote_note").value == "Viktig anteckning från mötet"
    assert len(updates(demo_copy)) == before

    monkeypatch.setattr(storage, "write_atomic", write_atomic)  # room again: the same click saves, the form empties
    submit = next(b for b in at.button if b.form_id == "u_lilla_edet_2025_c1_utan_mote_form")
    submit.click().run()
    assert "Uppföljningen är sparad." in [s.value for s in at.success]
    assert updates(demo_copy).iloc[-1]["note"] == "Viktig anteckning från mötet"
    assert at.text_area(key="u_lilla_edet_2025_c1_utan_mote_note").value == ""
