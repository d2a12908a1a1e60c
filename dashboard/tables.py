"""Where the shared tables live: Parquet files of the data directory, or PostgreSQL.

Every table of `schema.STORED` (all but the incidents and what is derived from
them) is read and written through a `Store`, whichever back end holds it:

- `read(name)`: the whole table as Arrow, with the contract's columns and types;
- `replace(name, table)`: the table's rows become `table`;
- `append(name, table)`: rows added to an append-only table (updates, meetings, revisions);
- `versions()`: per table, a token that changes with every write (what caches key on);
- `transaction(*names)`: the named tables locked against other writers, on every
  server, for a read-modify-write; on PostgreSQL its writes commit together.

`store(data_dir)` picks the back end: PostgreSQL where `LAGESBILD_DATABASE_URL`
is set (migrated on first use, `migrate`), otherwise `ParquetStore` over the
data directory through `dashboard.storage` (locks, atomic renames, part files).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import queue
import re
from urllib.parse import urlsplit
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import PROJECT_ROOT, storage
from dashboard.schema import STORED, to_arrow

URL_SETTING = "LAGESBILD_DATABASE_URL"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
#: DuckDB type of `schema` -> PostgreSQL type (geometries are WKB).
PG_TYPES = {
    "VARCHAR": "text", "INTEGER": "integer", "DOUBLE": "double precision", "DATE": "date",
    "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "VARCHAR[]": "text[]", "GEOMETRY": "bytea",
}  # fmt: skip
#: Idle connections kept per store (one per concurrently busy script run is plenty).
POOL_SIZE = 8
#: Any number: serialises migrations of servers starting at once (pg_advisory_xact_lock).
_MIGRATION_LOCK = 1_946_2019


class Store(Protocol):
    #: True where the tables are files DuckDB reads itself (views); False: fetched as Arrow.
    in_files: bool

    def read(self, name: str) -> pa.Table: ...
    def read_many(self, names) -> dict[str, pa.Table]: ...
    def replace(self, name: str, table: pa.Table) -> None: ...
    def append(self, name: str, table: pa.Table, prefix: str = "part") -> None: ...
    def has(self, name: str) -> bool: ...
    def versions(self) -> dict[str, object]: ...
    def transaction(self, *names: str) -> contextlib.AbstractContextManager[Store]: ...


def database_url() -> str | None:
    return os.environ.get(URL_SETTING, "").strip() or None


def store(data_dir: Path) -> Store:
    """The store of the shared tables: PostgreSQL where the setting names one, else the data directory."""
    url = database_url()
    return postgres(url) if url else ParquetStore(Path(data_dir))


def empty(name: str) -> pa.Table:
    return to_arrow(pa.table({"_": pa.array([], pa.null())}), name)


def fingerprint(paths: list[Path]) -> tuple:
    """A value that changes whenever one of the files is added, replaced or removed."""
    # The file id too: an atomic replace gives a new one even where mtime is coarse.
    return tuple((str(p), st.st_mtime_ns, st.st_size, st.st_ino) for p in paths for st in [p.stat()])


# --- Parquet ----------------------------------------------------------------------------


class ParquetStore:
    """The tables as Parquet files: one file per table, a directory of part files per append-only table."""

    in_files = True

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)

    def path(self, name: str) -> Path:
        """The file of a table, or the directory of an append-only one."""
        table = STORED[name]
        return self.data_dir / (name if table.append_only else table.pattern)

    def files(self, name: str) -> list[Path]:
        return sorted(self.data_dir.glob(STORED[name].pattern))

    def has(self, name: str) -> bool:
        return bool(self.files(name))

    def read(self, name: str) -> pa.Table:
        files = self.files(name)
        if not files:
            return empty(name)
        return to_arrow(pa.concat_tables([pq.read_table(f) for f in files], promote_options="permissive"), name)

    def replace(self, name: str, table: pa.Table) -> None:
        if not STORED[name].append_only:
            storage.write_atomic(table, self.path(name))
            return
        with storage.replacing_directory(self.path(name)) as staging:
            storage.append_part(table, staging)

    def append(self, name: str, table: pa.Table, prefix: str = "part") -> None:
        storage.append_part(table, self.path(name), prefix)

    def read_many(self, names) -> dict[str, pa.Table]:
        return {name: self.read(name) for name in names}

    def versions(self) -> dict[str, tuple]:
        return {name: fingerprint(self.files(name)) for name in STORED}

    @contextlib.contextmanager
    def transaction(self, *names: str) -> Iterator[ParquetStore]:
        """The tables' file locks, taken in one order (no deadlock); each write is atomic on its own."""
        with contextlib.ExitStack() as locks:
            for name in sorted(names):
                locks.enter_context(storage.lock(self.path(name)))
            yield self


# --- PostgreSQL -------------------------------------------------------------------------


@functools.cache
def postgres(url: str) -> PostgresStore:
    """One store per URL and process, migrated on first use (the app at start, every command)."""
    pg = PostgresStore(url)
    pg.migrate()
    atexit.register(pg.close)
    return pg


