"""Brå's files as Brå publishes them, into the indicators that record their statistic.

Format and provenance of the fixtures: tests/fixtures/sources/FORMATS.md section 3, README.md there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli
from dashboard.imports import sources, statistics
from dashboard.roles import Author
from dashboard.validation import ImportRejected
from tests.datasets import write_tables

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
AUTHOR = Author("test")
YEARLY = FIXTURES / "Anmälda brott kommunerna 2024.csv"
OLD = FIXTURES / "anmalda_brott_kommuner_2021.csv"
SOL = FIXTURES / "Databasfil.txt"
KOMMUNER = pd.DataFrame(
    {"kommun_kod": ["1462", "1494", "1960"], "kommun": ["Lilla Edet", "Lidköping", "Kungsör"],
     "lat": [58.13, 58.5, 59.42], "lon": [12.12, 13.16, 16.1]}
)  # fmt: skip
#: The demo's reported-crimes indicator records Kolada's and Brå's id; a count indicator follows assaults.
INDICATORS = pd.DataFrame(
    {"indicator_id": ["anmalda_brott_totalt", "misshandel"], "name_sv": ["Anmälda brott totalt", "Misshandel"],
     "unit": ["antal per 100 000 inv.", "antal"], "direction": ["decrease", "decrease"],
     "period_type": ["year", "year"], "per_capita": [True, False],
     "source_ids": [["kolada:N07540", "bra:Samtliga brott"], ["bra:Misshandel inkl. grov"]]}
)  # fmt: skip


@pytest.fixture
def data(tmp_path) -> Path:
    return write_tables(tmp_path / "data", municipalities=KOMMUNER, indicators=INDICATORS)


def _values(data: Path) -> dict[tuple, float]:
    frame = pd.read_parquet(data / "indicator_values.parquet")
    return {(r.indicator_id, r.kommun_kod, str(r.period_start)): r.value for r in frame.itertuples()}


def test_yearly_kommun_file_fills_the_rate_without_options(data):
    result = statistics.import_file(YEARLY, data, AUTHOR)
    assert _values(data) == {
        ("anmalda_brott_totalt", "1462", "2024-01-01"): 8960.0,
        ("anmalda_brott_totalt", "1494", "2024-01-01"): 7700.0,
        ("anmalda_brott_totalt", "1960", "2024-01-01"): 9630.0,
    }
    assert result.skips.counts == {sources.NOT_SERVED: 7}
    assert result.notes()[0].startswith(f"7 row(s) skipped: {sources.NOT_SERVED} (Ale, Alingsås, Malung-Sälen")


def test_older_file_without_header_skips_stadsdelar(data):
    result = statistics.import_file(OLD, data, AUTHOR)
    assert _values(data) == {
        ("anmalda_brott_totalt", "1462", "2021-01-01"): 8483.0,
        ("anmalda_brott_totalt", "1494", "2021-01-01"): 8205.0,
        ("anmalda_brott_totalt", "1960", "2021-01-01"): 10051.0,
    }
    assert result.skips.counts == {sources.NOT_SERVED: 4, sources.NOT_KOMMUN: 2}
    assert f"2 row(s) skipped: {sources.NOT_KOMMUN} (Spånga-Tensta, Hässelby-Vällingby)" in result.notes()


def test_a_count_indicator_takes_the_count(data):
    statistics.import_file(YEARLY, data, AUTHOR, indicator="misshandel")  # --indicator overrides the mapping
    assert _values(data)[("misshandel", "1462", "2024-01-01")] == 1274.0


def test_sol_export_fills_each_crime_and_month(data):
    result = statistics.import_file(SOL, data, AUTHOR)
    assert _values(data) == {
        ("anmalda_brott_totalt", "1462", "2023-01-01"): 8421.0,
        ("misshandel", "1462", "2023-01-01"): 96.0,
        ("misshandel", "1462", "2024-01-01"): 103.0,
        ("misshandel", "1960", "2024-01-01"): 71.0,
        ("misshandel", "1494", "2025-08-01"): 19.0,  # monthly, preliminary
    }
    assert result.skips.counts == {sources.NO_VALUE: 1, sources.TOTAL: 1}  # the parent crime group; Hela landet
    assert any("preliminary" in note for note in result.notes())


def test_a_statistic_nobody_records_is_skipped_and_named(data, tmp_path):
    write_tables(data, municipalities=KOMMUNER, indicators=INDICATORS.iloc[:1])
    result = statistics.import_file(SOL, data, AUTHOR)
    assert len(_values(data)) == 1
    note = "no indicator records 'bra:Misshandel inkl. grov'; define one to import it (docs/data-model.md)"
    assert note in result.notes()


def test_reimport_changes_nothing(data):
    statistics.import_file(SOL, data, AUTHOR)
    before = (data / "indicator_values.parquet").read_bytes()
    result = statistics.import_file(SOL, data, AUTHOR)
    assert result.written == 0 and result.unchanged == 5
    assert (data / "indicator_values.parquet").read_bytes() == before


def test_broken_number_names_file_row_and_column(data, tmp_path):
    path = tmp_path / "Anmälda brott kommunerna 2024.csv"
    path.write_bytes(YEARLY.read_bytes().replace(b"Lidk\xc3\xb6ping;3120;7700", b"Lidk\xc3\xb6ping;3120;77O0"))
    with pytest.raises(ImportRejected) as exc:
        statistics.import_file(path, data, AUTHOR)
    assert [p.english() for p in exc.value.problems] == [
        "Anmälda brott kommunerna 2024.csv, row 5, column Per 100 000 inv.: not a number (value: '77O0')"
    ]
    assert not (data / "indicator_values.parquet").exists()


def test_the_year_comes_from_the_option_when_the_name_has_none(data, tmp_path, capsys):
    path = tmp_path / "anmalda.csv"
    shutil.copy(YEARLY, path)
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(path)]) == 1
    assert "anmalda.csv: no year in the file name: pass --year YYYY" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(path), "--year", "2023"]) == 0
    assert ("anmalda_brott_totalt", "1462", "2023-01-01") in _values(data)


def test_format_is_recognised_and_can_be_forced(data, capsys):
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(SOL), "--format", "bra-kommuner"]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(SOL), "--format", "nej"]) == 1
    assert "unknown format 'nej' (known: kolada, bra-kommuner, bra-sol, scb, per-area, long)" in capsys.readouterr().err
