"""The one reader and header resolver of dashboard/imports, on spreadsheets as
people make them (tests/fixtures/sources/kommun_statistik.xlsx and its CSV twin). Format:
tests/fixtures/sources/FORMATS.md section 6."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.imports import header_key, parse_number, read_table, resolve_headers
from dashboard.imports.reader import encoding_of, sniff_delimiter
from dashboard.validation import ImportRejected

SOURCES = Path(__file__).parent / "fixtures" / "sources"
ALIASES = {"kommun": ("kommun",), "area": ("område",), "category": ("kategori",), "count": ("antal",)}
#: (row the user sees, kommun filled down, område, kategori, antal)
EXPECTED = [
    (5, "Lilla Edet", "Centrum", "Skadegörelse", 7350.0),
    (6, "Lilla Edet", "Centrum", "Narkotika", 61.0),
    (7, "Lilla Edet", "Lödöse", "Skadegörelse", 1204.0),
    (9, "Lidköping", "Centrum", "Skadegörelse", 2315.0),
    (10, "Lidköping", "Margretelund", "Skadegörelse", 15002.0),
]


@pytest.mark.parametrize("name", ["kommun_statistik.xlsx", "kommun_statistik.csv"])
def test_spreadsheet_as_people_make_it(name):
    sheet = read_table(SOURCES / name, ALIASES, fill_down=["kommun"])
    assert sheet.header_row == 4  # below a title, a subtitle and a blank row
    assert sheet.headers == ["Kommun", "Område", "Kategori", "Antal", "Per 1000 inv."]  # no trailing empty column
    assert sheet.title[0] == "Anmälda brott per område 2024"
    found = [(n, c[0], c[1], c[2], parse_number(c[3])) for n, c in sheet.rows]
    assert found == EXPECTED
    assert [(p.row, p.value[:5]) for p in sheet.skipped] == [(11, "Summa"), (12, "Total"), (14, "Källa")]
    assert parse_number(sheet.rows[0][1][4]) == 12.4  # decimal comma (CSV) or a number (xlsx)


def test_csv_twin_is_windows_1252_with_semicolons():
    data = (SOURCES / "kommun_statistik.csv").read_bytes()
    assert encoding_of(data) == "cp1252"
    assert encoding_of(b"\xef\xbb\xbfKommun") == "utf-8-sig"
    assert encoding_of("Område".encode("latin-1") + b"\x81") == "iso-8859-1"
    assert sniff_delimiter(data.decode("cp1252").splitlines()) == ";"


@pytest.mark.parametrize("text", ["7 350", "7\u00a0350", "7\u202f350", "7350"])
def test_thousands_with_any_space(text):
    assert parse_number(text) == 7350


def test_headers_ignore_case_space_dashes_and_diacritics():
    assert header_key(" Händelse-Tid ") == header_key("handelse tid") == "handelse_tid"
    found = resolve_headers(["KOMMUN", "Omrade", "x"], ALIASES, [("kommun",)])
    assert (found.index, found.ignored) == ({"kommun": 0, "area": 1}, ["x"])


def test_missing_and_doubled_headers_name_the_header_row():
    with pytest.raises(ImportRejected) as caught:
        resolve_headers(["Kommun", "kommun"], ALIASES, [("count",)], "f.csv", row=4)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "count"), (4, "kommun")]
    assert caught.value.problems[0].english().startswith("f.csv, row 4, column count: required column missing")


def test_blank_lines_count_in_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kommun;antal\n\nLilla Edet;1\n\n\nTrollhättan;2;\n", encoding="utf-8")
    assert [n for n, _ in read_table(path, ALIASES).rows] == [3, 6]
