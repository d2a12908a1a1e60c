"""`import population FILE`: SCB's Folkmängd (BE0101N1) as PxWeb CSV and JSON-stat 2.0.

Format and provenance of the fixtures: tests/fixtures/sources/FORMATS.md section 4, README.md there."""

from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, db, indicators, tables
from dashboard.filters import Selection
from dashboard.imports import population, sources, statistics
from dashboard.roles import Author
from dashboard.validation import ImportRejected
from tests.datasets import TODAY, stored, write_tables

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
AUTHOR = Author("test")
FILES = ("scb_BE0101N1_pxweb.csv", "scb_BE0101N1_api2_semicolon.csv", "scb_BE0101N1.jsonstat2.json")
#: Orust (1421) has no figure for 2024 (".."); Lidköping (1494) is not served here.
KOMMUNER = pd.DataFrame(
    {"kommun_kod": ["1415", "1421", "1462"], "kommun": ["Stenungsund", "Orust", "Lilla Edet"],
     "lat": [58.07, 58.2, 58.13], "lon": [11.82, 11.7, 12.12], "population": [27_800, 15_100, 14_200]}
)  # fmt: skip
EXPECTED = {("1415", 2023): 27708, ("1415", 2024): 27853, ("1421", 2023): 15195,
            ("1462", 2023): 14151, ("1462", 2024): 14208}  # fmt: skip

pytestmark = pytest.mark.usefixtures("backend")


def _data(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "data", municipalities=KOMMUNER)


def _stored(data: Path) -> dict[tuple[str, int], int]:
    frame = stored(data, "population")
    return {(r.kommun_kod, r.year): r.population for r in frame.itertuples()}


@pytest.mark.parametrize("name", FILES)
def test_folkmangd_fills_population_by_year(tmp_path, name):
    data = _data(tmp_path)
    result = population.import_file(FIXTURES / name, data, AUTHOR)
    assert _stored(data) == EXPECTED
    assert result.written == 5
    assert result.skips.counts == {sources.NOT_SERVED: 8, sources.NO_VALUE: 1}  # 4 kommuner x 2 years; Orust 2024


def test_reimport_changes_nothing(tmp_path):
    data = _data(tmp_path)
    population.import_file(FIXTURES / FILES[0], data, AUTHOR)
    before = tables.store(data).versions()
    result = population.import_file(FIXTURES / FILES[2], data, AUTHOR)  # the same figures as JSON-stat
    assert (result.written, result.unchanged) == (0, 5)
    assert tables.store(data).versions() == before


def test_the_country_and_counties_are_skipped_as_totals(tmp_path):
    data = _data(tmp_path)
    path = tmp_path / "riket.csv"
    path.write_text('"Folkmängd"\n\n"region","Folkmängd 2024"\n"00 Riket",10551707\n'
                    '"14 Västra Götalands län",1744859\n"1462 Lilla Edet",14208\n', encoding="iso-8859-1")  # fmt: skip
    result = population.import_file(path, data, AUTHOR)
    assert _stored(data) == {("1462", 2024): 14208}
    assert result.skips.counts == {sources.TOTAL: 2}


def test_a_broken_cell_names_file_row_and_column_and_writes_nothing(tmp_path):
    data = _data(tmp_path)
    text = (FIXTURES / FILES[0]).read_bytes().replace(b"14151", b"14 15x")
    path = tmp_path / "folkmangd.csv"
    path.write_bytes(text)
    with pytest.raises(ImportRejected) as exc:
        population.import_file(path, data, AUTHOR)
    assert [p.english() for p in exc.value.problems] == [
        "folkmangd.csv, row 7, column Folkmängd 2023: not a number (value: '14 15x')"
    ]
    assert stored(data, "population").empty


def test_another_table_is_refused_with_what_to_do(tmp_path):
    data = _data(tmp_path)
    path = tmp_path / "other.csv"
    path.write_text('"Medelålder"\n"region","Medelålder 2024"\n"1462 Lilla Edet",42.1\n', encoding="utf-8")
    with pytest.raises(ImportRejected, match="problem") as exc:
        population.import_file(path, data, AUTHOR)
    assert "import indicators FILE --indicator ID" in exc.value.problems[0].english()


def test_cli_import_population(tmp_path, capsys):
    data = _data(tmp_path)
    assert cli.main(["--data-dir", str(data), "import", "population", str(FIXTURES / FILES[0])]) == 0
    out = capsys.readouterr().out
    assert "5 row(s) imported, 0 already present" in out
    assert f"1 row(s) skipped: {sources.NO_VALUE} (1421 Orust 2024)" in out


def test_per_capita_for_the_missing_year_uses_the_nearest_and_says_so(tmp_path):
    data = _data(tmp_path)
    population.import_file(FIXTURES / FILES[2], data, AUTHOR)
    write_tables(
        data, municipalities=KOMMUNER,
        indicators=pd.DataFrame({"indicator_id": ["stod"], "name_sv": ["Stöd"], "unit": ["antal"],
                                 "direction": ["increase"], "period_type": ["year"]}),
        indicator_values=pd.DataFrame({"indicator_id": "stod", "kommun_kod": "1421", "period_type": "year",
                                       "period_start": pd.to_datetime(["2023-01-01", "2024-01-01"]),
                                       "value": [15.195, 30.39]}),
    )  # fmt: skip
    sel = Selection(("1421",), (), "anpassad", pd.Timestamp("2023-01-01").date(), TODAY)
    with db.connect(data) as con:
        trends = indicators.load(partial(db.run_query, con), sel.params(), per_capita=True)
    assert trends.values["value"].tolist() == pytest.approx([100.0, 200.0])  # both divided by 2023's 15 195
    note = "Per 100 000 invånare: befolkning 2023 använd för 2024 (Orust)."
    assert trends.population_note({"1421": "Orust"}) == note


def test_any_other_scb_table_fills_an_indicator(tmp_path):
    """SCB for indicators: by --indicator, or by the contents code recorded as source id."""
    data = write_tables(
        tmp_path / "data", municipalities=KOMMUNER,
        indicators=pd.DataFrame({"indicator_id": ["alder", "folk"], "name_sv": ["Medelålder", "Folkmängd"],
                                 "unit": ["år", "antal"], "direction": ["none", "none"], "period_type": ["year", "year"],
                                 "source_ids": [[], ["scb:BE0101N1"]]}),
    )  # fmt: skip
    path = tmp_path / "medelalder.csv"
    path.write_text('"Medelålder"\n\n"region","Medelålder 2024"\n"1462 Lilla Edet",42.1\n', encoding="iso-8859-1")
    statistics.import_file(path, data, AUTHOR, indicator="alder")
    result = statistics.import_file(FIXTURES / FILES[2], data, AUTHOR)
    values = stored(data, "indicator_values")
    assert {(r.indicator_id, r.kommun_kod, r.period_start.year): r.value for r in values.itertuples()} == {
        ("alder", "1462", 2024): 42.1, ("folk", "1415", 2023): 27708, ("folk", "1415", 2024): 27853,
        ("folk", "1421", 2023): 15195, ("folk", "1462", 2023): 14151, ("folk", "1462", 2024): 14208,
    }  # fmt: skip
    assert result.skips.counts == {sources.NOT_SERVED: 8, sources.NO_VALUE: 1}


def test_the_command_alone_knows_the_format(tmp_path):
    # A fresh process: no other test module has loaded the indicator formats before.
    data = _data(tmp_path)
    command = [sys.executable, "-m", "dashboard", "--data-dir", str(data), "import", "population",
               str(FIXTURES / FILES[0])]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    assert _stored(data) == EXPECTED
