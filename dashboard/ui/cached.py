"""Data access for the Streamlit app: one DuckDB connection per process and
query results cached on (query, parameters, state of the tables it reads).

Pages call `query(name, params)`. The state of the data is a fingerprint per
table (`db.table_fingerprints`: its files, or with PostgreSQL the id of the
transaction that last wrote it), looked at once per script run: the app frame
calls `begin_run` first, and every query of the run keys its result on the
fingerprints of the tables it reads (`db.query_tables`). So an import from the
command line shows up on the next rerun, and a new follow-up does not evict the
cached incident counts. A table whose fingerprint changed is refreshed in the
process's DuckDB (views over files; tables in PostgreSQL fetched again as Arrow).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import db, tables
from dashboard.config import settings

#: Where a run keeps its look at the data (session state: one script run at a time per session).
_RUN_STATE = "_lagesbild_data_state"


class _Database:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.con = db.connect(data_dir)
        self.state = db.table_fingerprints(data_dir)
        self.lock = threading.Lock()

    def snapshot(self) -> dict[str, object]:
        """The fingerprint of every table now; the tables that changed are refreshed."""
        state = db.table_fingerprints(self.data_dir)
        with self.lock:
            changed = {name for name, value in state.items() if self.state.get(name) != value}
            if changed:
                db.refresh_views(self.con, self.data_dir, changed)
                self.state = state
        return state


@st.cache_resource(show_spinner=False)
def _database(data_dir: str, database_url: str | None = None) -> _Database:
    return _Database(Path(data_dir))


def data_dir() -> Path:
    return settings().data_dir


def begin_run() -> None:
    """Look at the data once for this script run (the app frame calls it before any query)."""
    st.session_state[_RUN_STATE] = _database(str(data_dir()), tables.database_url()).snapshot()


def _run_state() -> dict[str, tuple]:
    """This run's look at the data; a fresh one where no run took it (outside the app frame)."""
    state = st.session_state.get(_RUN_STATE) if get_script_run_ctx() else None
    return state if state is not None else _database(str(data_dir()), tables.database_url()).snapshot()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, params: dict, data_dir: str, database_url: str | None, tables_state: tuple) -> pd.DataFrame:
    return db.run_query(_database(data_dir, database_url).con, name, params)


def query(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query, cached on its parameters and the state of the tables it reads."""
    state = _run_state()
    tables_state = tuple((table, state[table]) for table in sorted(db.query_tables(name)))
    return _cached(name, params or {}, str(data_dir()), tables.database_url(), tables_state)


def data_state() -> str:
    """This run's look at every table, as a digest (the raw look lists every incident file, slow
    to hash for each call): the cache key of a result built from several queries."""
    return hashlib.sha1(repr(sorted(_run_state().items())).encode()).hexdigest()


def clear_after_write() -> None:
    """Call after this process wrote data: the rest of this run, and every later one, see it.

    The written table's fingerprint changes, so the queries reading it miss the
    cache; results from the other tables stay cached.
    """
    begin_run()
