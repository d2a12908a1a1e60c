"""The app frame: every page renders, the filter lives in the URL, no data gives a guide."""

import os
import sys
from datetime import date, timedelta

import pytest

from dashboard.bench import runner
from tests.conftest import APP, page_text
from tests.datasets import TODAY

PAGES = {"oversikt": "Översikt", "karta": "Var och när?", "loften": "Håller vi våra löften?", "indikatorer": "Fungerar det?"}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_demo_data(render, demo_dir, page):
    at = render(demo_dir, page)
    assert not at.exception
    assert PAGES[page] in [t.value for t in at.title]
    assert "Alla kommuner · Alla fokusområden" in frame_html(at)


def frame_html(at) -> str:
    return " ".join(h.value for h in at.html)


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_on_an_empty_data_dir_explains_how_to_start(render, empty_dir, page):
    # To those who may not set it up; an editor gets the first-run page (tests/test_first_run.py).
    at = render(empty_dir, page, mode="meeting")
    assert not at.exception
    text = page_text(at)
    assert "Ingen data ännu" in text
    assert "python -m dashboard demo" in text


def test_a_link_reproduces_the_selection(render, demo_dir):
    at = render(demo_dir, query={"kommun": "1462,1488", "fokus": "narkotika", "period": "anpassad",
                                 "fran": "2025-01-01", "till": "2025-06-30"})  # fmt: skip
    frame = frame_html(at)
    assert "Lilla Edet, Trollhättan · Narkotika · 2025-01-01 – 2025-06-30" in frame
    assert "jämförs med 2024-07-04 – 2024-12-31" in frame
    assert at.multiselect(key="f_kommun").value == ["1462", "1488"]
    assert dict(at.query_params) == {
        "kommun": "1462,1488", "fokus": "narkotika", "period": "anpassad", "fran": "2025-01-01", "till": "2025-06-30",
    }  # fmt: skip


def test_changing_the_filter_updates_the_url(render, demo_dir):
    at = render(demo_dir)
    at.multiselect(key="f_kommun").set_value(["1960"]).run()
    at.selectbox(key="f_period").set_value("30d").run()
    assert (at.query_params["kommun"], at.query_params["period"]) == ("1960", "30d")
    start = (TODAY - timedelta(days=29)).isoformat()
    assert f"Kungsör · Alla fokusområden · {start} – {TODAY.isoformat()}" in frame_html(at)


def test_overview_counts_match_the_data(render, demo_dir):
    from dashboard import db
    from dashboard.filters import Selection

    sel = Selection(("1462",), (), "anpassad", date(2025, 1, 1), date(2025, 12, 31))
    expected = db.connect(demo_dir).execute(
        "SELECT count(*) FROM incidents WHERE kommun_kod = '1462' AND year = 2025"
    ).fetchone()[0]
    at = render(demo_dir, query={"kommun": "1462", "period": "anpassad", "fran": "2025-01-01", "till": "2025-12-31"})
    incidents = at.metric[0]
    assert incidents.value == f"{expected:,}".replace(",", "\u00a0")
    assert sel.days == 365


def test_an_unknown_mode_is_a_clear_swedish_error(render, demo_dir):
    at = render(demo_dir, mode="everything")
    assert not at.exception
    assert "Felaktig konfiguration" in at.error[0].value


def test_a_min_count_below_3_is_refused_in_swedish(render, demo_dir, monkeypatch):
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", "0")
    at = render(demo_dir, mode="public")
    assert not at.exception
    assert at.error[0].value == "Felaktig konfiguration: LAGESBILD_MIN_COUNT måste vara ett heltal som är minst 3, inte '0'."
    assert "Händelser" not in page_text(at)


def _sidebar_errors(data_dir) -> dict:
    """The errors of Översikt rendered in this (spawned) process, with their real text."""
    from dashboard.bench import measure

    os.environ["LAGESBILD_DATA_DIR"] = str(data_dir)
    measure.show_error_details()
    return {"errors": measure._errors(measure._session("oversikt"))}


def test_the_app_renders_in_a_process_spawned_after_it_ran(render, editor, empty_dir, demo_dir, monkeypatch):
    """Streamlit leaves the app's script as this process's `__main__`, which a
    spawned child (multiprocessing, as the bench's phases) imports first. There the
    app must not run: outside a script run its first-run form would become
    Streamlit's main container, and every sidebar button with a callback fail."""
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])  # restored afterwards
    render(empty_dir)  # the first-run page: the data directory the child starts with
    assert sys.modules["__main__"].__file__ == APP
    assert runner.in_child(_sidebar_errors, demo_dir)["errors"] == []
