"""The daily summary of the incidents gives the answers the incidents give:
written by the demo and by every write of incidents, rebuilt for the
partitions an import adds rows to, and computed on the fly for a data
directory written before it existed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import db, filters, incident_store, summaries
from dashboard.schema import to_arrow
from tests.datasets import incidents, write_tables

RAW = """
SELECT kommun_kod, year, occurred_at::DATE AS day, focus_area, category, count(*) AS n
FROM incidents GROUP BY ALL
"""
SUMMARY = "SELECT kommun_kod, year, day, focus_area, category, n FROM incident_daily"


def _same(data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = db.connect(data_dir)
    try:
        raw, summary = (con.execute(f"{sql} ORDER BY ALL").df() for sql in (RAW, SUMMARY))
    finally:
        con.close()
    return raw.astype({"n": "int64"}), summary.astype({"n": "int64"})


def _fixture(tmp_path):
    return write_tables(
        tmp_path / "data",
        incidents=incidents(
            ("1462", "Narkotikabrott", "narkotika", "2026-03-03 22:00", 58.1, 12.1),
            ("1462", "Narkotikabrott", "narkotika", "2026-03-03 23:30", 58.1, 12.1),
            ("1462", "Rattfylleri", "trafik", "2026-03-20 02:00", 58.1, 12.1),
            ("1488", "Rattfylleri", "trafik", "2025-12-31 23:59", 58.2, 12.2),
            ("1488", "Narkotikabrott", "narkotika", "2026-04-01 00:00", 58.2, 12.2),
        ),
    )


def _add(data_dir, frame: pd.DataFrame) -> None:
    """Add rows as an import does: through the incident store, under its lock."""
    con = duckdb.connect(":memory:")
    try:
        con.register("new_rows", to_arrow(frame.assign(year=frame["occurred_at"].dt.year), "incidents"))
        with incident_store.locked(data_dir):
            incident_store.add_rows(con, data_dir, "SELECT * FROM new_rows", {})
    finally:
        con.close()


def _derived(data_dir) -> pd.DataFrame:
    sel = filters.Selection(("1462", "1488"), (), "anpassad", date(2026, 1, 1), date(2026, 6, 30))
    con = db.connect(data_dir)
    try:
        frame = db.run_query(con, "indicator_derived", sel.params() | {"grain": "month"})
    finally:
        con.close()
    return frame.set_index(["kommun_kod", "focus_area", "period_start"])["n"]


def test_the_summary_counts_what_the_incidents_hold(tmp_path):
    data_dir = _fixture(tmp_path)
    raw, summary = _same(data_dir)
    pd.testing.assert_frame_equal(summary, raw)
    assert summary["n"].sum() == 5


def test_an_import_into_an_existing_month_updates_its_summary_and_leaves_the_rest(tmp_path):
    data_dir = _fixture(tmp_path)
    summary_file = Path(summaries.SUMMARY_DIR) / "kommun_kod=1488" / "year=2025" / summaries.FILE_NAME
    before = (incident_store.current_tree(data_dir) / summary_file).stat().st_ino
    march = pd.Timestamp("2026-03-01")
    assert _derived(data_dir).loc[("1462", "narkotika", march)] == 2
    added = incidents(
        ("1462", "Narkotikabrott", "narkotika", "2026-03-03 10:00", 58.1, 12.1),
        ("1462", "Narkotikabrott", "narkotika", "2026-03-25 10:00", 58.1, 12.1),
    )
    _add(data_dir, added.assign(incident_id=["n1", "n2"]))
    raw, summary = _same(data_dir)
    pd.testing.assert_frame_equal(summary, raw)
    derived = _derived(data_dir)
    assert derived.loc[("1462", "narkotika", march)] == 4
    assert derived.loc[("1462", None, march)] == 5  # the total of the month
    # another partition's summary is kept (linked into the new version), not rewritten
    assert (incident_store.current_tree(data_dir) / summary_file).stat().st_ino == before


def test_a_directory_without_a_summary_is_counted_from_the_incidents_until_its_next_import(tmp_path):
    data_dir = _fixture(tmp_path)
    shutil.rmtree(incident_store.current_tree(data_dir) / summaries.SUMMARY_DIR)
    raw, summary = _same(data_dir)  # the view computes it
    pd.testing.assert_frame_equal(summary, raw)
    _add(data_dir, incidents(("1488", "Rattfylleri", "trafik", "2026-05-05 12:00", 58.2, 12.2)).assign(incident_id=["n"]))
    current = incident_store.current_tree(data_dir)
    written = sorted(p.parent.parent.name + "/" + p.parent.name for p in current.glob("_summary/*/*/*"))
    assert written == sorted(summaries.partitions(current))  # every partition, not just the new row's
    raw, summary = _same(data_dir)
    pd.testing.assert_frame_equal(summary, raw)


def test_the_demo_writes_the_summary(demo_dir):
    raw, summary = _same(demo_dir)
    pd.testing.assert_frame_equal(summary, raw)
    assert len(summary) < raw["n"].sum()


@pytest.mark.parametrize("grain", ["month", "quarter"])
def test_derived_indicators_from_the_summary_equal_those_from_the_incidents(demo_dir, grain):
    sel = filters.Selection(("1462", "1488"), ("narkotika",), "ar", date(2025, 12, 2), date(2026, 12, 1))
    con = db.connect(demo_dir)
    try:
        ours = db.run_query(con, "indicator_derived", sel.params() | {"grain": grain})
        # The same query with the summary computed from the incidents on the fly.
        con.execute(f"CREATE OR REPLACE VIEW incident_daily AS {db.query_text('incident_daily')}")
        raw = db.run_query(con, "indicator_derived", sel.params() | {"grain": grain})
    finally:
        con.close()
    assert len(ours) > 0 and ours["n"].sum() > 0
    pd.testing.assert_frame_equal(ours, raw)
