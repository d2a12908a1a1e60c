"""DuckDB over the Parquet files of the data directory.

`connect` opens an in-memory database with one view per table of
`dashboard.schema` and the shared macros of `MACRO_FILES` (the selection of
incidents, `selected_incidents`, among them); `run_query` runs a named query
from `queries/NAME.sql`. Queries take named parameters (`$kommun_kods`,
`$start`, ...): callers pass a dict and only the parameters a query uses are
bound, so a page can hand the same selection to every query. User input is
never joined into SQL text. `query_tables` names the tables a query reads, so a
cache can key its result on the state of those tables only.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from dashboard import PROJECT_ROOT, storage, tables
from dashboard.schema import STORED, TABLES, WITH_INCIDENTS, Table, empty_select

QUERIES_DIR = PROJECT_ROOT / "queries"
#: Files of macros every connection defines: those the queries share, and the import's helpers.
MACRO_FILES = ("macros", "import_macros")
#: Reads of a query racing an atomic rewrite of one of its files.
READ_ATTEMPTS = 10
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_READ = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_MACRO = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def table_files(data_dir: Path, table: Table, resolve=storage.current_tree) -> list[Path]:
    root, pattern = _located(data_dir, table, resolve)
    return sorted(root.glob(pattern))


def table_glob(data_dir: Path, table: Table, resolve=storage.current_tree) -> str:
    """The glob of a table's files now, for read_parquet."""
    root, pattern = _located(data_dir, table, resolve)
    return str(root / pattern)


def _located(data_dir: Path, table: Table, resolve) -> tuple[Path, str]:
    """(directory, glob below it) of a table's files. A table kept in versions
    (the incidents and their summary, `storage.replacing_version`) is read in
    the version its pointer names (`resolve`): a view made now keeps reading
    that one, whole."""
    head, _, below = table.pattern.partition("/")
    if not below:
        return Path(data_dir), table.pattern
    return resolve(Path(data_dir) / head), below


def _one_look():
    """A resolver that reads each pointer once: the tables of one tree (incidents
    and incident_daily) are taken from the same version."""
    return functools.cache(storage.current_tree)


def _view_sql(data_dir: Path, table: Table, resolve) -> str:
    files = table_files(data_dir, table, resolve)
    if not files:
        return query_text(table.derived_from) if table.derived_from else empty_select(table)
    glob = table_glob(data_dir, table, resolve).replace("'", "''")
    if table.hive:
        # Partition values are text: kommun_kod "0114" must keep its zero.
        source = (
            f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true, "
            "hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER})"
        )
        # Columns added to the contract later are NULL in files written before.
        return f"{empty_select(table)} UNION ALL BY NAME SELECT * FROM {source}"
    source = f"read_parquet('{glob}', union_by_name = true)"
    if table.older_shape and not table.columns.keys() <= set(pq.read_schema(files[0]).names):
        # Written before the table had all its columns: read as the current shape until rewritten.
        return f"WITH older AS (SELECT * FROM {source}) {query_text(table.older_shape)}"
    return f"SELECT * FROM {source}"


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with a relation per table (empty where no data) and the macros."""
    # DuckDB's external file cache keeps a file's blocks by path and trusts them while the
    # file's modification time looks unchanged: a file replaced in that window (every
    # atomic rewrite of pledges.parquet) was read half old, half new ("Invalid data").
    con = duckdb.connect(":memory:", config={"enable_external_file_cache": False})
    refresh_views(con, data_dir)
    for name in MACRO_FILES:
        # Not TEMP: a cursor (see run_query) does not see its connection's temporary objects.
        con.execute(query_text(name))
    return con


def refresh_views(con: duckdb.DuckDBPyConnection, data_dir: Path, names=None) -> None:
    """(Re)create the relations of the tables `names` (default all), e.g. after a table got its first file.

    Tables in files are views over them; tables in PostgreSQL are fetched as
    Arrow, all as of one moment, and copied into DuckDB tables.
    """
    store = tables.store(data_dir)
    resolve = _one_look()
    names = set(TABLES if names is None else names) & TABLES.keys()
    fetched = set() if store.in_files else names & STORED.keys()
    for table in TABLES.values():
        if table.name in names - fetched:
            con.execute(f"CREATE OR REPLACE VIEW {table.name} AS {_view_sql(data_dir, table, resolve)}")
    for name, arrow in store.read_many(sorted(fetched)).items():
        con.register("_fetched", arrow)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _fetched")
        con.unregister("_fetched")


def table_fingerprints(data_dir: Path) -> dict[str, object]:
    """Per table, a value that changes whenever it is written (its files, or its version in PostgreSQL)."""
    resolve = _one_look()
    files = {name: tables.fingerprint(table_files(data_dir, TABLES[name], resolve)) for name in WITH_INCIDENTS}
    return tables.store(data_dir).versions() | files


def has_table(data_dir: Path, name: str) -> bool:
    """Whether a table holds anything: files, or rows in PostgreSQL."""
    if name in STORED:
        return tables.store(data_dir).has(name)
    return bool(table_files(data_dir, TABLES[name]))


def has_data(data_dir: Path) -> bool:
    return has_table(data_dir, "municipalities")


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


@functools.cache
def query_tables(name: str) -> frozenset[str]:
    """The tables a named query reads, directly or through the macros it calls.

    A table counts as read where it follows FROM or JOIN (so write `JOIN b`, not `FROM a, b`).
    """
    return _tables_read(_strip_comments(query_text(name)), _macro_bodies())


def _tables_read(sql: str, macros: dict[str, str], seen: frozenset[str] = frozenset()) -> frozenset[str]:
    tables = {word for word in _READ.findall(sql) if word in TABLES}
    for macro in set(_CALL.findall(sql)) & macros.keys() - seen:
        tables |= _tables_read(macros[macro], macros, seen | {macro})
    return frozenset(tables)


@functools.cache
def _macro_bodies() -> dict[str, str]:
    """Macro name -> its SQL, from the files of `MACRO_FILES`."""
    bodies = {}
    for file in MACRO_FILES:
        parts = _MACRO.split(_strip_comments(query_text(file)))  # [before, name, body, name, body, ...]
        bodies |= dict(zip(parts[1::2], parts[2::2], strict=True))
    return bodies


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run `queries/NAME.sql` with the parameters it uses taken from `params`."""
    params = params or {}
    needed = query_params(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"query {name!r} needs parameters: {', '.join(sorted(missing))}")
    bound = {key: params[key] for key in needed}
    for attempt in range(READ_ATTEMPTS):
        try:
            # A cursor per call: DuckDB connections are not shared safely across threads.
            return con.cursor().execute(query_text(name), bound).df()
        except duckdb.Error as exc:
            # DuckDB opens a file more than once per query; a file renamed into place
            # in between reads as 'Invalid data'. Every write is one rename, so the
            # next attempt sees the new file whole. A broken file fails every time,
            # and a mistake in the query (a ProgrammingError) is not retried.
            if attempt == READ_ATTEMPTS - 1 or _is_query_mistake(exc):
                raise
            time.sleep(0.02 * (attempt + 1))


def _is_query_mistake(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.ProgrammingError) and not isinstance(exc, duckdb.InvalidInputException)
