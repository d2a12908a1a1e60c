from datetime import date

import pandas as pd
import pytest

from dashboard import db
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


def totals(data, kommun_kods, focus_areas=()):
    sel = Selection(tuple(kommun_kods), tuple(focus_areas), "anpassad", date(2026, 3, 1), date(2026, 3, 31))
    row = db.run_query(db.connect(data), "incident_totals", sel.params()).iloc[0]
    return int(row["current"]), int(row["previous"])


def test_totals_count_the_period_and_the_previous_period_of_equal_length(data):
    assert totals(data, ["1462"]) == (3, 1)


def test_totals_filter_on_municipality_and_focus_area(data):
    assert totals(data, ["1462"], ["narkotika"]) == (2, 1)
    assert totals(data, ["1462", "1488"], ["narkotika"]) == (3, 1)
    assert totals(data, ["1488"], ["trafik"]) == (0, 0)


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
    before = db.data_fingerprint(data)
    write_tables(data, indicators=pd.DataFrame({"indicator_id": ["x"], "name_sv": ["X"], "direction": ["increase"]}))
    assert db.data_fingerprint(data) != before
    db.refresh_views(con, data)
    assert con.execute("SELECT indicator_id FROM indicators").fetchall() == [("x",)]


def test_missing_data_dir_has_no_data(tmp_path):
    assert not db.has_data(tmp_path / "nothing")
