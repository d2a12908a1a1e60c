"""Adding rows to the incidents table so that nobody ever sees half an import.

The table is a tree of Hive partitions, `kommun_kod=…/year=…/*.parquet`, kept
in versions, `incidents/v-<id>/`, of which the small file `incidents/CURRENT`
names the one to read (`current_tree`). Every server reads it, also from a
shared or network file system. An import never changes a version: it builds a
complete new one and switches the pointer to it (`storage.replacing_version`):

1. Under the table's exclusive lock (`.incidents.lock` in the data directory;
   imports run one at a time), the new tree is staged in `.incidents-<id>.tmp`
   in the data directory: the new rows as one file per partition (sorted by
   time), and every current file as a hard link (no data is copied). A
   partition that already has MAX_FILES_PER_PARTITION files is merged into one
   file instead, so that daily imports do not leave thousands of small files.
   The summary of the partitions that got rows is rewritten in the staged
   tree too (`summaries.refresh`), so it switches with them.
2. The staged tree becomes `incidents/v-<id>/` and `CURRENT` is replaced to
   name it, in one rename: a reader resolves the old version or the new one,
   never half of one. The old version stays readable for GRACE_SECONDS (a
   server that resolved it a moment ago finishes its queries; the app resolves
   the pointer again at every rerun) and is deleted by a later import.

A data directory written before versions has the partitions directly in
`incidents/` and no pointer; it is read as it is, and the next import writes
the first version from it (the old partitions are then deleted like an old
version).

Replacing: an import may name stored incidents it replaces (a newer version of
a police event, same incident_id). Their partitions are rewritten without the
old rows, and the old rows are first appended, with `replaced_at` and
`replaced_by` (the author), to `incident_revisions/` (append-only; the
history of every edited incident). A crash between the two leaves a
revision of a replacement that did not happen, never a lost version.

A killed import leaves at most a `.incidents-*.tmp` directory behind, which
`recover` (run by every import) removes, or a version no pointer names, which
is deleted with the old versions.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb

from dashboard import clock, storage, summaries
from dashboard.roles import Author

TABLE_DIR = "incidents"
#: Old versions of replaced incidents, append-only.
REVISIONS_DIR = "incident_revisions"
#: A partition with this many files is rewritten as one when it gets new rows.
MAX_FILES_PER_PARTITION = 8
#: Rows per row group of a partition's files: sorted by time, a period reads only its own row
#: groups (DuckDB skips the others by their min/max), e.g. a quarter of a year's partition.
ROW_GROUP_ROWS = 16_384
#: How long a version stays after the pointer moved on: the longest a reader
#: may keep reading the version it resolved.
GRACE_SECONDS = 600


def current_tree(data_dir: Path) -> Path:
    """The incident tree to read now (see the module's doc)."""
    return storage.current_tree(Path(data_dir) / TABLE_DIR)


def replacing(data_dir: Path) -> contextlib.AbstractContextManager[Path]:
    """Yield a staging path to write the table's next version in; it becomes
    the current one when the block succeeds (call with the lock held)."""
    return storage.replacing_version(Path(data_dir) / TABLE_DIR, GRACE_SECONDS)


def locked(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the incidents table's lock (waits for a running import)."""
    return storage.lock(Path(data_dir) / TABLE_DIR)


def recover(data_dir: Path) -> None:
    """Undo what a killed import left behind (call with the lock held)."""
    storage.recover_directory(Path(data_dir) / TABLE_DIR)


def add_rows(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    rows_sql: str,
    params: dict,
    run=None,
    replaced: str | None = None,
    author: Author | None = None,
) -> None:
    """Add the rows of the query `rows_sql` (columns of the incidents table) to
    the table, atomically (call with the lock held). `replaced` names a table
    of incident_ids whose stored rows the new ones replace (kept in
    `incident_revisions/`). `run(sql, params)` executes the long statement
    (default: `con.execute`), e.g. with progress."""
    current = current_tree(data_dir)
    if replaced:
        _keep_revisions(con, Path(data_dir), replaced, author)
    with replacing(data_dir) as staging:
        touched, merged = _stage(con, current, staging, rows_sql, params, run or con.execute, replaced)
        _link(current, staging, merged)
        summaries.refresh(staging, touched)  # in the staged tree: switched with the rows


def _keep_revisions(con, data_dir: Path, replaced: str, author: Author | None) -> None:
    old = con.sql(
        f"SELECT i.*, $at AS replaced_at, $by AS replaced_by FROM incidents i JOIN {replaced} USING (incident_id)",
        params={"at": clock.now().replace(tzinfo=None), "by": author.name if author else None},
    ).to_arrow_table()
    if old.num_rows:
        storage.append_part(old, data_dir / REVISIONS_DIR)


def _stage(con, current: Path, staging: Path, rows_sql: str, params: dict, run, replaced: str | None) -> tuple[list[str], set[str]]:
    """Write the new rows into `staging`, with the stored rows of partitions
    that have many files or replaced rows (but for those); return the directory
    names of the partitions that got rows, and of those merged."""
    partitions = f"SELECT DISTINCT kommun_kod, year FROM ({rows_sql})"
    if replaced:
        partitions += f" UNION SELECT kommun_kod, year FROM incidents WHERE incident_id IN (SELECT incident_id FROM {replaced})"
    found = con.execute(partitions, params).fetchall()
    touched = sorted({f"kommun_kod={k}/year={y}" for k, y in found})
    old_rows = set()
    if replaced:
        old_rows = {
            f"kommun_kod={k}/year={y}"
            for k, y in con.execute(
                f"SELECT DISTINCT kommun_kod, year FROM incidents WHERE incident_id IN (SELECT incident_id FROM {replaced})"
            ).fetchall()
        }
    files = {part: sorted((current / part).glob("*.parquet")) for part in touched}
    merged = {part for part in touched if len(files[part]) >= MAX_FILES_PER_PARTITION - 1} | old_rows
    stored = [str(f) for part in sorted(merged) for f in files[part]]
    combined = f"({rows_sql})"
    if stored:
        combined = (
            "(SELECT * FROM read_parquet($stored_files, hive_partitioning = true, union_by_name = true, "
            "hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER}) "
            + (f"WHERE incident_id NOT IN (SELECT incident_id FROM {replaced}) " if replaced else "")
            + f"UNION ALL BY NAME {rows_sql})"
        )
        params = params | {"stored_files": stored}
    target = str(staging).replace("'", "''")
    run(
        f"COPY (SELECT * FROM {combined} ORDER BY kommun_kod, year, occurred_at) TO '{target}' "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS}, PARTITION_BY (kommun_kod, year), "
        "FILENAME_PATTERN 'part-{uuid}')",
        params,
    )
    return touched, merged


def merge_partitions(tree: Path) -> None:
    """Rewrite every partition of a staged `tree` that has several files as one
    file sorted by time (the demo writes a file per chunk, each over the whole year)."""
    con = duckdb.connect(":memory:")
    try:
        for part in sorted(summaries.partitions(tree)):
            files = sorted((tree / part).glob("*.parquet"))
            if len(files) > 1:
                target = str(tree / part / "merged.parquet").replace("'", "''")
                con.execute(
                    # Not hive: kommun_kod and year stay in the path only, as in every file of the tree.
                    f"COPY (SELECT * FROM read_parquet($files, hive_partitioning = false) ORDER BY occurred_at, incident_id) "
                    f"TO '{target}' "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})",
                    {"files": [str(f) for f in files]},
                )
                for f in files:
                    f.unlink()
    finally:
        con.close()


def _link(current: Path, staging: Path, merged: set[str]) -> None:
    """Hard-link every current file into `staging`, except those of merged
    partitions (and, in a tree written before versions, of unnamed versions)."""
    if not current.is_dir():
        return
    for path in current.rglob("*"):
        relative = path.relative_to(current)
        skipped = "/".join(relative.parts[:2]) in merged or relative.parts[0].startswith(storage.VERSION_PREFIX)
        if path.is_dir() or skipped:
            continue
        copy = staging / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy)
        except OSError:  # a file system without hard links
            shutil.copy2(path, copy)
