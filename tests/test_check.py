import pandas as pd
import pytest

from dashboard.check import check_data_dir
from dashboard.cli import main
from dashboard import tables
from dashboard.schema import to_arrow
from tests.datasets import MUNICIPALITIES, copy_demo, incidents, write_tables

pytestmark = pytest.mark.usefixtures("backend")


def test_demo_data_passes_the_check(demo_dir, tmp_path):
    assert check_data_dir(copy_demo(demo_dir, tmp_path / "demo")) == []


def test_missing_directory_and_tables_are_reported(tmp_path):
    assert check_data_dir(tmp_path / "nope") == [f"{tmp_path / 'nope'}: data directory does not exist"]
    problems = check_data_dir(write_tables(tmp_path))
    assert any(p.startswith("pledges: table missing") for p in problems)


def test_problems_name_table_file_row_and_column(tmp_path, backend):
    munis = MUNICIPALITIES.copy()
    munis.loc[1, "kommun_kod"] = "148"
    data = write_tables(
        tmp_path,
        municipalities=munis,
        pledges=pd.DataFrame({"pledge_id": ["p"], "title": ["T"], "kommun_kods": [["1462"]],
                              "period_start": [pd.Timestamp("2025-01-01")], "period_end": [pd.Timestamp("2024-01-01")]}),
        commitments=pd.DataFrame({"commitment_id": ["c1", "c1"], "pledge_id": ["p", "x"],
                                  "actor": ["polisen", "polis"], "text": ["a", "b"]}),
        indicators=pd.DataFrame({"indicator_id": ["i"], "name_sv": ["I"], "direction": ["up"]}),
        incidents=incidents(("1462", "Narkotikabrott", "narkotika", "2026-01-01 10:00", 12.12, 58.13)),
    )  # fmt: skip
    problems = check_data_dir(data)
    where = {"parquet": "{}.parquet", "postgres": "{}"}[backend].format  # a file, or a table in PostgreSQL
    expected = [
        f"municipalities: {where('municipalities')} row 2, column kommun_kod: is not a 4-digit code (value: '148')",
        f"commitments: {where('commitments')} row 2, column actor: unknown actor (value: 'polis')",
        f"commitments: {where('commitments')} row 2, column pledge_id: unknown pledge (value: 'x')",
        "commitments: column commitment_id: value 'c1' occurs 2 times (must be unique)",
        f"pledges: {where('pledges')} row 1, column period_end: ends before it starts (value: '2024-01-01')",
        f"indicators: {where('indicators')} row 1, column direction: unknown direction (value: 'up')",
        "incidents: data_0_0.parquet row 1, column lat: position missing or outside Sweden (value: '12.12')",
    ]
    for line in expected:
        assert line in problems
    assert len(problems) == len(expected)


def test_check_command_exit_codes(tmp_path, demo_dir, capsys):
    assert main(["--data-dir", str(copy_demo(demo_dir, tmp_path / "demo")), "check"]) == 0
    assert main(["--data-dir", str(tmp_path / "nope"), "check"]) == 1
    assert "data directory does not exist" in capsys.readouterr().err


def test_population_rules(tmp_path, demo_dir):
    """Per-capita figures divide by population: one per kommun and year, positive, of a known kommun."""
    population = pd.DataFrame(
        {"kommun_kod": ["1462", "1462", "9999", "1494", "1415"], "year": [2024, 2024, 2024, 2023, 2099],
         "population": [14208, 14300, 5000, 0, 27853]}
    )  # fmt: skip
    data = copy_demo(demo_dir, tmp_path / "data")
    store = tables.store(data)
    store.replace("population", to_arrow(population, "population"))
    where = "population.parquet" if store.in_files else "population"
    problems = [p for p in check_data_dir(data) if p.startswith("population")]
    assert problems == [
        "population: column kommun_kod + year: value '1462 / 2024' occurs 2 times (must be unique)",
        f"population: {where} row 3, column kommun_kod: unknown municipality (value: '9999')",
        f"population: {where} row 4, column population: must be positive (value: '0')",
        f"population: {where} row 5, column year: is not a year up to this one (value: '2099')",
    ]
