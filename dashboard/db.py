"""DuckDB over the Parquet files of the data directory.

`connect` opens an in-memory database with one view per table of
`dashboard.schema`; `run_query` runs a named query from `queries/NAME.sql`.
Queries take named parameters (`$kommun_kods`, `$start`, ...): callers pass a
dict and only the parameters a query uses are bound, so a page can hand the same
selection to every query. User input is never joined into SQL text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import PROJECT_ROOT
from dashboard.schema import TABLES, Table, empty_select

QUERIES_DIR = PROJECT_ROOT / "queries"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def table_files(data_dir: Path, table: Table) -> list[Path]:
    return sorted(Path(data_dir).glob(table.pattern))


def _view_sql(data_dir: Path, table: Table) -> str:
    if not table_files(data_dir, table):
        return empty_select(table)
    glob = str(Path(data_dir) / table.pattern).replace("'", "''")
    if table.hive:
        # Partition values are text: kommun_kod "0114" must keep its zero.
        source = (
            f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true, "
            "hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER})"
        )
    else:
        source = f"read_parquet('{glob}', union_by_name = true)"
    return f"SELECT * FROM {source}"


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with a view per table (empty views where no files)."""
    con = duckdb.connect(":memory:")
    refresh_views(con, data_dir)
    return con


def refresh_views(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """(Re)create the views, e.g. after a table got its first file."""
    for table in TABLES.values():
        con.execute(f"CREATE OR REPLACE VIEW {table.name} AS {_view_sql(data_dir, table)}")


def data_fingerprint(data_dir: Path) -> tuple:
    """Changes whenever a file of the data directory is added, replaced or removed."""
    stats = []
    for table in TABLES.values():
        for path in table_files(data_dir, table):
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(stats)


def has_data(data_dir: Path) -> bool:
    return bool(table_files(data_dir, TABLES["municipalities"]))


@functools.cache
def query_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def query_params(name: str) -> set[str]:
    """The named parameters a query uses."""
    return set(_PARAM.findall(_strip_comments(query_text(name))))


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run `queries/NAME.sql` with the parameters it uses taken from `params`."""
    params = params or {}
    needed = query_params(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"query {name!r} needs parameters: {', '.join(sorted(missing))}")
    bound = {key: params[key] for key in needed}
    # A cursor per call: DuckDB connections are not shared safely across threads.
    return con.cursor().execute(query_text(name), bound).df()
