"""Safe exports: formula-like text stays text in CSV and Excel, numbers and
dates keep their types, and every rejected-rows report shares the rule."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from dashboard import exports, imports
from dashboard.imports import commitments
from tests import test_import_commitments as commitments_case
from tests import test_import_indicators as indicators_case
from tests.datasets import write_tables

HOSTILE = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\t=1", "\r=1", "<script>alert(1)</script>"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(1)", "'@SUM(1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("+1", "+1"),  # a plain number is no formula
        ("-12,5", "-12,5"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # HTML is the HTML export's business
        ("vanlig text", "vanlig text"),
        (None, ""),
        (math.nan, ""),
        (42, "42"),
    ],
)
def test_inert_csv_cells(value, expected):
    assert exports.inert(value) == expected


def round_trip(*values):
    """Values through set_cell into a saved workbook; (cells read back, raw sheet XML)."""
    wb = Workbook()
    for row, value in enumerate(values, start=1):
        exports.set_cell(wb.active.cell(row, 1), value)
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    return [row[0] for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows()], xml


def test_excel_cells_keep_hostile_text_as_text_never_a_formula():
    cells, xml = round_trip(*HOSTILE)
    # As written, no apostrophe added (XML reads a carriage return back as a line feed).
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, True, True, True, False]
    assert "<f>" not in xml and "<f " not in xml


def test_excel_cells_keep_numbers_and_dates_typed():
    values = [7, np.int64(8), 2.5, np.float64(1234.5), date(2025, 3, 1), datetime(2025, 3, 1, 22, 10),
              pd.Timestamp("2025-03-02 08:00"), math.nan, None, pd.NaT, "Lödöse"]  # fmt: skip
    cells, _ = round_trip(*values)
    read = [c.value for c in cells]
    assert read[:4] == [7, 8, 2.5, 1234.5] and [type(v) for v in read[:4]] == [int, int, float, float]
    assert read[4:7] == [datetime(2025, 3, 1), datetime(2025, 3, 1, 22, 10), datetime(2025, 3, 2, 8)]
    assert [c.number_format for c in cells[4:7]] == ["yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm"]
    assert [c.number_format for c in cells[:4]] == ["#,##0", "#,##0", "#,##0.0##", "#,##0.0##"]
    assert read[7:] == [None, None, None, "Lödöse"]


def test_control_characters_that_excel_cannot_store_are_dropped():
    cells, _ = round_trip("a\x00b\x1bc\td")
    assert cells[0].value == "ab" + "c\td"


def test_every_rejected_rows_report_uses_the_shared_rule():
    # Every importer writes its report through imports.report.
    assert imports.report.inert is exports.inert


def test_commitments_report_neutralises_formulas(tmp_path):
    bad = 'okänt_löfte;Polisen;=HYPERLINK("http://x");trafik;;'
    path = commitments_case.csv_file(tmp_path, bad)
    data = write_tables(tmp_path / "data")
    result = commitments.import_file(path, data, commitments_case.AUTHOR, skip_invalid=True)
    row = result.report.read_text(encoding="utf-8-sig").splitlines()[1]
    assert row.startswith('okänt_löfte;Polisen;"\'=HYPERLINK(""http://x"")";')  # text, never a formula


def test_indicators_report_neutralises_formulas(tmp_path):
    data = write_tables(tmp_path / "data", indicators=indicators_case.INDICATORS)
    text = "indikator;kommun;period;värde\n@SUM(1);1462;2025;1\n"
    result = indicators_case.run(indicators_case.write_csv(tmp_path / "v.csv", text), data, skip_invalid=True)
    report = pd.read_csv(result.report, dtype=str, encoding="utf-8-sig", keep_default_na=False, sep=";")
    assert report["indikator"].tolist() == ["'@SUM(1)"]
