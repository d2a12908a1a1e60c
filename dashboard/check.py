"""`python -m dashboard check`: validate a data directory against the contract.

Each problem names the table, the file, the row (1-based, within the file) and
the column. Rules are data: a column and the SQL condition that marks a row bad.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard import clock, db, tables
from dashboard.schema import STORED, TABLES
from dashboard.vocab import ACTORS, MEETING_KINDS, PERIOD_TYPES, PLACE_PRECISIONS, STATUSES

REQUIRED_TABLES = ("municipalities", "focus_areas", "pledges", "commitments", "indicators")
SWEDEN = "lat BETWEEN 55.0 AND 69.1 AND lon BETWEEN 10.9 AND 24.2"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


#: (table, column, condition that makes a row bad, what is wrong)
RULES = [
    ("municipalities", "kommun_kod", "NOT regexp_full_match(kommun_kod, '[0-9]{4}')", "is not a 4-digit code"),
    ("municipalities", "population", "population IS NOT NULL AND population <= 0", "must be positive"),
    ("municipalities", "lat", f"NOT ({SWEDEN})", "centre is outside Sweden"),
    ("incidents", "kommun_kod", "kommun_kod NOT IN (SELECT kommun_kod FROM municipalities)", "unknown municipality"),
    ("incidents", "place_precision", f"place_precision NOT IN {_in(PLACE_PRECISIONS)}", "unknown place precision"),
    ("incidents", "lat", f"lat IS NULL OR lon IS NULL OR NOT ({SWEDEN})", "position missing or outside Sweden"),
    ("incidents", "occurred_at", "occurred_at > $now + INTERVAL 1 DAY", "lies in the future"),
    ("incidents", "year", "year <> year(occurred_at)", "partition year differs from occurred_at"),
    ("commitments", "actor", f"actor NOT IN {_in(ACTORS)}", "unknown actor"),
    ("commitments", "pledge_id", "pledge_id NOT IN (SELECT pledge_id FROM pledges)", "unknown pledge"),
    ("pledges", "period_end", "period_end < period_start", "ends before it starts"),
    ("commitment_updates", "status", f"status NOT IN {_in(STATUSES)}", "unknown status"),
    ("commitment_updates", "progress", "progress NOT BETWEEN 0 AND 100", "must be 0-100"),
    ("commitment_updates", "commitment_id", "commitment_id NOT IN (SELECT commitment_id FROM commitments)", "unknown commitment"),
    ("meetings", "kind", f"kind NOT IN {_in(MEETING_KINDS)}", "unknown meeting kind"),
    ("actions", "actor", f"actor NOT IN {_in(ACTORS)}", "unknown actor"),
    ("actions", "meeting_id", "meeting_id NOT IN (SELECT meeting_id FROM meetings)", "unknown meeting"),
    ("action_updates", "status", f"status NOT IN {_in(STATUSES)}", "unknown status"),
    ("action_updates", "progress", "progress NOT BETWEEN 0 AND 100", "must be 0-100"),
    ("action_updates", "action_id", "action_id NOT IN (SELECT action_id FROM actions)", "unknown action"),
    ("indicators", "direction", "direction NOT IN ('increase', 'decrease', 'none')", "unknown direction"),
    ("indicator_values", "indicator_id", "indicator_id NOT IN (SELECT indicator_id FROM indicators)", "unknown indicator"),
    ("indicator_values", "period_type", f"period_type NOT IN {_in(PERIOD_TYPES)}", "unknown period type"),
    ("indicator_values", "kommun_kod", "kommun_kod NOT IN (SELECT kommun_kod FROM municipalities)", "unknown municipality"),
    # Per-capita figures divide by these (a kommun × year repeated is the table's key check).
    ("population", "kommun_kod", "kommun_kod NOT IN (SELECT kommun_kod FROM municipalities)", "unknown municipality"),
    ("population", "population", "population <= 0", "must be positive"),
    ("population", "year", "year NOT BETWEEN 1900 AND year($now)", "is not a year up to this one"),
]
#: Most rows reported per rule: a broken million-row table needs no million lines.
MAX_ROWS = 20


def check_data_dir(data_dir: Path) -> list[str]:
    """Every problem found, as one line each; an empty list means all is well."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [f"{data_dir}: data directory does not exist"]
    fetched = not tables.store(data_dir).in_files
    problems = [
        f"{name}: table missing (expected {f'rows in PostgreSQL table {name}' if fetched else data_dir / TABLES[name].pattern})"
        for name in REQUIRED_TABLES
        if not db.has_table(data_dir, name)
    ]
    con = db.connect(data_dir)
    try:
        problems += _schema_problems(con, data_dir)
        if not problems:
            problems += _row_problems(con, data_dir)
    finally:
        con.close()
    return problems


def _schema_problems(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[str]:
    problems = []
    for table in TABLES.values():
        if not db.has_table(data_dir, table.name):
            continue
        try:
            present = {r[0] for r in con.execute(f"DESCRIBE {table.name}").fetchall()}
        except duckdb.Error as exc:
            problems.append(f"{table.name}: files cannot be read: {exc}")
            continue
        problems += [f"{table.name}: column {c!r} missing" for c in table.columns if c in table.required and c not in present]
    return problems


def _source(data_dir: Path, name: str) -> str:
    """The table with its file name (or table name, in PostgreSQL) and 0-based row number per row."""
    table = TABLES[name]
    if name in STORED and not tables.store(data_dir).in_files:
        return f"(SELECT '{name}' AS filename, row_number() OVER () - 1 AS file_row_number, * FROM {name})"
    glob = db.table_glob(data_dir, table).replace("'", "''")
    hive = ", hive_partitioning = true, hive_types = {'kommun_kod': VARCHAR, 'year': INTEGER}" if table.hive else ""
    return f"read_parquet('{glob}', filename = true, file_row_number = true, union_by_name = true{hive})"


def _row_problems(con: duckdb.DuckDBPyConnection, data_dir: Path) -> list[str]:
    problems = []
    for table in TABLES.values():
        if not db.has_table(data_dir, table.name):
            continue
        source = _source(data_dir, table.name)
        for column in table.required:
            problems += _report(con, table.name, column, f'"{column}" IS NULL', "required value missing", source)
        problems += _duplicates(con, table.name, table.key, source)
    for name, column, condition, what in RULES:
        if db.has_table(data_dir, name):
            problems += _report(con, name, column, f"({condition}) IS NOT FALSE", what, _source(data_dir, name))
    return problems


def _report(con, table: str, column: str, condition: str, what: str, source: str) -> list[str]:
    rows = con.execute(
        f'SELECT filename, file_row_number + 1, CAST("{column}" AS VARCHAR) FROM {source} '
        f"WHERE {condition} ORDER BY ALL LIMIT {MAX_ROWS + 1}",
        {"now": clock.now()} if "$now" in condition else None,
    ).fetchall()
    lines = [f"{table}: {Path(f).name} row {row}, column {column}: {what} (value: {value!r})" for f, row, value in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"{table}: column {column}: more rows with the same problem not shown")
    return lines


def _duplicates(con, table: str, key: tuple[str, ...], source: str) -> list[str]:
    cols = ", ".join(f'"{c}"' for c in key)
    rows = con.execute(
        f"SELECT concat_ws(' / ', {cols}), count(*) FROM {source} GROUP BY ALL HAVING count(*) > 1 "
        f"ORDER BY ALL LIMIT {MAX_ROWS}"
    ).fetchall()
    return [
        f"{table}: column {' + '.join(key)}: value {value!r} occurs {n} times (must be unique)" for value, n in rows
    ]
