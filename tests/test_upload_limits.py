"""An uploaded workbook is bounded before it is parsed: a zip bomb or a sheet
declaring millions of rows is refused at once, in little memory."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard import upload_limits
from dashboard.imports import reader
from dashboard.imports.incident_reader import load
from dashboard.validation import ImportRejected


def _workbook(path: Path) -> Path:
    book = Workbook()
    book.active.append(["tidpunkt", "kommun", "kategori"])
    book.active.append(["2026-01-01 12:00", "1462", "Narkotikabrott"])
    book.save(path)
    return path


def _with_sheet(source: Path, target: Path, write_sheet) -> Path:
    """`source` with its first sheet replaced by what `write_sheet(stream)` writes."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                sheet = zipfile.ZipInfo(item.filename)
                sheet.compress_type = zipfile.ZIP_DEFLATED
                with new.open(sheet, "w", force_zip64=True) as stream:
                    write_sheet(stream)
            else:
                new.writestr(item, old.read(item))
    return target


def _bomb(stream) -> None:
    stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    stream.write(b"<sheetData>")
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 60_000 + b"</t></is></c></row>"
    for _ in range(5_000):  # 300 MB that pack to well under 1 MB
        stream.write(row)
    stream.write(b"</sheetData></worksheet>")


def _declares_rows(stream) -> None:
    stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    stream.write(b'<dimension ref="A1:C5000000"/><sheetData></sheetData></worksheet>')


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    return _with_sheet(_workbook(folder / "ok.xlsx"), folder / "bomb.xlsx", _bomb)


def test_a_real_workbook_passes(tmp_path):
    assert upload_limits.workbook_problem(_workbook(tmp_path / "ok.xlsx")) is None


def test_a_zip_bomb_is_refused_fast_in_little_memory(bomb):
    assert bomb.stat().st_size < 2_000_000
    tracemalloc.start()
    with pytest.raises(ImportRejected) as refused:
        reader.read_table(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000  # refused from the zip directory, before anything is unpacked
    assert refused.value.problems[0].reason_en == "unpacks to more than 300 MB"


def test_incident_import_refuses_the_bomb_before_parsing(bomb, tmp_path):
    import duckdb

    with pytest.raises(ImportRejected) as refused:
        load(duckdb.connect(), bomb, tmp_path)
    assert refused.value.problems[0].reason_en == "unpacks to more than 300 MB"


def test_a_sheet_declaring_too_many_rows_is_refused(tmp_path):
    big = _with_sheet(_workbook(tmp_path / "ok.xlsx"), tmp_path / "rows.xlsx", _declares_rows)
    assert upload_limits.workbook_problem(big) == ("has more than 1,048,576 rows", "har fler än 1 048 576 rader")


def test_a_tightly_packed_member_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_UNPACKED_MB", 10_000)
    bomb = _with_sheet(_workbook(tmp_path / "ok.xlsx"), tmp_path / "bomb.xlsx", _bomb)
    assert upload_limits.workbook_problem(bomb)[1] == "är misstänkt hårt packad (en zipbomb?)"


def test_uploads_abandoned_long_ago_are_removed_on_the_next_upload(tmp_path, monkeypatch):
    import os
    import tempfile

    from dashboard import incident_upload

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = incident_upload.save_upload("gammal.csv", b"a,b\n")
    recent = incident_upload.save_upload("ny.csv", b"a,b\n")
    hours_ago = recent.parent.stat().st_mtime - incident_upload.ABANDONED_AFTER_S - 60
    os.utime(old.parent, (hours_ago, hours_ago))
    new = incident_upload.save_upload("tredje.csv", b"a,b\n")
    assert not old.parent.exists()
    assert recent.exists() and new.exists()
