"""Statistics imports (Brå, SCB, Kolada, population) keep the rule of every import:
all-or-nothing unless --skip-invalid, which imports the valid rows and writes the
others to FILE.rejected.csv in the one layout; and the summary of rows skipped on
purpose reads the same from the command line (English) and the pages (Swedish)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli
from dashboard.imports import population, report, statistics
from dashboard.imports.incidents import notes
from dashboard.roles import Author
from dashboard.validation import ImportRejected, Problem
from tests import test_imports_bra as bra_case
from tests import test_imports_kolada as kolada_case
from tests import test_imports_population as population_case
from tests.datasets import write_tables

AUTHOR = Author("test")


def _bra_data(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "data", municipalities=bra_case.KOMMUNER, indicators=bra_case.INDICATORS)


def _report(path: Path, delimiter: str = ";") -> list[list[str]]:
    """The report beside `path`, in the input's separator."""
    with open(report.report_path(path), encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def _broken_bra(tmp_path: Path) -> Path:
    path = tmp_path / "Anmälda brott kommunerna 2024.csv"
    path.write_bytes(bra_case.YEARLY.read_bytes().replace("Lidköping;3120;7700".encode(), "Lidköping;3120;=1+2".encode()))
    return path


def test_bra_without_skip_invalid_writes_nothing(tmp_path):
    data = _bra_data(tmp_path)
    with pytest.raises(ImportRejected):
        statistics.import_file(_broken_bra(tmp_path), data, AUTHOR)
    assert not (data / "indicator_values.parquet").exists()
    assert not report.report_path(_broken_bra(tmp_path)).exists()


def test_bra_skip_invalid_imports_the_rest_and_reports_the_row_formula_safe(tmp_path):
    data = _bra_data(tmp_path)
    path = _broken_bra(tmp_path)
    result = statistics.import_file(path, data, AUTHOR, skip_invalid=True)
    assert bra_case._values(data) == {
        ("anmalda_brott_totalt", "1462", "2024-01-01"): 8960.0,
        ("anmalda_brott_totalt", "1960", "2024-01-01"): 9630.0,
    }  # Lidköping's row is left out whole
    assert result.report == report.report_path(path)
    assert _report(path) == [
        ["Kommun", "Antal", "Per 100 000 inv.", "row", "column", "value", "reason", "orsak"],
        ["Lidköping", "3120", "'=1+2", "5", "Per 100 000 inv.", "'=1+2", "not a number", "inte ett tal"],
    ]


def test_headerless_bra_file_reports_under_the_known_column_names(tmp_path):
    data = _bra_data(tmp_path)
    path = tmp_path / "anmalda_brott_kommuner_2021.csv"
    path.write_bytes(bra_case.OLD.read_bytes().replace(b"8483", b"8 48x"))
    statistics.import_file(path, data, AUTHOR, skip_invalid=True)
    header, line = _report(path)
    assert header[:3] == ["Kommun", "Antal", "Per 100 000 inv."]
    assert line[2:] == ["8 48x", line[3], "Per 100 000 inv.", "8 48x", "not a number", "inte ett tal"]


def test_a_problem_of_the_whole_file_rejects_it_even_with_skip_invalid(tmp_path):
    data = _bra_data(tmp_path)
    path = tmp_path / "anmalda.csv"
    path.write_bytes(bra_case.YEARLY.read_bytes())
    with pytest.raises(ImportRejected, match="problem"):
        statistics.import_file(path, data, AUTHOR, skip_invalid=True)  # no year in the name


def test_population_skip_invalid(tmp_path):
    data = population_case._data(tmp_path)
    path = tmp_path / "folkmangd.csv"
    path.write_bytes((population_case.FIXTURES / population_case.FILES[0]).read_bytes().replace(b"14151", b"14 15x"))
    result = population.import_file(path, data, AUTHOR, skip_invalid=True)
    expected = {k: v for k, v in population_case.EXPECTED.items() if k[0] != "1462"}  # Lilla Edet's row, both years
    assert population_case._stored(data) == expected
    assert [p.row for p in result.rejected] == [7]
    assert _report(path, ",")[1] == [
        "1462 Lilla Edet", "14 15x", "14208", "7", "Folkmängd 2023", "14 15x", "not a number", "inte ett tal"
    ]  # fmt: skip


def test_kolada_skip_invalid_reports_the_item(tmp_path):
    data = kolada_case._data(tmp_path, municipalities=kolada_case.V3_KOMMUNER)
    payload = json.loads((kolada_case.FIXTURES / "kolada_v3_N07403_page1.json").read_text(encoding="utf-8"))
    payload["values"][1]["values"][0]["value"] = "1098,7"
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(ImportRejected):
        statistics.import_file(path, data, AUTHOR)
    result = statistics.import_file(path, data, AUTHOR, skip_invalid=True)
    assert kolada_case._values(data) == {("1415", 2023): 1044.1}
    assert _report(path) == [
        ["row", "column", "value", "reason", "orsak"],  # JSON has no rows: the problems only, same columns
        ["", "values[2].value", "1098,7", "not a number", "inte ett tal"],
    ]
    assert result.written == 1


def test_cli_skip_invalid_for_indicators_and_population(tmp_path, capsys):
    data = _bra_data(tmp_path)
    path = _broken_bra(tmp_path)
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(path)]) == 1
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(path), "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "2 row(s) imported, 0 already present" in out
    assert "7 row(s) skipped: kommun not served by this installation (Ale, Alingsås, Malung-Sälen" in out
    assert f"1 row(s) rejected; see {report.report_path(path)}" in out


