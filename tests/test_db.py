import re
from datetime import date

import pandas as pd
import pytest

from dashboard import db, hotspots
from dashboard.filters import Selection
from tests.datasets import incidents, write_tables


@pytest.fixture
def data(tmp_path):
    return write_tables(
        tmp_path,
        incidents=incidents(
            ("1462", "Narkotikabrott", "narkotika", "2026-03-01 22:00", 58.13, 12.12),
            ("1462", "Narkotikabrott", "narkotika", "2026-03-31 23:59", 58.13, 12.12),
            ("1462", "Rattfylleri", "trafik", "2026-03-15 02:00", 58.13, 12.12),
            ("1462", "Narkotikabrott", "narkotika", "2026-02-20 12:00", 58.13, 12.12),  # previous period
            ("1462", "Narkotikabrott", "narkotika", "2026-04-01 00:00", 58.13, 12.12),  # after the period
            ("1488", "Narkotikabrott", "narkotika", "2026-03-10 10:00", 58.28, 12.29),
            ("1488", "Narkotikabrott", "narkotika", "2025-12-31 23:00", 58.28, 12.29),  # other year, too early
        ),
    )


def march(kommun_kods, focus_areas=()) -> Selection:
    return Selection(tuple(kommun_kods), tuple(focus_areas), "anpassad", date(2026, 3, 1), date(2026, 3, 31))


def totals(data, kommun_kods, focus_areas=()):
    row = db.run_query(db.connect(data), "incident_totals", march(kommun_kods, focus_areas).params()).iloc[0]
    return int(row["current"]), int(row["previous"])


def test_totals_count_the_period_and_the_previous_period_of_equal_length(data):
    assert totals(data, ["1462"]) == (3, 1)


def test_totals_filter_on_municipality_and_focus_area(data):
    assert totals(data, ["1462"], ["narkotika"]) == (2, 1)
    assert totals(data, ["1462", "1488"], ["narkotika"]) == (3, 1)
    assert totals(data, ["1488"], ["trafik"]) == (0, 0)


@pytest.mark.parametrize(
    "kommun_kods, focus_areas", [(["1462"], []), (["1462", "1488"], ["narkotika"]), (["1488"], ["trafik"])]
)
def test_every_incident_query_counts_the_same_selection(data, kommun_kods, focus_areas):
    con = db.connect(data)
    sel = march(kommun_kods, focus_areas).params()
    total = db.run_query(con, "incident_totals", sel).iloc[0]
    categories = db.run_query(con, "incident_categories", sel)
    grid = hotspots.Grid(1000, 58.2)
    summary = db.run_query(con, "hotspot_summary", hotspots.summary_params(sel, hotspots.LocalFilter(), grid))
    by_category = summary[summary["slice"] == "category"]
    assert int(total["current"]) == by_category["n_now"].sum()
    both = int(total["current"] + total["previous"])
    assert both == categories["n"].sum() == by_category["n_now"].sum() + by_category["n_before"].sum()


def test_the_selection_of_incidents_is_written_once():
    """Every query of a selection reads incidents through the macro `selected_incidents`."""
    names = [path.stem for path in db.QUERIES_DIR.glob("*.sql") if path.stem not in db.MACRO_FILES]
    direct = {n for n in names if re.search(r"\b(FROM|JOIN)\s+incidents\b", db.query_text(n), re.I)}
    # The import compares ids with every stored incident; areas are assigned every point incident
    # (and an older incident_areas file is completed from them); the daily summary counts them all.
    assert direct == {"import_identify", "area_assign_points", "incident_partitions", "incident_areas_older", "incident_daily"}
    assert all(db.query_tables(name) == {"incidents"} for name in ("hotspot_summary", "incident_cell_list"))
    # Counts per day and group come from the daily summary (through `selected_daily`).
    for name in ("incident_totals", "incident_categories", "indicator_derived"):
        assert db.query_tables(name) == {"incident_daily"}
    assert db.query_tables("area_counts") == {"incident_areas"}


def test_a_query_knows_the_tables_it_reads_through_joins_subqueries_and_macros():
    assert db.query_tables("pledge_list") == {"pledges", "commitments", "municipalities"}
    assert db.query_tables("meeting_list") == {"meetings", "municipalities"}
    assert db.query_tables("commitment_status") == {"commitments", "pledges", "commitment_updates"}
    assert db.query_tables("focus_areas") == {"focus_areas"}


def test_hive_partition_keeps_kommun_kod_as_text(data):
    con = db.connect(data)
    assert con.execute("SELECT DISTINCT typeof(kommun_kod) FROM incidents").fetchall() == [("VARCHAR",)]
    assert sorted(r[0] for r in con.execute("SELECT DISTINCT year FROM incidents").fetchall()) == [2025, 2026]


def test_only_the_parameters_a_query_uses_are_bound_and_missing_ones_are_named(data):
    con = db.connect(data)
    assert db.query_params("municipalities") == set()
    assert len(db.run_query(con, "municipalities", {"unused": 1})) == 2
    with pytest.raises(KeyError, match="kommun_kods"):
        db.run_query(con, "incident_totals", {})


def test_user_text_in_a_parameter_is_data_not_sql(data):
    con = db.connect(data)
    sel = Selection(("1462') OR true --",), (), "anpassad", date(2026, 3, 1), date(2026, 3, 31))
    row = db.run_query(con, "incident_totals", sel.params()).iloc[0]
    assert (row["current"], row["previous"]) == (0, 0)


def test_tables_without_files_are_empty_views_with_the_contract_columns(data):
    con = db.connect(data)
    assert con.execute("SELECT count(*) FROM commitment_updates").fetchone() == (0,)
    cols = [r[0] for r in con.execute("DESCRIBE commitment_updates").fetchall()]
    assert cols[:5] == ["update_id", "commitment_id", "at", "status", "progress"]


def test_views_pick_up_a_table_written_after_connecting(data):
    con = db.connect(data)
    before = db.table_fingerprints(data)
    write_tables(data, indicators=pd.DataFrame({"indicator_id": ["x"], "name_sv": ["X"], "direction": ["increase"]}))
    after = db.table_fingerprints(data)
    assert after["indicators"] != before["indicators"] and after["incidents"] == before["incidents"]
    db.refresh_views(con, data)
    assert con.execute("SELECT indicator_id FROM indicators").fetchall() == [("x",)]


def test_missing_data_dir_has_no_data(tmp_path):
    assert not db.has_data(tmp_path / "nothing")
