"""Data access for the Streamlit app: one DuckDB connection per process and
query results cached on (query, parameters, state of the data directory).

Pages call `query(name, params)`; the cache key includes a fingerprint of the
data files, so an import from the command line shows up on the next rerun.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard import db
from dashboard.config import settings


class _Database:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.con = db.connect(data_dir)
        self.fingerprint = db.data_fingerprint(data_dir)
        self.lock = threading.Lock()

    def current(self) -> tuple[duckdb.DuckDBPyConnection, tuple]:
        """The connection, its views refreshed if files came or went."""
        fingerprint = db.data_fingerprint(self.data_dir)
        if fingerprint != self.fingerprint:
            with self.lock:
                db.refresh_views(self.con, self.data_dir)
                self.fingerprint = fingerprint
        return self.con, fingerprint


@st.cache_resource(show_spinner=False)
def _database(data_dir: str) -> _Database:
    return _Database(Path(data_dir))


def data_dir() -> Path:
    return settings().data_dir


def fingerprint() -> tuple:
    return _database(str(data_dir())).current()[1]


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, params: dict, data_dir: str, fingerprint: tuple) -> pd.DataFrame:
    con, _ = _database(data_dir).current()
    return db.run_query(con, name, params)


def query(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query, cached on its parameters and the data's state."""
    return _cached(name, params or {}, str(data_dir()), fingerprint())


def clear_after_write() -> None:
    """Call after this process wrote data, so every page sees it at once."""
    _cached.clear()
