"""The Parquet tables of the data directory: where each lives and its columns.

This is the contract of `../shared/DESIGN.md` in code. DuckDB types are used so
that empty tables, validation and writers all agree on one definition.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa


@dataclass(frozen=True)
class Table:
    name: str
    #: Glob below the data directory; a first directory kept in versions (the
    #: incidents) is read in its current one (`db.table_files`).
    pattern: str
    #: Column name -> DuckDB type. Key columns of the contract come first.
    columns: dict[str, str]
    #: Columns that must never be null.
    required: tuple[str, ...]
    #: Append-only tables are directories of part files; others are one file.
    append_only: bool = False
    hive: bool = False
    #: Columns that identify a row; the first column unless given.
    unique: tuple[str, ...] = ()
    #: A summary table: the named query computes it where it has no files yet.
    derived_from: str | None = None
    #: A query that reads a file of an older shape (as the relation `older`) in the current one.
    older_shape: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        return self.unique or (next(iter(self.columns)),)


def _updates_table(subject: str) -> Table:
    """The append-only follow-ups of a commitment or an action (`follow_up._append_update`): one shape for both."""
    columns = {"update_id": "VARCHAR", f"{subject}_id": "VARCHAR", "at": "TIMESTAMP", "status": "VARCHAR",
               "progress": "INTEGER", "note": "VARCHAR", "author": "VARCHAR", "meeting_id": "VARCHAR"}  # fmt: skip
    required = ("update_id", f"{subject}_id", "at", "status", "progress")
    return Table(f"{subject}_updates", f"{subject}_updates/*.parquet", columns, required, append_only=True)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "municipalities",
            "municipalities.parquet",
            {
                "kommun_kod": "VARCHAR",
                "kommun": "VARCHAR",
                "lpo": "VARCHAR",
                # Null until imported (a kommun set up with `init`).
                "population": "INTEGER",
                "lat": "DOUBLE",
                "lon": "DOUBLE",
                # Rough radius of the municipality's area, for plausibility checks.
                "radius_km": "DOUBLE",
            },
            ("kommun_kod", "kommun", "lat", "lon"),
        ),
        Table(
            "boundaries",
            "boundaries.parquet",
            # GeoParquet: WKB in WGS84 (x = longitude), read by DuckDB as GEOMETRY.
            {"kommun_kod": "VARCHAR", "name": "VARCHAR", "kind": "VARCHAR", "geometry": "GEOMETRY"},
            ("kommun_kod", "name", "kind", "geometry"),
            unique=("kommun_kod", "kind"),
        ),
        Table(
            "areas",
            "areas.parquet",
            # GeoParquet as boundaries; kind: a key of dashboard.areas.KINDS.
            {"area_id": "VARCHAR", "kommun_kod": "VARCHAR", "name": "VARCHAR", "kind": "VARCHAR", "geometry": "GEOMETRY"},
            ("area_id", "kommun_kod", "name", "kind", "geometry"),
        ),
        Table(
            "places",
            "places.parquet",
            {
                "kommun_kod": "VARCHAR",
                "name": "VARCHAR",
                "place_type": "VARCHAR",
                "lat": "DOUBLE",
                "lon": "DOUBLE",
            },
            ("kommun_kod", "name", "lat", "lon"),
            unique=("kommun_kod", "name"),
        ),
        Table(
            "focus_areas",
            "focus_areas.parquet",
            {"focus_area": "VARCHAR", "name_sv": "VARCHAR", "categories": "VARCHAR[]"},
            ("focus_area", "name_sv"),
        ),
        Table(
            "incidents",
            "incidents/*/*/*.parquet",
            {
                "incident_id": "VARCHAR",
                "source": "VARCHAR",
                "kommun_kod": "VARCHAR",
                "year": "INTEGER",
                "category": "VARCHAR",
                "focus_area": "VARCHAR",
                "occurred_at": "TIMESTAMP",
                "lat": "DOUBLE",
                "lon": "DOUBLE",
                "place_precision": "VARCHAR",
                "place_type": "VARCHAR",
                "description": "VARCHAR",
                # When the source published it (the police feed); NULL for other sources.
                "published_at": "TIMESTAMP",
                # The place as the source names it ("Nya stadens torg", "Lilla edet").
                "place_name": "VARCHAR",
                # False: the source gave a date only; occurred_at is that day at 00:00.
                # NULL (older data) means true.
                "time_known": "BOOLEAN",
            },
            ("incident_id", "kommun_kod", "category", "occurred_at", "place_precision"),
            hive=True,
        ),
        # A summary of `incidents` (dashboard/summaries.py), written with them.
        Table(
            "incident_daily",
            "incidents/_summary/*/*/daily.parquet",
            {
                "kommun_kod": "VARCHAR",
                "year": "INTEGER",
                "day": "DATE",
                "focus_area": "VARCHAR",
                "category": "VARCHAR",
                "n": "INTEGER",
            },
            ("kommun_kod", "day", "category", "n"),
            hive=True,
            unique=("kommun_kod", "day", "focus_area", "category"),
            derived_from="incident_daily",
        ),
        Table(
            # Which point incident lies in which area (dashboard/areas.py), rewritten whole, with the
            # incident's columns a selection filters on, sorted by kommun and time: counting a selection
            # per area reads the rows of its period, not a join over every incident.
            "incident_areas",
            "incident_areas.parquet",
            {
                "incident_id": "VARCHAR",
                "area_id": "VARCHAR",
                "kommun_kod": "VARCHAR",
                "year": "INTEGER",
                "focus_area": "VARCHAR",
                "category": "VARCHAR",
                "occurred_at": "TIMESTAMP",
            },
            ("incident_id", "area_id"),
            unique=("incident_id", "area_id"),
            older_shape="incident_areas_older",
        ),
        Table(
            "pledges",
            "pledges.parquet",
            {
                "pledge_id": "VARCHAR",
                "title": "VARCHAR",
                "kommun_kods": "VARCHAR[]",
                "lpo": "VARCHAR",
                "period_start": "DATE",
                "period_end": "DATE",
                "follow_up": "VARCHAR",
                "follow_up_kind": "VARCHAR",
                "follow_up_due": "DATE",
                "source_document": "VARCHAR",
                "summary": "VARCHAR",
                "focus_areas": "VARCHAR[]",
            },
            ("pledge_id", "title", "kommun_kods", "period_start", "period_end"),
        ),
        Table(
            "commitments",
            "commitments.parquet",
            {
                "commitment_id": "VARCHAR",
                "pledge_id": "VARCHAR",
                "actor": "VARCHAR",
                "text": "VARCHAR",
                "focus_areas": "VARCHAR[]",
                "due_date": "DATE",
                "indicator_ids": "VARCHAR[]",
                # When the commitment was first recorded (null for the seeds:
                # they count from their pledge's start), for "new since the meeting".
                "created_at": "TIMESTAMP",
            },
            ("commitment_id", "pledge_id", "actor", "text"),
        ),
        Table(
            "desired_effects",
            "desired_effects.parquet",
            {
                "effect_id": "VARCHAR",
                "pledge_id": "VARCHAR",
                "text": "VARCHAR",
                "indicator_id": "VARCHAR",
                "follow_up_source": "VARCHAR",
            },
            ("effect_id", "pledge_id", "text"),
        ),
        _updates_table("commitment"),
        Table(
            "meetings",
            "meetings/*.parquet",
            {
                "meeting_id": "VARCHAR",
                "kind": "VARCHAR",
                "held_on": "DATE",
                "kommun_kods": "VARCHAR[]",
                "focus_areas": "VARCHAR[]",
                "notes": "VARCHAR",
                "recorded_by": "VARCHAR",
                "recorded_at": "TIMESTAMP",
                # Who took part (roles or organisations) and the steps shown, for the minutes.
                "present": "VARCHAR[]",
                "agenda": "VARCHAR[]",
                # The period the lägesbild showed, so the minutes repeat its figures.
                "period_start": "DATE",
                "period_end": "DATE",
            },
            ("meeting_id", "kind", "held_on", "kommun_kods"),
            append_only=True,
            # A meeting is recorded when it starts and again when it ends (agenda,
            # decided focus areas): the latest version is the meeting (`meetings_now()`).
            unique=("meeting_id", "recorded_at"),
        ),
        Table(
            "actions",
            "actions.parquet",
            {
                "action_id": "VARCHAR",
                "meeting_id": "VARCHAR",
                "text": "VARCHAR",
                "actor": "VARCHAR",
                # A person or unit within the actor, free text.
                "owner": "VARCHAR",
                "due_date": "DATE",
                "focus_area": "VARCHAR",
                # An area of areas.parquet once areas exist; until then `place` in words.
                "area_id": "VARCHAR",
                "place": "VARCHAR",
                "created_by": "VARCHAR",
                "created_at": "TIMESTAMP",
            },
            ("action_id", "meeting_id", "text", "actor", "due_date"),
        ),
        _updates_table("action"),
        Table(
            "indicators",
            "indicators.parquet",
            {
                "indicator_id": "VARCHAR",
                "name_sv": "VARCHAR",
                "unit": "VARCHAR",
                "source": "VARCHAR",
                "direction": "VARCHAR",
                "focus_area": "VARCHAR",
                "period_type": "VARCHAR",
                "per_capita": "BOOLEAN",
                # The sources' own ids of this series, "system:id" ("kolada:N07402",
                # "bra:Samtliga brott"); imports from those sources fill it (`imports.sources`).
                "source_ids": "VARCHAR[]",
            },
            ("indicator_id", "name_sv", "direction"),
        ),
        Table(
            "indicator_values",
            "indicator_values.parquet",
            {
                "indicator_id": "VARCHAR",
                "kommun_kod": "VARCHAR",
                "period_start": "DATE",
                "period_type": "VARCHAR",
                "value": "DOUBLE",
                "target": "DOUBLE",
            },
            ("indicator_id", "kommun_kod", "period_start", "period_type"),
            unique=("indicator_id", "kommun_kod", "period_start", "period_type"),
        ),
        Table(
            "population",
            "population.parquet",
            # Folkmängd on 31 December of `year` (SCB BE0101N1); per-capita figures use the value's year.
            {"kommun_kod": "VARCHAR", "year": "INTEGER", "population": "INTEGER"},
            ("kommun_kod", "year", "population"),
            unique=("kommun_kod", "year"),
        ),
    )
}


#: Corrected tables keep the versions they replaced, append-only (`follow_up.upsert`).
REVISED = ("pledges", "commitments", "actions", "desired_effects", "indicators")
REVISIONS: dict[str, Table] = {
    f"{name}_revisions": Table(
        f"{name}_revisions",
        f"{name}_revisions/*.parquet",
        TABLES[name].columns | {"replaced_at": "TIMESTAMP", "replaced_by": "VARCHAR"},
        TABLES[name].required,
        append_only=True,
        unique=(TABLES[name].key[0], "replaced_at"),
    )
    for name in REVISED
}
#: Tables that live with the incident tree, always Parquet: the incidents and what is derived from them.
WITH_INCIDENTS = ("incidents", "incident_daily", "incident_areas")
#: The shared tables: Parquet files of the data directory, or PostgreSQL (`dashboard.tables`).
STORED: dict[str, Table] = {name: t for name, t in (TABLES | REVISIONS).items() if name not in WITH_INCIDENTS}


def empty_select(table: Table) -> str:
    """A typed SELECT with no rows, for a table that has no files yet."""
    cols = ", ".join(f'CAST(NULL AS {typ}) AS "{col}"' for col, typ in table.columns.items())
    return f"SELECT {cols} WHERE false"


def to_arrow(frame: pd.DataFrame | pa.Table, table_name: str) -> pa.Table:
    """A frame (or Arrow table) with exactly the columns and types of the contract."""
    con = _converter()
    con.register("frame", frame)
    try:
        present = set(frame.column_names if isinstance(frame, pa.Table) else frame.columns)
        cols = ", ".join(
            f'CAST("{col}" AS {typ}) AS "{col}"' if col in present else f'CAST(NULL AS {typ}) AS "{col}"'
            for col, typ in (TABLES | REVISIONS)[table_name].columns.items()
        )
        return con.sql(f"SELECT {cols} FROM frame").to_arrow_table()
    finally:
        con.unregister("frame")


def arrow_schema(table_name: str) -> pa.Schema:
    """The Arrow schema of a contract table (as `to_arrow` makes it), e.g. for a file written in parts."""
    return _converter().sql(empty_select((TABLES | REVISIONS)[table_name])).to_arrow_table().schema


_local = threading.local()


def _converter() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB for `to_arrow` (opening one takes longer than converting a table)."""
    if getattr(_local, "con", None) is None:
        _local.con = duckdb.connect(":memory:")
    return _local.con
