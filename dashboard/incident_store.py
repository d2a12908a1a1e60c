"""Adding rows to the incidents table so that nobody ever sees half an import.

The table is a tree of Hive partitions, `incidents/kommun_kod=…/year=…/*.parquet`.
An import never changes that tree in place. It builds a complete new tree next
to it and exchanges the two in one step:

1. Under an exclusive lock (`.incidents.lock` in the data directory; imports
   run one at a time), the new tree is staged in `.incidents-<id>.tmp` in the
   data directory: the new rows as one file per partition (sorted by time),
   and every current file as a hard link (no data is copied). A partition
   that already has MAX_FILES_PER_PARTITION files is merged into one file
   instead, so that daily imports do not leave thousands of small files.
   Files are flushed to disk.
2. `renameat2(RENAME_EXCHANGE)` swaps the staged tree and `incidents` in one
   system call: a reader, or a process killed at any moment, finds either the
   old tree or the new one, never a mix.
3. The old tree, now under the temporary name, is deleted. Files a reader
   has open stay readable; a query that listed the files just before the
   exchange and opens a merged partition's old file just after fails once,
   and reads the new tree when run again.

A killed import leaves at most a `.incidents-*.tmp` directory behind, which the
next import deletes. Where the exchange is not available (not Linux, or a file
system without it), the tree is swapped with two renames instead; an import
killed between them leaves `incidents` missing and the old tree in
`.incidents-*.old`, which `recover` (run by every import) puts back.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

LOCK_FILE = ".incidents.lock"
TABLE_DIR = "incidents"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}
#: A partition with this many files is rewritten as one when it gets new rows.
MAX_FILES_PER_PARTITION = 8


@contextlib.contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's import lock (waits for a running import)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_FILE, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def recover(data_dir: Path) -> None:
    """Undo what a killed import left behind (call with the lock held)."""
    data_dir = Path(data_dir)
    table = data_dir / TABLE_DIR
    for old in sorted(data_dir.glob(f".{TABLE_DIR}-*.old")):
        if not table.exists():
            old.rename(table)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in data_dir.glob(f".{TABLE_DIR}-*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)


def add_rows(con: duckdb.DuckDBPyConnection, data_dir: Path, rows_sql: str, params: dict, run=None) -> None:
    """Add the rows of the query `rows_sql` (columns of the incidents table) to
    the table, atomically (call with the lock held). `run(sql, params)`
    executes the long statement (default: `con.execute`), e.g. with progress."""
    data_dir = Path(data_dir)
    staging = data_dir / f".{TABLE_DIR}-{uuid.uuid4().hex}.tmp"
    try:
        merged = _stage(con, data_dir / TABLE_DIR, staging, rows_sql, params, run or con.execute)
        _link(data_dir / TABLE_DIR, staging, merged)
        _flush(staging)
        _swap(staging, data_dir / TABLE_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(con, current: Path, staging: Path, rows_sql: str, params: dict, run) -> set[str]:
    """Write the new rows into `staging`, with the stored rows of partitions
    that have many files; return the directory names of those merged partitions."""
    touched = [
        f"kommun_kod={k}/year={y}"
        for k, y in con.execute(f"SELECT DISTINCT kommun_kod, year FROM ({rows_sql})", params).fetchall()
    ]
    files = {part: sorted((current / part).glob("*.parquet")) for part in touched}
    merged = {part for part in touched if len(files[part]) >= MAX_FILES_PER_PARTITION - 1}
    stored = [str(f) for part in sorted(merged) for f in files[part]]
    combined = f"({rows_sql})"
    if stored:
        combined = (
            "(SELECT * FROM read_parquet($stored_files, hive_partitioning = true, union_by_name = true, "
            "hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER}) "
            f"UNION ALL BY NAME {rows_sql})"
        )
        params = params | {"stored_files": stored}
    target = str(staging).replace("'", "''")
    run(
        f"COPY (SELECT * FROM {combined} ORDER BY kommun_kod, year, occurred_at) TO '{target}' "
        "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (kommun_kod, year), FILENAME_PATTERN 'part-{uuid}')",
        params,
    )
    return merged


def _link(current: Path, staging: Path, merged: set[str]) -> None:
    """Hard-link every current file into `staging`, except those of merged partitions."""
    if not current.is_dir():
        return
    for path in current.rglob("*"):
        relative = path.relative_to(current)
        if path.is_dir() or "/".join(relative.parts[:2]) in merged:
            continue
        copy = staging / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy)
        except OSError:  # a file system without hard links
            shutil.copy2(path, copy)


def _flush(tree: Path) -> None:
    """Put the staged tree on disk before it becomes the table."""
    for path in sorted(tree.rglob("*"), reverse=True):
        _fsync(path)


def _swap(staging: Path, table: Path) -> None:
    """Make `staging` the table in one step; the old tree ends up at `staging`."""
    if not table.exists():
        staging.rename(table)
    elif not _exchange(staging, table):
        old = staging.with_suffix(".old")
        table.rename(old)
        staging.rename(table)
        old.rename(staging)
    _fsync(table.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _fsync(path: Path) -> None:
    """Flush a file or a directory entry to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
