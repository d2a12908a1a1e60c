"""Importing incident files: every accepted variant, every rejection reason,
all-or-nothing, --skip-invalid, idempotent re-import, crashes, the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import PROJECT_ROOT, clock, db, import_bench, incident_store, storage
from dashboard.imports.incidents import import_file, report_path, validate_file
from dashboard.roles import command_line_author
from dashboard.validation import ImportRejected
from tests import datasets
from tests.conftest import page_text

AUTHOR = command_line_author()
HEADER = ["tidpunkt", "kommun", "kategori", "latitud", "longitud", "beskrivning"]
GOOD = [
    ["2024-03-01 22:15", "Trollhättan", "Narkotikabrott", "58.2840", "12.2890", "Langning vid stationen"],
    ["2024-03-02 01:10", "Lilla Edet", "Rattfylleri", "58.1340", "12.1240", "Kontroll på E45"],
]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """Two municipalities (1462 Lilla Edet, 1488 Trollhättan), two focus areas, no incidents."""
    return datasets.write_tables(tmp_path / "data")


def write_csv(path: Path, rows: list[list], header=HEADER, delimiter=",", encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stored(data_dir: Path) -> pd.DataFrame:
    con = db.connect(data_dir)
    try:
        return con.execute("SELECT * EXCLUDE (year) FROM incidents ORDER BY occurred_at").df()
    finally:
        con.close()


def tree(data_dir: Path) -> dict[str, str]:
    """Every file of the incidents table (its current version) with a hash of its bytes."""
    current = incident_store.current_tree(data_dir)
    return {str(p.relative_to(current)): hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(current.rglob("*.parquet"))}


def rejected(path: Path, data_dir: Path) -> list:
    with pytest.raises(ImportRejected) as info:
        import_file(path, data_dir, AUTHOR)
    return info.value.problems


# --- accepted variants --------------------------------------------------------


def test_utf8_comma_decimal_point(tmp_path, data_dir):
    result = import_file(write_csv(tmp_path / "in.csv", GOOD), data_dir, AUTHOR)
    assert (result.written, result.unchanged, result.rejected) == (2, 0, None)
    rows = stored(data_dir)
    first = rows.iloc[0]
    assert (first.kommun_kod, first.category, first.focus_area) == ("1488", "Narkotikabrott", "narkotika")
    assert first.occurred_at == pd.Timestamp("2024-03-01 22:15")
    assert (first.lat, first.lon, first.place_precision) == (58.284, 12.289, "point")
    assert first.source == "import"
    assert rows.iloc[1].focus_area == "trafik"


def test_bom_semicolon_decimal_comma(tmp_path, data_dir):
    rows = [[c.replace(".", ",") if i in (3, 4) else c for i, c in enumerate(r)] for r in GOOD]
    path = write_csv(tmp_path / "in.csv", rows, delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert import_file(path, data_dir, AUTHOR).written == 2
    assert list(stored(data_dir)["lat"]) == [58.284, 58.134]


def test_windows_1252(tmp_path, data_dir):
    rows = [GOOD[0][:5] + ["Klotter – “tagg” för 50 €"]]  # characters Latin-1 does not have
    path = write_csv(tmp_path / "in.csv", rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert import_file(path, data_dir, AUTHOR).written == 1
    assert stored(data_dir)["description"][0] == "Klotter – “tagg” för 50 €"


def test_tab_separated_with_quoted_newlines_and_blank_lines(tmp_path, data_dir):
    path = tmp_path / "in.tsv"
    lines = [
        "\t".join(HEADER),
        "\t".join(GOOD[0][:5]) + '\t"Rad ett\nrad två med ""citat"""',
        "",
        "\t".join(GOOD[1]),
        "\t".join(GOOD[1][:2] + ["", *GOOD[1][3:]]),  # row 5: no category
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = rejected(path, data_dir)
    # Row numbers as a spreadsheet shows them: the quoted newline stays in row 2,
    # the blank line is row 4.
    assert [(p.row, p.column, p.reason_en) for p in problems] == [(5, "kategori", "missing value")]
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    assert import_file(path, data_dir, AUTHOR).written == 2
    assert stored(data_dir)["description"][0] == 'Rad ett\nrad två med "citat"'


