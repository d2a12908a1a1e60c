"""Summary tables of the incidents, so that a wide selection costs what its
period holds, not how many incidents there are.

`incident_daily` counts incidents per municipality, day, focus area and
category (`queries/incident_daily.sql`): a few hundred thousand rows for the
demo's six years, whether it holds one million incidents or ten. It lives
inside each version of the incident tree, one file per partition,
`incidents/v-…/_summary/kommun_kod=…/year=…/daily.parquet` (outside the
incidents' own glob), so that the import's switch to a new version
(`incident_store`) switches incidents and summary in one step: nobody reads a
summary that does not match the incidents.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from dashboard import db

SUMMARY_DIR = "_summary"
FILE_NAME = "daily.parquet"


def partitions(tree: Path) -> set[str]:
    """The partitions ('kommun_kod=…/year=…') of an incident tree."""
    return {f"{p.parent.name}/{p.name}" for p in Path(tree).glob("kommun_kod=*/year=*") if p.is_dir()}


def refresh(tree: Path, changed: Iterable[str]) -> None:
    """Rewrite the summary of the `changed` partitions of the incident tree at
    `tree`, and of every partition that has none (a tree written before the
    summary existed). Call on a staged tree, before it is swapped in."""
    tree = Path(tree)
    present = partitions(tree)
    summarised = {part for part in present if (tree / SUMMARY_DIR / part / FILE_NAME).is_file()}
    con = duckdb.connect(":memory:")
    try:
        for part in sorted((set(changed) | (present - summarised)) & present):
            _write(con, tree, part)
    finally:
        con.close()


def _write(con: duckdb.DuckDBPyConnection, tree: Path, part: str) -> None:
    target = tree / SUMMARY_DIR / part / FILE_NAME
    # In a staged tree this may be a hard link to the live table's file: unlinking leaves that one alone.
    target.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = str(tree / part / "*.parquet").replace("'", "''")
    con.execute(
        f"CREATE OR REPLACE VIEW incidents AS SELECT * FROM read_parquet('{files}', hive_partitioning = true, "
        "hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER})"
    )
    out = str(target).replace("'", "''")
    # kommun_kod and year are in the path, as in the incident tree.
    con.execute(
        f"COPY (SELECT * EXCLUDE (kommun_kod, year) FROM ({db.query_text('incident_daily')}) ORDER BY day) "
        f"TO '{out}' (FORMAT parquet, COMPRESSION zstd)"
    )
