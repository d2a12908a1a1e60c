"""`python -m dashboard import commitments FILE`: Swedish headers, all or
nothing, a report of rejected rows, idempotent re-import, corrections."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, tables
from dashboard.imports.commitments import import_file
from dashboard.roles import command_line_author
from dashboard.validation import ImportRejected
from tests import datasets
from tests.datasets import write_tables

AUTHOR = command_line_author()
HEADER = "löfte;Aktör;Åtagande;Fokusområden;Slutdatum;Indikatorer"
GOOD = [
    "lilla_edet_2025;Polisen;Fler trygghetsvandringar i centrum;Narkotika, trafik;2026-06-30;upplevd_trygghet",
    "lilla_edet_2025;Tillsammans;Gemensam lägesbild varje månad;trafik;;",
]
BAD = "okänt_löfte;Brandkåren;;okänt;2026-13-01;x"

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def data(tmp_path) -> Path:
    pledges = pd.DataFrame(
        [{"pledge_id": "lilla_edet_2025", "title": "Lilla Edet", "kommun_kods": ["1462"],
          "period_start": date(2025, 1, 1), "period_end": date(2026, 12, 31)}]
    )  # fmt: skip
    commitments = pd.DataFrame(
        [{"commitment_id": "befintligt", "pledge_id": "lilla_edet_2025", "actor": "kommunen",
          "text": "Belysning i parken", "focus_areas": ["trafik"], "due_date": date(2026, 12, 31), "indicator_ids": []}]
    )  # fmt: skip
    indicators = pd.DataFrame([{"indicator_id": "upplevd_trygghet", "name_sv": "Upplevd trygghet", "direction": "increase"}])
    return write_tables(tmp_path / "data", pledges=pledges, commitments=commitments, indicators=indicators)


def csv_file(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "ataganden.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


def stored(data: Path) -> pd.DataFrame:
    return datasets.stored(data, "commitments").set_index("commitment_id")


def test_valid_file_with_swedish_headers_and_labels(data, tmp_path):
    result = import_file(csv_file(tmp_path, *GOOD, encoding="cp1252"), data, AUTHOR)
    assert (result.written, result.unchanged, result.rejected, result.report) == (2, 0, None, None)
    rows = stored(data)
    assert len(rows) == 3
    police = rows[rows["actor"] == "polisen"].iloc[0]
    assert list(police["focus_areas"]) == ["narkotika", "trafik"]  # Swedish names -> codes
    assert police["due_date"] == date(2026, 6, 30)
    assert list(police["indicator_ids"]) == ["upplevd_trygghet"]
    joint = rows[rows["actor"] == "gemensamt"].iloc[0]  # "Tillsammans"
    assert joint["due_date"] == date(2026, 12, 31)  # empty: the end of the pledge
    assert pd.notna(joint["created_at"])


def test_one_invalid_row_rejects_the_whole_file(data, tmp_path):
    before = tables.store(data).versions()
    with pytest.raises(ImportRejected) as caught:
        import_file(csv_file(tmp_path, *GOOD, BAD), data, AUTHOR)
    lines = [p.english() for p in caught.value.problems]
    assert lines == [
        "ataganden.csv, row 4, column pledge_id: unknown pledge (value: 'okänt_löfte')",
        "ataganden.csv, row 4, column actor: unknown actor (polisen, kommunen, gemensamt, ovrig) (value: 'Brandkåren')",
        "ataganden.csv, row 4, column text: required value missing",
        "ataganden.csv, row 4, column focus_areas: unknown focus area (value: 'okänt')",
        "ataganden.csv, row 4, column due_date: missing or not a date (YYYY-MM-DD) (value: '2026-13-01')",
        "ataganden.csv, row 4, column indicator_ids: unknown indicator (value: 'x')",
    ]
    assert caught.value.problems[2].swedish() == "ataganden.csv, rad 4, kolumn text: Åtagandets text saknas"
    assert tables.store(data).versions() == before
    assert not (tmp_path / "ataganden.csv.rejected.csv").exists()


def test_skip_invalid_imports_the_rest_and_reports_rejected_rows(data, tmp_path):
    path = csv_file(tmp_path, GOOD[0], BAD, GOOD[1])
    result = import_file(path, data, AUTHOR, skip_invalid=True)
    assert result.written == 2 and {p.row for p in result.rejected} == {3}
    assert result.report == tmp_path / "ataganden.csv.rejected.csv"
    report = result.report.read_text(encoding="utf-8-sig").splitlines()
    assert report[0] == "löfte;Aktör;Åtagande;Fokusområden;Slutdatum;Indikatorer;row;column;value;reason;orsak"  # headers as written
    assert report[1].startswith("okänt_löfte;Brandkåren;;okänt;2026-13-01;x;3;")
    assert "Åtagandets text saknas" in report[1] and len(report) == 2
    assert len(stored(data)) == 3


def test_reimporting_the_same_rows_changes_nothing(data, tmp_path):
    path = csv_file(tmp_path, *GOOD)
    import_file(path, data, AUTHOR)
    before = tables.store(data).versions()
    result = import_file(path, data, AUTHOR)
    assert (result.written, result.unchanged) == (0, 2)
    assert tables.store(data).versions() == before


def test_existing_id_with_new_content_is_a_correction(data, tmp_path):
    path = csv_file(
        tmp_path,
        "befintligt;lilla_edet_2025;Kommunen;Belysning i parken och på gångvägen;trafik;2026-10-01",
        header="id;löfte;aktör;text;fokusområde;slutdatum",
    )
    assert import_file(path, data, AUTHOR).written == 1
    assert stored(data).loc["befintligt", ["text", "due_date"]].tolist() == [
        "Belysning i parken och på gångvägen", date(2026, 10, 1),
    ]  # fmt: skip
    old = datasets.stored(data, "commitments_revisions")
    assert old[["text", "replaced_by"]].values.tolist() == [["Belysning i parken", "import ataganden.csv"]]


def test_duplicate_rows_in_one_file_are_rejected(data, tmp_path):
    with pytest.raises(ImportRejected) as caught:
        import_file(csv_file(tmp_path, GOOD[0], GOOD[0]), data, AUTHOR)
    [problem] = caught.value.problems
    assert (problem.row, problem.reason_en) == (3, "same commitment as row 2")


def test_a_given_id_must_be_a_plain_identifier(data, tmp_path):
    path = csv_file(tmp_path, "a b/c;lilla_edet_2025;polisen;Text;trafik", header="id;löfte;aktör;text;fokusområden")
    with pytest.raises(ImportRejected) as caught:
        import_file(path, data, AUTHOR)
    assert [(p.column, p.value) for p in caught.value.problems] == [("commitment_id", "a b/c")]


def test_missing_or_doubled_columns_reject_the_file(data, tmp_path):
    with pytest.raises(ImportRejected) as caught:
        import_file(csv_file(tmp_path, "lilla_edet_2025;x;y", header="löfte;text;åtagande"), data, AUTHOR)
    # The reason goes on to list the accepted names (imports.headers).
    assert [(p.row, p.column, p.reason_en[:30]) for p in caught.value.problems] == [
        (1, "actor", "required column missing (accep"),
        (1, "focus_areas", "required column missing (accep"),
        (1, "text", "several columns mean the same"),
    ]


def test_xlsx_and_parquet_files(data, tmp_path):
    frame = pd.DataFrame(
        {"pledge_id": ["lilla_edet_2025"], "actor": ["ovrig"], "text": ["Bostadsbolaget lagar belysningen"],
         "focus_areas": ["trafik"], "due_date": [pd.Timestamp("2026-05-01")]}
    )  # fmt: skip
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    assert import_file(tmp_path / "a.xlsx", data, AUTHOR).written == 1
    frame.to_parquet(tmp_path / "a.parquet")
    assert (import_file(tmp_path / "a.parquet", data, AUTHOR).unchanged, len(stored(data))) == (1, 2)
    assert stored(data).query("actor == 'ovrig'")["due_date"].tolist() == [date(2026, 5, 1)]


def test_command_line(data, tmp_path, capsys):
    good = csv_file(tmp_path, *GOOD)
    assert cli.main(["--data-dir", str(data), "import", "commitments", str(good)]) == 0
    assert "2 row(s) imported, 0 already present" in capsys.readouterr().out
    bad = csv_file(tmp_path, BAD)
    assert cli.main(["--data-dir", str(data), "import", "commitments", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column pledge_id: unknown pledge" in err and "nothing was imported" in err
    assert cli.main(["--data-dir", str(data), "import", "commitments", str(bad), "--skip-invalid"]) == 0
    assert "1 row(s) rejected; see" in capsys.readouterr().out