WHEN, WHAT = ["2024-03-01", "22:15"], ["1488", "Narkotikabrott"]


def test_sweref_coordinates_and_codes(tmp_path, data_dir):
    header = ["datum", "klockslag", "kommunkod", "brottstyp", "sweref99_n", "sweref99_e"]
    path = write_csv(tmp_path / "gis.csv", [[*WHEN, *WHAT, "6463497", "341027"]], header)
    assert import_file(path, data_dir, AUTHOR).written == 1
    row = stored(data_dir).iloc[0]
    assert (row.lat, row.lon) == pytest.approx((58.2837, 12.2886), abs=1e-5)
    assert row.occurred_at == pd.Timestamp("2024-03-01 22:15")
    swapped = write_csv(tmp_path / "swapped.csv", [[*WHEN, *WHAT, "341027", "6463497"]], header)
    problems = rejected(swapped, data_dir)
    assert [(p.row, p.column, p.value, p.reason_en) for p in problems] == [
        (2, "sweref99_n", "341027 / 6463497", "point outside Sweden")
    ]


def test_xlsx(tmp_path, data_dir):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Tidpunkt", "Kommun", "Kategori", "Latitud", "Longitud", "ID"])
    sheet.append([datetime(2024, 3, 1, 22, 15), "Trollhättan", "Narkotikabrott", 58.284, 12.289, 1001])
    sheet.append([None] * 6)  # an empty row in the middle is no row
    sheet.append([datetime(2024, 3, 2, 1, 10), "Lilla Edet", "Rattfylleri", 58.134, 12.124, 1002])
    sheet.append([datetime(2024, 3, 3), "Oslo", "Rattfylleri", 58.134, 12.124, 1003])
    book.save(tmp_path / "in.xlsx")
    problems = rejected(tmp_path / "in.xlsx", data_dir)
    assert [(p.row, p.column, p.value) for p in problems] == [(5, "Kommun", "Oslo")]
    result = import_file(tmp_path / "in.xlsx", data_dir, AUTHOR, skip_invalid=True)
    assert result.written == 2
    assert sorted(stored(data_dir)["incident_id"]) == ["1001", "1002"]