class PostgresStore:
    """The tables in PostgreSQL, one table each, read and written as Arrow through ADBC.

    Every write is a transaction that also bumps the written tables' row in
    `table_versions` to the transaction's id: `versions()` is one small query.
    Connections are pooled: opening one takes 0.2 s, a rerun asks for versions.
    """

    in_files = False

    def __init__(self, url: str):
        self.url = url
        self._idle: queue.LifoQueue = queue.LifoQueue()

    @contextlib.contextmanager
    def _session(self) -> Iterator:
        """A connection from the pool, in a transaction committed when the block succeeds."""
        from adbc_driver_postgresql import dbapi

        try:
            con = self._idle.get_nowait()
        except queue.Empty:
            con = _connect(dbapi, self.url)
        try:
            yield con
            con.commit()
        except BaseException:
            _close(con)  # a broken connection never goes back to the pool
            raise
        if self._idle.qsize() < POOL_SIZE:
            self._idle.put(con)
        else:
            _close(con)

    def close(self) -> None:
        """Close the idle connections (at exit, or before the database is dropped)."""
        while not self._idle.empty():
            _close(self._idle.get_nowait())

    def read(self, name: str) -> pa.Table:
        with self._session() as con:
            return _read(con.cursor(), name)

    def read_many(self, names) -> dict[str, pa.Table]:
        """Several tables as of one moment (one transaction, REPEATABLE READ)."""
        with self._session() as con:
            cur = con.cursor()
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return {name: _read(cur, name) for name in names}

    def has(self, name: str) -> bool:
        with self._session() as con:
            cur = con.cursor()
            cur.execute(f'SELECT EXISTS (SELECT 1 FROM "{STORED[name].name}")')
            return bool(cur.fetchone()[0])

    def versions(self) -> dict[str, object]:
        with self._session() as con:
            cur = con.cursor()
            cur.execute("SELECT name, version FROM table_versions")
            found = dict(cur.fetchall())
        return {name: found.get(name, 0) for name in STORED}

    def replace(self, name: str, table: pa.Table) -> None:
        with self.transaction(name) as tx:
            tx.replace(name, table)

    def append(self, name: str, table: pa.Table, prefix: str = "part") -> None:
        with self._session() as con:
            _Transaction(con.cursor()).append(name, table)

    @contextlib.contextmanager
    def transaction(self, *names: str) -> Iterator[_Transaction]:
        """Lock the tables against other writers (readers go on) until the writes commit."""
        with self._session() as con:
            cur = con.cursor()
            tables = ", ".join(f'"{STORED[n].name}"' for n in sorted(names))
            if tables:
                cur.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
            yield _Transaction(cur)

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, in order; returns their names."""
        applied = []
        with self._session() as con:
            cur = con.cursor()
            cur.execute("SELECT pg_advisory_xact_lock($1)", parameters=(_MIGRATION_LOCK,))
            cur.fetchall()
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            cur.execute("SELECT version FROM schema_migrations")
            done = {row[0] for row in cur.fetchall()}
            for path in migrations():
                if path.stem in done:
                    continue
                for statement in statements(path.read_text(encoding="utf-8")):
                    cur.execute(statement)
                cur.execute("INSERT INTO schema_migrations (version) VALUES ($1)", parameters=(path.stem,))
                applied.append(path.stem)
        return applied


class _Transaction:
    """Writes inside one PostgreSQL transaction (see `PostgresStore.transaction`)."""

    in_files = False

    def __init__(self, cur):
        self.cur = cur

    def read(self, name: str) -> pa.Table:
        return _read(self.cur, name)

    def replace(self, name: str, table: pa.Table) -> None:
        self.cur.execute(f'DELETE FROM "{STORED[name].name}"')
        self.append(name, table)

    def append(self, name: str, table: pa.Table, prefix: str = "part") -> None:
        if table.num_rows:
            self.cur.adbc_ingest(STORED[name].name, to_arrow(table, name), mode="append")
        self.cur.execute(
            "INSERT INTO table_versions (name, version) VALUES ($1, pg_current_xact_id()::text::bigint) "
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            parameters=(name,),
        )


class Unreachable(OSError):
    """The database of the setting cannot be reached: one line, English in `str()`, Swedish in `swedish`."""

    def __init__(self, url: str, reason: str):
        where = urlsplit(url).hostname or "localhost", urlsplit(url).port or 5432
        super().__init__(f"cannot reach the database of {URL_SETTING} at {where[0]}:{where[1]}: {reason}")
        self.swedish = f"Databasen i {URL_SETTING} ({where[0]}:{where[1]}) svarar inte. Kontakta den som driver servern."


def _connect(dbapi, url: str):
    try:
        return dbapi.connect(url)
    except dbapi.Error as exc:  # no server, wrong host, refused login: not a bug, a setting or an outage
        reason = " ".join(str(exc).split()).removeprefix("IO: [libpq] ")
        raise Unreachable(url, reason) from None


def _close(con) -> None:
    with contextlib.suppress(Exception):
        con.close()


def _read(cur, name: str) -> pa.Table:
    cur.execute(f'SELECT * FROM "{STORED[name].name}"')
    return to_arrow(cur.fetch_arrow_table(), name)


def migrations() -> list[Path]:
    """`migrations/NNN_name.sql`, in order."""
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def statements(sql: str) -> list[str]:
    """The statements of a migration file (no semicolons inside them; comments dropped)."""
    text = re.sub(r"--[^\n]*", "", sql)
    return [s.strip() for s in text.split(";") if s.strip()]
