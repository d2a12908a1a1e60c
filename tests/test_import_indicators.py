"""Importing indicator values: formats, Swedish headers, row/column errors,
all-or-nothing, --skip-invalid, idempotent merge, concurrent imports, upload."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, tables
from dashboard.imports import long_format
from dashboard.roles import command_line_author
from dashboard.ui import access
from dashboard.validation import ImportRejected
from tests import datasets
from tests.datasets import write_tables
from tests.processes import run_together

TODAY = date(2026, 11, 24)
INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["upplevd_trygghet", "upptackta_narkotikabrott"],
        "name_sv": ["Upplevd trygghet", "Upptäckta narkotikabrott"],
        "unit": ["andel (%)", "antal per 100 000 inv."],
        "direction": ["increase", "increase"],
        "focus_area": ["narkotika", "narkotika"],
        "period_type": ["year", "quarter"],
        "per_capita": [False, True],
    }
)

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def data(tmp_path):
    return write_tables(tmp_path / "data", indicators=INDICATORS)


def stored(data) -> pd.DataFrame:
    frame = datasets.stored(data, "indicator_values")
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]).dt.strftime("%Y-%m-%d"))
    return frame.astype(object).where(frame.notna(), None)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(path, data, **options):
    return long_format.import_file(path, data, command_line_author(), today=TODAY, **options)


GOOD = """indikator;kommun;period;värde;mål
Upplevd trygghet;Lilla Edet;2024;71,5;75
upplevd_trygghet;1488;2023;68;
Upptäckta narkotikabrott;1462;2024-Q1;150,25;
upptackta_narkotikabrott;Trollhättan;2024K2;1 234,5;190
"""


def test_swedish_headers_decimal_comma_names_and_codes(data, tmp_path):
    result = run(write_csv(tmp_path / "värden.csv", GOOD, "cp1252"), data)
    assert (result.written, result.unchanged, result.rejected) == (4, 0, None)
    rows = stored(data).sort_values(["indicator_id", "kommun_kod", "period_start"])
    assert rows.to_dict("records") == [
        {"indicator_id": "upplevd_trygghet", "kommun_kod": "1462", "period_start": "2024-01-01", "period_type": "year", "value": 71.5, "target": 75.0},
        {"indicator_id": "upplevd_trygghet", "kommun_kod": "1488", "period_start": "2023-01-01", "period_type": "year", "value": 68.0, "target": None},
        {"indicator_id": "upptackta_narkotikabrott", "kommun_kod": "1462", "period_start": "2024-01-01", "period_type": "quarter", "value": 150.25, "target": None},
        {"indicator_id": "upptackta_narkotikabrott", "kommun_kod": "1488", "period_start": "2024-04-01", "period_type": "quarter", "value": 1234.5, "target": 190.0},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("period", "period_type", "start", "kind"),
    [
        ("2024", "", "2024-01-01", "year"),
        ("2024-Q3", "", "2024-07-01", "quarter"),
        ("2024 kv 4", "kvartal", "2024-10-01", "quarter"),
        ("2024-03", "", "2024-03-01", "month"),
        ("2024-05-17", "quarter", "2024-04-01", "quarter"),  # a date names the period holding it
        ("2024-05-17", "månad", "2024-05-01", "month"),
        ("2024-05-17", "", "2024-01-01", "year"),  # without period_type: the indicator's own type
    ],
)
def test_period_forms(data, tmp_path, period, period_type, start, kind):
    text = f"indicator_id,kommun_kod,period,value,period_type\nupplevd_trygghet,1462,{period},70,{period_type}\n"
    run(write_csv(tmp_path / "v.csv", text), data)
    row = stored(data).iloc[0]
    assert (row["period_start"], row["period_type"]) == (start, kind)


def test_mixed_period_types_are_kept_apart(data, tmp_path):
    text = "indicator_id,kommun_kod,period,value\nupplevd_trygghet,1462,2024,70\nupplevd_trygghet,1462,2024-Q1,69\n"
    assert run(write_csv(tmp_path / "v.csv", text), data).written == 2
    assert sorted(stored(data)["period_type"]) == ["quarter", "year"]


def test_xlsx_and_parquet(data, tmp_path):
    frame = pd.DataFrame({"Indikator": ["Upplevd trygghet"], "Kommunkod": [1462], "Period": [2024], "Värde": [70.5]})
    frame.to_excel(tmp_path / "v.xlsx", index=False)  # numbers in Excel cells, read back as text
    assert run(tmp_path / "v.xlsx", data).written == 1
    frame.assign(Period=["2023"], Kommunkod=["1488"]).to_parquet(tmp_path / "v.parquet")
    assert run(tmp_path / "v.parquet", data).written == 1
    assert sorted(stored(data)["kommun_kod"]) == ["1462", "1488"]


@pytest.mark.parametrize(
    ("line", "column", "value", "reason"),
    [
        ("okänd;Lilla Edet;2024;70", "indikator", "okänd", "unknown indicator"),
        ("Upplevd trygghet;Göteborg;2024;70", "kommun", "Göteborg", "unknown municipality"),
        ("Upplevd trygghet;Lilla Edet;våren 2024;70", "period", "våren 2024", "unknown period"),
        ("Upplevd trygghet;Lilla Edet;2024-02-30;70", "period", "2024-02-30", "impossible date"),
        ("Upplevd trygghet;Lilla Edet;2024-13;70", "period", "2024-13", "unknown period"),
        ("Upplevd trygghet;Lilla Edet;0000;70", "period", "0000", "unknown period"),
        ("Upplevd trygghet;Lilla Edet;0000-01-01;70", "period", "0000-01-01", "impossible date"),
        ("Upplevd trygghet;Lilla Edet;2027;70", "period", "2027", "in the future"),
        ("Upplevd trygghet;Lilla Edet;2024;sjuttio", "värde", "sjuttio", "not a number"),
        ("Upplevd trygghet;Lilla Edet;2024;", "värde", None, "value missing"),
        (";Lilla Edet;2024;70", "indikator", None, "value missing"),
    ],
)
def test_a_bad_row_is_rejected_with_row_and_column_and_nothing_is_written(data, tmp_path, line, column, value, reason):
    text = f"indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2023;69\n{line}\n"
    with pytest.raises(ImportRejected) as rejected:
        run(write_csv(tmp_path / "v.csv", text), data)
    [problem] = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (3, column, value)
    assert reason in problem.reason_en
    assert problem.english().startswith(f"v.csv, row 3, column {column}: ")
    assert problem.swedish().startswith(f"v.csv, rad 3, kolumn {column}: ")
    assert datasets.stored(data, "indicator_values").empty


def test_period_type_that_contradicts_the_period(data, tmp_path):
    text = "indicator_id,kommun_kod,period,value,periodtyp\nupplevd_trygghet,1462,2024-Q1,70,år\n"
    with pytest.raises(ImportRejected) as rejected:
        run(write_csv(tmp_path / "v.csv", text), data)
    problem = rejected.value.problems[0]
    assert (problem.column, problem.reason_sv) == ("period", "perioden anges som kvartal men periodtypen är år")


def test_every_bad_cell_of_a_row_and_repeated_keys_are_reported(data, tmp_path):
    text = "indikator,kommun,period,värde,mål\nokänd,Göteborg,2024,x,y\nupplevd_trygghet,1462,2024,1,\nupplevd_trygghet,1462,2024,2,\n"
    with pytest.raises(ImportRejected) as rejected:
        run(write_csv(tmp_path / "v.csv", text), data)
    found = [(p.row, p.column) for p in rejected.value.problems]
    assert found == [(2, "indikator"), (2, "kommun"), (2, "värde"), (2, "mål"), (4, "period")]
    assert "same indicator, municipality and period as row 3" in rejected.value.problems[-1].reason_en


def test_a_missing_column_rejects_the_file(data, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        run(write_csv(tmp_path / "v.csv", "indikator;kommun;period\nUpplevd trygghet;1462;2024\n"), data)
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (1, "value")
    assert "värde" in problem.reason_en  # the accepted names are listed


def test_an_empty_file_is_rejected(data, tmp_path):
    with pytest.raises(ImportRejected) as rejected:
        run(write_csv(tmp_path / "v.csv", ""), data)
    assert "empty" in rejected.value.problems[0].reason_en


def test_all_or_nothing_keeps_the_stored_file_byte_for_byte(data, tmp_path):
    run(write_csv(tmp_path / "first.csv", GOOD), data)
    before = tables.store(data).versions(), stored(data)
    bad = "indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2025;80\nokänd;1462;2025;1\n"
    with pytest.raises(ImportRejected):
        run(write_csv(tmp_path / "bad.csv", bad), data)
    assert tables.store(data).versions() == before[0]
    pd.testing.assert_frame_equal(stored(data), before[1])


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(data, tmp_path):
    text = "indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2025;80\nokänd;1462;2025;1\nUpplevd trygghet;1488;2025;x\n"
    result = run(write_csv(tmp_path / "v.csv", text), data, skip_invalid=True)
    assert (result.written, len(result.rejected)) == (1, 2)
    assert result.report == tmp_path / "v.csv.rejected.csv"  # one name for every importer
    report = pd.read_csv(result.report, dtype=str, encoding="utf-8-sig", sep=";")  # the input's separator
    assert report["row"].tolist() == ["3", "4"]
    assert report["indikator"].tolist() == ["okänd", "Upplevd trygghet"]  # the rows as given, to fix and re-import
    assert report["column"].tolist() == ["indikator", "värde"]
    assert report["reason"].tolist() == ["unknown indicator", "not a number"]
    assert report["orsak"].tolist() == ["okänd indikator", "inte ett tal"]
    assert stored(data)["value"].tolist() == [80.0]


def test_reimport_is_idempotent_and_a_new_value_replaces_the_old(data, tmp_path):
    path = write_csv(tmp_path / "v.csv", GOOD)
    run(path, data)
    version = tables.store(data).versions()["indicator_values"]
    again = run(path, data)
    assert (again.written, again.unchanged) == (0, 4)
    assert tables.store(data).versions()["indicator_values"] == version  # nothing rewritten
    changed = "indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2024;72\n"
    result = run(write_csv(tmp_path / "fix.csv", changed), data)
    assert (result.written, result.unchanged) == (1, 0)
    rows = stored(data)
    assert len(rows) == 4
    fixed = rows[(rows["kommun_kod"] == "1462") & (rows["indicator_id"] == "upplevd_trygghet")].iloc[0]
    assert (fixed["value"], fixed["target"]) == (72.0, 75.0)  # an empty target keeps the stored one


IMPORT_ONE = """
from datetime import date
from pathlib import Path
from dashboard.imports import long_format
from dashboard.roles import command_line_author
result = long_format.import_file(
    Path(sys.argv[3]), Path(sys.argv[2]), command_line_author(), today=date.fromisoformat(sys.argv[4])
)
print(result.written)
"""


@pytest.mark.slow
def test_concurrent_imports_keep_every_row(data, tmp_path):
    paths = [
        write_csv(tmp_path / f"v{year}.csv", f"indicator_id,kommun_kod,period,value\nupplevd_trygghet,1462,{year},{year - 1950}\n")
        for year in range(2014, 2022)
    ]
    written = run_together(IMPORT_ONE, [(data, p, TODAY.isoformat()) for p in paths], tmp_path)
    assert [int(w) for w in written] == [1] * len(paths)
    assert sorted(stored(data)["period_start"]) == [f"{y}-01-01" for y in range(2014, 2022)]


def test_cli_exit_codes_and_english_messages(data, tmp_path, capsys):
    bad = write_csv(tmp_path / "bad.csv", "indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2024;x\n")
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column värde: not a number (value: 'x')" in err
    assert "nothing was imported" in err
    good = write_csv(tmp_path / "good.csv", GOOD)
    assert cli.main(["--data-dir", str(data), "import", "indicators", str(good)]) == 0
    assert "4 row(s) imported, 0 already present" in capsys.readouterr().out


def test_upload_needs_an_editor(data, monkeypatch):
    monkeypatch.setenv("LAGESBILD_MODE", "meeting")
    with pytest.raises(PermissionError):
        long_format.import_upload("v.csv", GOOD.encode(), data, access.author())
    assert datasets.stored(data, "indicator_values").empty


def test_upload_returns_the_report_of_skipped_rows(data, monkeypatch):
    monkeypatch.setenv("LAGESBILD_MODE", "internal")
    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    text = "indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2024;70\nokänd;1462;2024;1\n"
    upload = ("../../värden.csv", text.encode())
    result, report = long_format.import_upload(*upload, data, access.author(), skip_invalid=True)
    assert result.written == 1
    assert "okänd indikator" in report.decode("utf-8-sig")
    assert result.rejected[0].swedish().startswith("värden.csv, rad 3, kolumn indikator: okänd indikator")