def test_the_summary_in_swedish_on_the_page_and_english_on_the_command_line(tmp_path):
    data = _bra_data(tmp_path)
    result, report_bytes = statistics.import_upload(_broken_bra(tmp_path).name, _broken_bra(tmp_path).read_bytes(),
                                                    data, AUTHOR, skip_invalid=True)  # fmt: skip
    assert result.notes(swedish=True)[0].startswith(
        "7 rader hoppades över: kommunen ingår inte i installationen (Ale, Alingsås, Malung-Sälen"
    )
    assert result.notes()[0].startswith("7 row(s) skipped: kommun not served by this installation (Ale")
    assert "inte ett tal" in report_bytes.decode("utf-8-sig")
    # The incident import says it the same way.
    skipped = [Problem("f", r, "typ", "Sammanfattning natt", "a summary", "en sammanfattning") for r in (2, 3)]
    assert notes(skipped, {}, [], swedish=True) == ["2 rader hoppades över: en sammanfattning (Sammanfattning natt)"]
    assert notes(skipped, {}, []) == ["2 row(s) skipped: a summary (Sammanfattning natt)"]


def test_sol_monthly_preliminary_note_in_both_languages(tmp_path):
    data = _bra_data(tmp_path)
    result = statistics.import_file(bra_case.SOL, data, AUTHOR)
    assert any("preliminära" in n for n in result.notes(swedish=True))
    assert pd.read_parquet(data / "indicator_values.parquet").shape[0] == 5


@pytest.mark.parametrize("name", ["kommun_statistik.xlsx", "kommun_statistik.csv"])
def test_a_table_by_area_is_refused_saying_what_to_do(tmp_path, name):
    """kommun × område × kategori has no place in one value per kommun and period (imports/statistics.py)."""
    data = _bra_data(tmp_path)
    path = bra_case.FIXTURES / name
    with pytest.raises(ImportRejected) as info:
        statistics.import_file(path, data, AUTHOR, skip_invalid=True)
    [problem] = info.value.problems
    assert problem.reason_en.startswith("a table by area ('Område': Centrum, Lödöse, Margretelund, …)")
    assert "Indikator, Kommun, Period, Värde" in problem.reason_en and "import areas" in problem.reason_en
    assert problem.reason_sv.startswith("en tabell per område ('Område': Centrum, Lödöse, Margretelund, …)")
    assert not (data / "indicator_values.parquet").exists()