def test_parquet(tmp_path, data_dir):
    table = pa.table(
        {
            "occurred_at": pa.array([datetime(2024, 3, 1, 22, 15)], pa.timestamp("us")),
            "kommun_kod": ["1488"],
            "category": ["Narkotikabrott"],
            "lat": [58.284],
            "lon": [12.289],
            "description": ["från en analytiker"],
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    assert import_file(tmp_path / "in.parquet", data_dir, AUTHOR).written == 1
    assert stored(data_dir)["occurred_at"][0] == pd.Timestamp("2024-03-01 22:15")


def police_event(id_, name, type_, when="2024-03-01 22:03:15 +01:00"):
    return {
        "id": id_, "datetime": when, "name": f"1 mars 21.50, {type_}, {name}", "summary": f"{type_} i {name}.",
        "url": f"/aktuellt/handelser/{id_}", "type": type_, "location": {"name": name, "gps": "58.283703,12.288585"},
    }  # fmt: skip


def test_police_events_json(tmp_path, data_dir):
    # Issue 16 changed what this test expects: a county-wide event is stored at
    # county precision (both served kommuner lie in Västra Götalands län), and an
    # event's time is the one in its name, not its publish time (tests/test_imports_polisen.py
    # has the feed's real formats).
    events = [
        police_event(1, "Trollhättan", "Narkotikabrott"),
        police_event(2, "Västra Götalands län", "Trafikolycka"),
        police_event(3, "Trollhättan", "Sammanfattning natt"),
        police_event(4, "Lilla Edet", "Brand", when="2024-07-15 02:00:00 +02:00"),
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    result = import_file(path, data_dir, AUTHOR)
    assert result.written == 3
    assert [(p.row, p.value) for p in result.skipped] == [(3, "Sammanfattning natt")]
    assert result.unmapped == {"Brand": 1, "Trafikolycka": 1}
    rows = stored(data_dir).set_index("incident_id").sort_index()
    assert list(rows["place_precision"]) == ["kommun", "lan", "kommun"]
    assert (rows.loc["polisen-1"].lat, rows.loc["polisen-1"].lon) == (58.2837, 12.2886)  # the municipality's centre
    assert rows.loc["polisen-4"].occurred_at == pd.Timestamp("2024-03-01 21:50")
    assert rows.loc["polisen-4"].published_at == pd.Timestamp("2024-07-15 02:00")
    assert pd.isna(rows.loc["polisen-4"].focus_area)
    assert rows.loc["polisen-1"].description == "Narkotikabrott i Trollhättan."
    assert any("Brand (1)" in note for note in result.notes())


def test_rows_without_coordinates_are_placed_at_the_municipality(tmp_path, data_dir):
    path = write_csv(tmp_path / "in.csv", [["2024-03-01 22:15", "Trollhättans kommun", "Narkotikabrott"]], HEADER[:3])
    assert import_file(path, data_dir, AUTHOR).written == 1
    row = stored(data_dir).iloc[0]
    assert (row.kommun_kod, row.place_precision, row.lat, row.lon) == ("1488", "kommun", 58.2837, 12.2886)


def test_text_is_stored_as_given(tmp_path, data_dir):
    texts = ['=HYPERLINK("http://evil.example","klicka")', "<script>alert(1)</script>", "'; DROP TABLE incidents; --"]
    rows = [[f"2024-03-0{i + 1} 10:00", *GOOD[0][1:5], text] for i, text in enumerate(texts)]
    assert import_file(write_csv(tmp_path / "in.csv", rows), data_dir, AUTHOR).written == 3
    assert list(stored(data_dir)["description"]) == texts


# --- rejections ---------------------------------------------------------------

FUTURE = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
BAD_ROWS = {
    "unparseable date": (["igår", *GOOD[0][1:]], "tidpunkt", "not a date and time"),
    "impossible date": (["2024-02-30 10:00", *GOOD[0][1:]], "tidpunkt", "impossible date or time"),
    "future date": ([FUTURE, *GOOD[0][1:]], "tidpunkt", "date in the future"),
    "date before 1900": (["1899-12-31 23:00", *GOOD[0][1:]], "tidpunkt", "date before 1900"),
    "unknown municipality": ([GOOD[0][0], "Göteborg", *GOOD[0][2:]], "kommun", "unknown municipality"),
    "county": ([GOOD[0][0], "Västra Götalands län", *GOOD[0][2:]], "kommun", "a county cannot be placed"),
    "missing value": ([*GOOD[0][:2], " ", *GOOD[0][3:]], "kategori", "missing value"),
    "non-numeric coordinate": ([*GOOD[0][:3], "58°17'", *GOOD[0][4:]], "latitud", "not a number"),
    "missing longitude": ([*GOOD[0][:4], "", GOOD[0][5]], "longitud", "missing value (latitud is given)"),
    "swapped lat/lon": ([*GOOD[0][:3], "12.289", "58.284", GOOD[0][5]], "latitud", "latitude and longitude swapped"),
    "outside Sweden": ([*GOOD[0][:3], "60.39", "5.32", GOOD[0][5]], "latitud", "point outside Sweden"),
    "far outside its municipality": (
        [*GOOD[0][:3], "59.33", "18.07", GOOD[0][5]], "latitud", "km outside Trollhättans kommun"
    ),
}


@pytest.mark.parametrize("reason", list(BAD_ROWS))
def test_rejected_row(tmp_path, data_dir, reason):
    bad, column, message = BAD_ROWS[reason]
    path = write_csv(tmp_path / "in.csv", [GOOD[1], bad])
    problems = rejected(path, data_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [(str(path), 3, column)]
    assert message in problems[0].reason_en
    assert problems[0].reason_sv and problems[0].reason_sv != problems[0].reason_en
    assert not (data_dir / "incidents").exists()  # nothing written, not even the good row


@pytest.mark.parametrize(
    ("header", "row", "column", "message"),
    [
        (
            ["tidpunkt", "kommunkod", "kategori"], [GOOD[0][0], "9999", "Stöld"],
            "kommunkod", "unknown municipality code",
        ),
        (
            ["tidpunkt", "kommun", "kommunkod", "kategori"], [GOOD[0][0], "Trollhättan", "1462", "Stöld"],
            "kommunkod", "municipality code and name (Trollhättan) disagree",
        ),
        (
            ["tidpunkt", "kommun", "kategori", "precision"], [GOOD[0][0], "Trollhättan", "Stöld", "gata"],
            "precision", "unknown place precision",
        ),
    ],
)  # fmt: skip
def test_rejected_municipality_and_precision(tmp_path, data_dir, header, row, column, message):
    problems = rejected(write_csv(tmp_path / "in.csv", [row], header), data_dir)
    assert [(p.row, p.column) for p in problems] == [(2, column)]
    assert message in problems[0].reason_en


@pytest.mark.parametrize(
    ("line", "message"),
    [("2024-03-01 10:00,Trollhättan,Stöld", "truncated row"), (",".join(GOOD[0]) + ",extra", "more fields")],
)
def test_rejected_truncated_and_overlong_rows(tmp_path, data_dir, line, message):
    path = tmp_path / "in.csv"
    path.write_text("\n".join([",".join(HEADER), ",".join(GOOD[0]), line, ",".join(GOOD[1])]) + "\n")
    problems = rejected(path, data_dir)
    assert [p.row for p in problems] == [3]
    assert message in problems[0].reason_en


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf\r\n  \n", "the file is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary file"),
        ("tidpunkt,kommun,kategori\n".encode(), "no data rows"),
        (b"tidpunkt,var,kategori\n2024-03-01,Trollh\xc3\xa4ttan,Brand\n", "required column missing"),
        (b"PK\x03\x04 not really a workbook", "not a readable .xlsx"),
    ],
)
def test_rejected_file(tmp_path, data_dir, content, message):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    problems = rejected(path, data_dir)
    assert len(problems) == 1 and message in problems[0].english()


def test_incident_id_conflicts(tmp_path, data_dir):
    header = ["id", *HEADER]
    import_file(write_csv(tmp_path / "first.csv", [["a1", *GOOD[0]]], header), data_dir, AUTHOR)
    changed = [*GOOD[0][:5], "annan beskrivning"]
    rows = [["a1", *GOOD[0]], ["a1", *changed], ["b2", *GOOD[1]], ["b2", *changed]]
    path = write_csv(tmp_path / "second.csv", rows, header)
    problems = rejected(path, data_dir)
    assert [(p.row, p.column, p.value, p.reason_en) for p in problems] == [
        (3, "id", "a1", "incident_id already used in row 2 with different content"),
        (5, "id", "b2", "incident_id already used in row 4 with different content"),
    ]
    problems = rejected(write_csv(tmp_path / "third.csv", [["a1", *changed]], header), data_dir)
    assert problems[0].reason_en == "incident_id already stored with different content"
    assert problems[0].reason_sv == "incident_id finns redan sparad med annat innehåll"


# --- all or nothing, --skip-invalid, idempotence -------------------------------


def test_all_or_nothing(tmp_path, data_dir):
    import_file(write_csv(tmp_path / "first.csv", GOOD[:1]), data_dir, AUTHOR)
    before = tree(data_dir)
    rows = [GOOD[1], [*GOOD[1][:1], "Atlantis", *GOOD[1][2:]], ["2024-03-05 12:00", *GOOD[1][1:]]]
    rejected(write_csv(tmp_path / "in.csv", rows), data_dir)
    assert tree(data_dir) == before
    assert len(stored(data_dir)) == 1


def test_skip_invalid_writes_valid_rows_and_a_report(tmp_path, data_dir):
    formula = '=HYPERLINK("http://evil.example")'
    rows = [
        GOOD[0],
        [*GOOD[1][:1], "Atlantis", *GOOD[1][2:5], formula],
        GOOD[1],
        ["igår", "Trollhättan", "Stöld", "x", "12.2", ""],
    ]
    path = write_csv(tmp_path / "in.csv", rows)
    result = import_file(path, data_dir, AUTHOR, skip_invalid=True)
    assert (result.written, result.report) == (2, report_path(path))
    assert [(p.row, p.column) for p in result.rejected] == [(3, "kommun"), (5, "tidpunkt"), (5, "latitud")]
    with open(result.report, encoding="utf-8-sig", newline="") as fh:
        report = list(csv.DictReader(fh))
    assert [r["row"] for r in report] == ["3", "5"]
    assert report[0]["kommun"] == "Atlantis"
    assert report[0]["beskrivning"] == "'" + formula  # a spreadsheet shows it, never runs it
    assert report[0]["reason"] == "unknown municipality" and report[0]["orsak"] == "okänd kommun"
    assert report[1]["column"] == "tidpunkt | latitud"
    # The stored text is the text as given; only the report is neutralised.
    assert formula not in set(stored(data_dir)["description"])


def test_reimport_changes_nothing(tmp_path, data_dir):
    path = write_csv(tmp_path / "in.csv", [*GOOD, GOOD[0]])  # an identical row twice: two incidents
    assert import_file(path, data_dir, AUTHOR).written == 3
    before = tree(data_dir)
    again = import_file(path, data_dir, AUTHOR)
    assert (again.written, again.unchanged) == (0, 3)
    assert tree(data_dir) == before
    ids = set(stored(data_dir)["incident_id"])
    twice = [i for i in ids if f"{i}-2" in ids]
    assert len(ids) == 3 and len(twice) == 1 and all(i.startswith("imp-") for i in ids)


def test_overlapping_export_adds_only_new_rows(tmp_path, data_dir):
    import_file(write_csv(tmp_path / "week1.csv", GOOD[:1]), data_dir, AUTHOR)
    # The same incident from a spreadsheet that wrote other decimals, plus a new one.
    rows = [[*GOOD[0][:3], "58.28400000000001", *GOOD[0][4:]], GOOD[1]]
    result = import_file(write_csv(tmp_path / "week2.csv", rows), data_dir, AUTHOR)
    assert (result.written, result.unchanged) == (1, 1)
    assert len(stored(data_dir)) == 2


def test_validate_file_writes_nothing(tmp_path, data_dir):
    rows = [GOOD[0], [*GOOD[1][:1], "Atlantis", *GOOD[1][2:]]]
    plan = validate_file(write_csv(tmp_path / "in.csv", rows), data_dir)
    assert (plan.rows, plan.new, plan.rejected_rows) == (2, 1, 1)
    assert plan.problems[0].swedish() == "in.csv, rad 3, kolumn kommun: okänd kommun (värde: 'Atlantis')"
    assert not (data_dir / "incidents").exists()


def test_progress_is_reported(tmp_path, data_dir):
    seen = []
    path = write_csv(tmp_path / "in.csv", GOOD)
    import_file(path, data_dir, AUTHOR, progress=lambda f, stage: seen.append((f, stage)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [s for s in dict.fromkeys(stage for _, stage in seen)] == ["reading", "validating", "comparing", "writing"]


# --- atomic writes ---------------------------------------------------------------


def test_failure_before_the_switch_leaves_data_as_it_was(tmp_path, data_dir, monkeypatch):
    import_file(write_csv(tmp_path / "first.csv", GOOD[:1]), data_dir, AUTHOR)
    before = tree(data_dir)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(storage, "write_bytes_atomic", crash)  # the pointer to the new version
    with pytest.raises(OSError):
        import_file(write_csv(tmp_path / "in.csv", GOOD[1:]), data_dir, AUTHOR)
    assert tree(data_dir) == before
    assert len(stored(data_dir)) == 1
    monkeypatch.undo()
    assert import_file(tmp_path / "in.csv", data_dir, AUTHOR).written == 1
    assert not list(data_dir.glob(".incidents-*"))


def test_old_versions_are_deleted_after_the_grace_period(tmp_path, data_dir, monkeypatch):
    """A reader that resolved the old version keeps it for GRACE_SECONDS; the
    next import after that deletes it (and any version no pointer names)."""
    for day in (1, 2):
        import_file(write_csv(tmp_path / f"{day}.csv", [_on_day(day)]), data_dir, AUTHOR)
    root = data_dir / incident_store.TABLE_DIR
    versions = lambda: {p for p in root.iterdir() if p.is_dir()}  # noqa: E731
    previous = incident_store.current_tree(data_dir)
    assert len(versions()) == 2  # the old version is kept
    monkeypatch.setattr(incident_store, "GRACE_SECONDS", 0)
    import_file(write_csv(tmp_path / "last.csv", [_on_day(3)]), data_dir, AUTHOR)
    # The first is gone; the one just replaced stays until the import after the grace.
    assert versions() == {previous, incident_store.current_tree(data_dir)}
    assert len(stored(data_dir)) == 3


def test_a_directory_written_before_versions_is_read_and_migrated(tmp_path, data_dir, monkeypatch):
    import_file(write_csv(tmp_path / "first.csv", GOOD[:2]), data_dir, AUTHOR)
    root = data_dir / incident_store.TABLE_DIR
    old_layout = tmp_path / "old"
    incident_store.current_tree(data_dir).rename(old_layout)  # partitions directly in incidents/, no pointer
    shutil.rmtree(root)
    old_layout.rename(root)
    before = stored(data_dir)
    assert len(before) == 2
    import_file(write_csv(tmp_path / "in.csv", [_on_day(3)]), data_dir, AUTHOR)
    assert incident_store.current_tree(data_dir) != root
    assert len(stored(data_dir)) == 3
    first = incident_store.current_tree(data_dir)
    monkeypatch.setattr(incident_store, "GRACE_SECONDS", 0)
    import_file(write_csv(tmp_path / "again.csv", [_on_day(4)]), data_dir, AUTHOR)
    # The old partitions are deleted like an old version.
    assert sorted(p.name for p in root.iterdir()) == sorted(["CURRENT", first.name, incident_store.current_tree(data_dir).name])
    assert len(stored(data_dir)) == 4


def _on_day(day: int) -> list[str]:
    """The first good row, on another day of its month (another incident)."""
    return [f"2024-03-{day:02d} 22:15", *GOOD[0][1:]]


def _state(data_dir: Path) -> tuple:
    con = db.connect(data_dir)
    try:
        return con.execute("SELECT count(*), sum(hash(incident_id, description)) FROM incidents").fetchone()
    finally:
        con.close()


@pytest.mark.slow
def test_killed_import_leaves_data_before_or_after(tmp_path):
    """SIGKILL an import at random moments: the table is always as before or as after."""
    data_dir = tmp_path / "data"
    datasets.write_tables(data_dir, municipalities=_seed_municipalities())
    import_bench.write_sample_csv(tmp_path / "first.csv", 5_000, seed=3)
    import_file(tmp_path / "first.csv", data_dir, AUTHOR)
    sample = import_bench.write_sample_csv(tmp_path / "in.csv", 150_000)
    before = _state(data_dir)
    command = [sys.executable, "-m", "dashboard", "--data-dir", str(data_dir), "import", "incidents", str(sample)]
    env = os.environ | {"TMPDIR": str(tmp_path)}  # a killed import leaves its working folder behind
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=PROJECT_ROOT, env=env)
    took = time.perf_counter() - started
    after = _state(data_dir)
    assert after[0] == before[0] + 150_000
    # Back to before, then kill fresh imports at random points of their run.
    _restore(data_dir, tmp_path, before)
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, took))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = _state(data_dir)
        assert state in (before, after)
        if state == after:
            _restore(data_dir, tmp_path, before)
    # Whatever happened, running the import again completes it.
    subprocess.run(command, check=True, capture_output=True, cwd=PROJECT_ROOT, env=env)
    assert _state(data_dir) == after
    assert not list(data_dir.glob(".incidents-*.tmp"))


def _seed_municipalities() -> pd.DataFrame:
    from dashboard import seeds

    return seeds.reference()["municipalities"].drop(columns="places")


def _restore(data_dir: Path, tmp_path: Path, before: tuple) -> None:
    """Put the table back to `before` by replaying the first import into a clean tree."""
    shutil.rmtree(data_dir / incident_store.TABLE_DIR)
    import_file(tmp_path / "first.csv", data_dir, AUTHOR)
    assert _state(data_dir) == before


# --- command line ------------------------------------------------------------------


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dashboard", "--data-dir", str(data_dir), "import", "incidents", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=os.environ)


def test_cli_rejects_with_english_message_and_exit_code(tmp_path, data_dir):
    path = write_csv(tmp_path / "in.csv", [GOOD[0], [*GOOD[1][:1], "Atlantis", *GOOD[1][2:]]])
    done = run_cli(data_dir, str(path))
    assert done.returncode == 1
    assert "in.csv, row 3, column kommun: unknown municipality (value: 'Atlantis')" in done.stderr
    assert "nothing was imported" in done.stderr
    assert not (data_dir / "incidents").exists()


def test_cli_skip_invalid_and_notes(tmp_path, data_dir):
    rows = [GOOD[0], [*GOOD[1][:1], "Atlantis", *GOOD[1][2:]], [*GOOD[1][:2], "Brand", *GOOD[1][3:]]]
    path = write_csv(tmp_path / "in.csv", [[*r, "x"] for r in rows], header=[*HEADER, "okänd kolumn"])
    done = run_cli(data_dir, str(path), "--skip-invalid")
    assert done.returncode == 0, done.stderr
    assert "2 row(s) imported, 0 already present" in done.stdout
    assert f"1 row(s) rejected; see {report_path(path)}" in done.stdout
    assert "imported without a focus area): Brand (1)" in done.stdout
    assert "columns not used: okänd kolumn" in done.stdout


def test_cli_reimport_exit_zero(tmp_path, data_dir):
    path = write_csv(tmp_path / "in.csv", GOOD)
    assert run_cli(data_dir, str(path)).returncode == 0
    again = run_cli(data_dir, str(path))
    assert again.returncode == 0 and "0 row(s) imported, 2 already present" in again.stdout


def test_cli_missing_file(tmp_path, data_dir):
    done = run_cli(data_dir, str(tmp_path / "nope.csv"))
    assert done.returncode == 1 and "nope.csv: file not found" in done.stderr


def test_benchmark_helpers(tmp_path, data_dir):
    datasets.write_tables(data_dir, municipalities=_seed_municipalities())
    sample = import_bench.write_sample_csv(tmp_path / "sample.csv", 20_000)
    measured = import_bench.measure_import(sample, data_dir)
    assert measured["written"] == 20_000 and measured["rows"] == 20_000
    assert measured["rows_per_second"] > 0 and measured["peak_rss_mb"] > 0


# --- the upload page ---------------------------------------------------------------

PAGE = str(PROJECT_ROOT / "pages" / "importera.py")


@pytest.fixture
def page(data_dir, tmp_path, monkeypatch):
    """The upload page for the local administrator (internal mode, editing allowed)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where uploads are saved
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LAGESBILD_MODE", "internal")
    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    return at


def csv_bytes(rows: list[list], header=HEADER) -> bytes:
    return "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8")


def test_page_previews_then_imports(page, data_dir, tmp_path):
    rows = [GOOD[0], [*GOOD[1][:1], "Atlantis", *GOOD[1][2:]], [*GOOD[1][:2], "Brand", *GOOD[1][3:]]]
    page.file_uploader[0].set_value(("händelser.csv", csv_bytes(rows), "text/csv")).run()
    assert not page.exception
    assert {m.label: m.value for m in page.metric} == {
        "Rader i filen": "3", "Nya händelser": "2", "Finns redan": "0", "Rader med fel": "1",
    }  # fmt: skip
    problems = page.dataframe[0].value
    assert problems.iloc[0].to_dict() == {"Rad": 3, "Kolumn": "kommun", "Värde": "Atlantis", "Orsak": "okänd kommun"}
    assert r"Brand \(1\)" in page_text(page)  # escaped for markdown
    button = page.button[0]
    # Nothing is imported until the user accepts leaving the rows with errors out.
    assert button.label == "Importera 2 händelser" and button.disabled
    assert not (data_dir / "incidents").exists()
    page.checkbox[0].check().run()
    page.button[0].click().run()
    assert not page.exception
    assert "Klart: 2 händelser importerades, 0 fanns redan." in page_text(page)
    assert page.get("download_button")[0].proto.label == "Ladda ner de avvisade raderna (CSV)"
    assert len(stored(data_dir)) == 2
    assert not list(tmp_path.glob("lagesbild-upload-*"))  # the imported upload is removed


def test_page_lists_why_a_file_cannot_be_read(page, data_dir):
    page.file_uploader[0].set_value(("tom.csv", b"", "text/csv")).run()
    assert "Filen kan inte importeras:" in page_text(page)
    assert page.dataframe[0].value.iloc[0]["Orsak"] == "filen är tom"


def test_page_escapes_file_text(page):
    rows = [[*GOOD[0][:2], "**fet** <img src=x>", *GOOD[0][3:]]]
    page.file_uploader[0].set_value(("in.csv", csv_bytes(rows), "text/csv")).run()
    note = next(i.value for i in page.info if "fokusområde" in i.value)
    assert r"\*\*fet\*\*" in note and "<img" not in note.replace(r"\<img", "")


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_page_refuses_outside_internal_mode(data_dir, monkeypatch, mode):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert "bara tillåten för administratörer" in at.error[0].value
    assert not at.file_uploader


def test_upload_import_checks_the_right_to_import(tmp_path, data_dir, monkeypatch):
    from dashboard.incident_upload import import_upload
    from dashboard.ui import access

    monkeypatch.setenv("LAGESBILD_MODE", "meeting")
    with pytest.raises(PermissionError):
        import_upload(write_csv(tmp_path / "in.csv", GOOD), data_dir, access.author(), False, None)
    assert not (data_dir / "incidents").exists()


def test_import_page_is_listed_only_for_those_who_may_import(monkeypatch):
    from dashboard.ui import navigation

    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    monkeypatch.setenv("LAGESBILD_MODE", "internal")
    assert navigation.visible()[-1] == "importera"
    monkeypatch.setenv("LAGESBILD_MODE", "public")
    assert "importera" not in navigation.visible()


def test_small_imports_add_files_until_a_partition_is_merged(tmp_path, data_dir):
    for day in range(1, incident_store.MAX_FILES_PER_PARTITION + 1):
        import_file(write_csv(tmp_path / f"day{day}.csv", [_on_day(day)]), data_dir, AUTHOR)
        partition = incident_store.current_tree(data_dir) / "kommun_kod=1488" / "year=2024"
        files = len(list(partition.glob("*.parquet")))
        assert files == (day if day < incident_store.MAX_FILES_PER_PARTITION else 1)
    assert len(stored(data_dir)) == incident_store.MAX_FILES_PER_PARTITION


def test_terminal_progress_bar():
    import io

    from dashboard import progress_bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = progress_bar.for_terminal(import_file, stream)
    bar(0.5, "validating")
    bar(0.5, "validating")  # unchanged: not redrawn
    bar(1.0, "writing")
    bar.close()
    assert stream.getvalue().split("\r")[1:] == [
        f"{'[' + '#' * 15:<31}]  50% validating".ljust(60),
        f"[{'#' * 30}] 100% writing".ljust(60) + "\n",
    ]
    assert progress_bar.for_terminal(import_file, io.StringIO()) is None  # not a terminal: no bar
