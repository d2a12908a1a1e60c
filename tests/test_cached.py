"""The app's query cache: keyed on the tables a query reads, the data looked at once per run."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import db
from dashboard.filters import Selection
from dashboard.ui import cached
from tests.datasets import incidents, write_tables

PARAMS = Selection(("1462",), (), "anpassad", date(2026, 3, 1), date(2026, 3, 31)).params()
MARCH = ("1462", "Narkotikabrott", "narkotika", "2026-03-10 10:00", 58.13, 12.12)
UPDATE = pd.DataFrame(
    {
        "update_id": ["u1"],
        "commitment_id": ["c1"],
        "at": [pd.Timestamp("2026-03-02 09:00")],
        "status": ["pagaende"],
        "progress": [10],
    }
)


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data directory the app reads, and a record of the queries that reached DuckDB."""
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    ran = []
    run_query = db.run_query
    monkeypatch.setattr(db, "run_query", lambda con, name, params: ran.append(name) or run_query(con, name, params))
    write_tables(tmp_path, incidents=incidents(MARCH))
    return tmp_path, ran


@pytest.fixture
def in_a_run(monkeypatch):
    """Queries as within a script run of the app (session state holds the run's look at the data)."""
    monkeypatch.setattr(cached, "get_script_run_ctx", lambda: True)
    yield
    cached.st.session_state.pop(cached._RUN_STATE, None)


def current(params: dict = PARAMS) -> int:
    return int(cached.query("incident_totals", params).iloc[0]["current"])


def test_a_write_to_another_table_keeps_the_cached_result(data):
    path, ran = data
    assert current() == 1 and current() == 1
    write_tables(path, commitment_updates=UPDATE)
    assert current() == 1
    assert ran == ["incident_totals"]


def test_a_write_to_the_table_a_query_reads_refreshes_it(data):
    path, ran = data
    assert current() == 1
    write_tables(path, incidents=incidents(MARCH, MARCH))
    assert current() == 2
    assert ran == ["incident_totals", "incident_totals"]


def test_a_table_that_gets_its_first_file_is_read(data):
    path, _ = data
    assert cached.query("commitment_history", {"commitment_ids": ["c1"]}).empty
    write_tables(path, commitment_updates=UPDATE)
    assert list(cached.query("commitment_history", {"commitment_ids": ["c1"]})["update_id"]) == ["u1"]


def test_a_run_looks_at_the_files_once(data, in_a_run, monkeypatch):
    cached.begin_run()  # the first run also opens the connection
    looks = []
    fingerprints = db.table_fingerprints
    monkeypatch.setattr(db, "table_fingerprints", lambda data_dir: looks.append(data_dir) or fingerprints(data_dir))
    cached.begin_run()
    for kommun in ("1462", "1488", "1462"):
        current(PARAMS | {"kommun_kods": [kommun]})
    cached.query("incident_categories", PARAMS)
    cached.query("municipalities")
    assert len(looks) == 1


def test_a_write_in_this_process_shows_at_once_and_others_on_the_next_run(data, in_a_run):
    path, ran = data
    cached.begin_run()
    assert current() == 1
    write_tables(path, incidents=incidents(MARCH, MARCH))  # e.g. an import from the command line
    assert current() == 1  # this run keeps its look at the data
    cached.begin_run()
    assert current() == 2
    write_tables(path, commitment_updates=UPDATE)  # e.g. a follow-up saved on this page
    cached.clear_after_write()
    assert list(cached.query("commitment_history", {"commitment_ids": ["c1"]})["update_id"]) == ["u1"]
    assert current() == 2
    assert ran.count("incident_totals") == 2


def test_a_karta_rerun_looks_at_the_files_once(render, demo_dir, monkeypatch):
    at = render(demo_dir, "karta")
    looks = []
    fingerprints = db.table_fingerprints
    monkeypatch.setattr(db, "table_fingerprints", lambda data_dir: looks.append(data_dir) or fingerprints(data_dir))
    at.run()
    assert not at.exception
    assert len(looks) == 1
