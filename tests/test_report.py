"""The meeting report: its numbers on a hand-made data set with known answers,
what each mode leaves out, hostile text inert in HTML and Excel, the demo
data and the download buttons (the command line: tests/test_cli.py)."""

from __future__ import annotations

import html
import io
import math
import re
import zipfile
from datetime import date, datetime, timedelta
from functools import partial

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.exports import formula_like
from dashboard.filters import Selection
from dashboard.report import build as report
from dashboard.report import html as report_html
from dashboard.report import xlsx as report_xlsx
from tests import html_tables
from tests.datasets import TODAY, write_tables
from tests.test_commitments import commitment, update
from tests.test_hotspots import PLACES, SELECTION, write_hotspot_data
from tests.test_indicators import series

CREATED = datetime(2025, 4, 2, 9, 30)
FEWER = "färre än 5"
HOSTILE_PLACE = '=HYPERLINK("http://x")'
HOSTILE_TITLE = "<script>alert(1)</script> Löfte"
HOSTILE_TEXT = "+1 fler kontroller"
HOSTILE_NOTE = "@SUM(1) <img src=x onerror=alert(2)> anteckning"
HOSTILE_AUTHOR = "<b>Kommunpolis</b>"
SECTIONS = ["rubrik", "nyckeltal", "platser", "veckodag-timme", "loften", "indikatorer"]
SHEETS = ["Urval", "Nyckeltal", "Platser", "Veckodag och timme", "Åtaganden", "Indikatorer"]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    """The hotspot fixture (March 2025 in Trollhättan: 7 incidents now, 5 before) with
    a pledge of two commitments (one late) and one indicator, all with hostile text."""
    return _report_data(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def tripled_dir(tmp_path_factory):
    """As `report_dir` with every incident three times (21 now, 15 before): counts to publish."""
    return _report_data(tmp_path_factory.mktemp("tripled"), copies=3)


def _report_data(path, copies: int = 1):
    path = write_hotspot_data(path, places=PLACES.assign(name=[HOSTILE_PLACE, "Kronogården"]), copies=copies)
    pledge = {"pledge_id": "p", "title": HOSTILE_TITLE, "kommun_kods": ["1488"], "lpo": "Östra Fyrbodal",
              "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31), "focus_areas": ["narkotika"]}  # fmt: skip
    on_time = commitment("c1", "p", "polisen", date(2025, 6, 30)) | {"text": HOSTILE_TEXT}
    late = commitment("c2", "p", "kommunen", date(2025, 2, 1))  # due before the period's end, never started
    note = update("u1", "c1", datetime(2025, 3, 10, 14), "pagar", 40, note=HOSTILE_NOTE) | {"author": HOSTILE_AUTHOR}
    indicator = {"indicator_id": "trygghet", "name_sv": "Upplevd trygghet", "unit": "andel (%)", "direction": "increase",
                 "focus_area": "narkotika", "period_type": "year", "per_capita": False}  # fmt: skip
    return write_tables(
        path,
        pledges=pd.DataFrame([pledge]),
        commitments=pd.DataFrame([on_time, late]),
        commitment_updates=pd.DataFrame([note]),
        indicators=pd.DataFrame([indicator]),
        indicator_values=series(
            ("trygghet", "1488", "2023-01-01", "year", 60.0, math.nan),
            ("trygghet", "1488", "2024-01-01", "year", 64.5, 70.0),
        ),
    )


@pytest.fixture
def build(monkeypatch):
    """build(data_dir, mode, sel=SELECTION) -> Report, as the command line makes it,
    on the last day of the fixture's period (late is counted against today)."""
    monkeypatch.setenv("LAGESBILD_TODAY", "2025-03-31")

    def _build(data_dir, mode: str, sel: Selection = SELECTION) -> report.Report:
        return report.build(partial(db.run_query, db.connect(data_dir)), sel, mode, created=CREATED)

    return _build


def table_rows(page: str, section: str) -> list[list[str]]:
    """The rows of the tables in the report's section `section`."""
    return [cells for where, cells in html_tables.table_rows(page, ("section", "id")) if where == section]


def workbook(r: report.Report):
    return load_workbook(io.BytesIO(report_xlsx.render(r)))


def sheet_rows(wb, name: str) -> list[tuple]:
    return list(wb[name].iter_rows(values_only=True))


# --- Numbers ---------------------------------------------------------------------------


def test_key_numbers_places_and_matrix_of_the_fixture(build, report_dir):
    r = build(report_dir, "internal")
    keys = {k.label: k.value for k in r.key_numbers}
    assert (keys["Under perioden"], keys["Föregående period"]) == (7, 5)
    assert (keys["Åtaganden"], keys["◐ Pågår"], keys["▲ Försenad"], keys["✔ Genomförd"]) == (2, 1, 1, 0)
    assert keys["✔ I önskad riktning"] == 1 and keys["✖ I fel riktning"] == 0
    assert r.places["place"][0] == HOSTILE_PLACE
    assert r.places[["n_now", "n_before", "change"]].values.tolist() == [[4, 2, 2], [1, 3, -2]]
    m = r.weekday_hour
    assert m.shape == (7, 24) and m.to_numpy().sum() == 7  # every incident of the period, placed or not
    cells = [("Fredag", "22"), ("Fredag", "23"), ("Måndag", "08"), ("Torsdag", "12"), ("Fredag", "12"), ("Lördag", "12")]
    assert [m.loc[c] for c in cells] == [2, 1, 1, 1, 1, 1]
    assert dict(zip(r.commitments["text"], r.commitments["status"])) == {HOSTILE_TEXT: "pagar", "Åtagande c2": "forsenad"}
    trygghet = r.indicators.set_index("indicator_id").loc["trygghet"]
    assert (trygghet["Bedömning"], trygghet["latest"], trygghet["previous"], trygghet["target"]) == (
        "✔ i önskad riktning", 64.5, 60.0, 70.0
    )


def test_public_mode_publishes_rounded_counts_only(build, tripled_dir):
    r = build(tripled_dir, "public")
    keys = {k.label: k.value for k in r.key_numbers}
    assert (keys["Under perioden"], keys["Föregående period"]) == (20, 20)  # 21 and 15
    assert (keys["Åtaganden"], keys["▲ Försenad"]) == (2, 1)  # commitments are not incidents: exact
    assert r.places[["n_now", "n_before", "change"]].values.tolist() == [[10, 10, 0]]  # 12 and 6; NORTH (3) not shown
    m = r.weekday_hour
    assert m.shape == (2, 4) and m.loc["Vardag", "18–24"] == 10 and m.loc["Vardag", "12–18"] == 10  # 9 and 6
    assert m.isna().sum().sum() == 6  # 3 on Monday morning, 3 on Saturday, and every 0
    assert r.count_text(math.nan) == FEWER and r.count_text(1230) == "1\u00a0230"


# --- HTML ------------------------------------------------------------------------------


def test_html_has_every_section_with_the_fixtures_numbers(build, report_dir):
    page = report_html.render(build(report_dir, "internal"))
    for section in SECTIONS:
        assert f'id="{section}"' in page
    assert table_rows(page, "platser")[1:] == [
        ["1", HOSTILE_PLACE, "4", "2", "+2"],
        ["2", f"{HOSTILE_PLACE}, 3,0 km N", "1", "3", "\u22122"],
    ]
    friday = table_rows(page, "veckodag-timme")[5]
    assert friday[0] == "Fredag" and friday[13] == "1" and friday[23:25] == ["2", "1"]
    assert page.count("<rect ") >= 2  # the two cells on the static map
    assert "Alla kommuner" not in page and "Trollhättan · Alla fokusområden · 2025-03-01 – 2025-03-31" in page
    assert "jämförs med 2025-01-29 – 2025-02-28" in page
    assert "▲ Försenad" in page and "◐ Pågår" in page and "✔ i önskad riktning" in page
    assert "64,5\u00a0% (2024)" in page and "Mål 70,0\u00a0%: 5,5 kvar" in page


def test_html_escapes_every_text_and_loads_nothing(build, report_dir):
    page = report_html.render(build(report_dir, "internal"))
    for text in (HOSTILE_PLACE, HOSTILE_TITLE, HOSTILE_TEXT, HOSTILE_NOTE, HOSTILE_AUTHOR):
        assert html.escape(text) in page
    assert "<script" not in page.lower() and "<img src=x" not in page and "<b>Kommunpolis" not in page
    assert "href=" not in page and "@import" not in page and "url(" not in page
    # Besides the escaped hostile text, only inline SVG's namespace names a host; every image is a data: URI.
    hosts = re.findall(r"https?://[^\s\"'<>]+", page.replace(html.escape(HOSTILE_PLACE), ""))
    assert set(hosts) == {"http://www.w3.org/2000/svg"}
    assert all(src.startswith("data:") for src in re.findall(r'src="([^"]*)"', page))
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_notes_and_authors_only_in_the_internal_report(build, report_dir, mode):
    internal = report_html.render(build(report_dir, "internal"))
    other = report_html.render(build(report_dir, mode))
    assert html.escape(HOSTILE_NOTE) in internal and "Kommunpolis" in internal
    assert "@SUM(1)" not in other and "Kommunpolis" not in other
    assert report.VERSIONS[mode] in other
    assert (FEWER in other) == (mode == "public")


def test_public_html_shows_rounded_counts_and_whole_months(build, report_dir, tripled_dir):
    page = report_html.render(build(tripled_dir, "public"))
    (place,) = table_rows(page, "platser")[1:]
    assert place[0] == "1" and place[1].startswith(HOSTILE_PLACE) and place[2:4] == ["10", "10"]
    assert table_rows(page, "veckodag-timme") == [
        ["", "00–06", "06–12", "12–18", "18–24"], ["Vardag", FEWER, FEWER, "10", "10"], ["Helg", FEWER, FEWER, FEWER, FEWER]
    ]
    assert "Rutor med färre än 5 händelser visas inte" in page and "avrundade till närmaste 10-tal" in page
    few = report_html.render(build(report_dir, "public"))  # 7 now, 5 before: every place 'färre än 5'
    assert "Inga platser." in few and "Kartan visar 10 händelser med exakt plats" in few  # 5
    floored = report_html.render(build(tripled_dir, "public", Selection(("1488",), (), "anpassad", date(2025, 3, 2), date(2025, 3, 31))))
    assert "hela kalendermånader: 2025-03-01 – 2025-03-31, jämfört med 2025-02-01 – 2025-02-28" in floored


# --- Excel -----------------------------------------------------------------------------


def test_excel_has_the_same_tables_with_real_types(build, report_dir):
    wb = workbook(build(report_dir, "internal"))
    assert wb.sheetnames == SHEETS
    for name in SHEETS:
        assert wb[name].freeze_panes in ("A2", "B2")
    urval = dict(sheet_rows(wb, "Urval")[1:])
    assert urval["Period från"] == datetime(2025, 3, 1) and urval["Period till"] == datetime(2025, 3, 31)
    assert urval["Antal dagar"] == 31 and urval["Skapad"] == CREATED and urval["Kommuner"] == "Trollhättan"
    assert sheet_rows(wb, "Platser") == [("Nr", "Plats", "Nu", "Före", "Förändring"), (1, HOSTILE_PLACE, 4, 2, 2),
                                         (2, f"{HOSTILE_PLACE}, 3,0 km N", 1, 3, -2)]  # fmt: skip
    matrix = sheet_rows(wb, "Veckodag och timme")
    assert matrix[0][:3] == ("Veckodag", "00", "01") and matrix[5][0] == "Fredag" and matrix[5][23:25] == (2, 1)
    keys = {row[1]: row[2] for row in sheet_rows(wb, "Nyckeltal")[1:]}
    assert keys["Under perioden"] == 7 and keys["▲ Försenad"] == 1
    header, *rows = sheet_rows(wb, "Åtaganden")
    c1 = dict(zip(header, next(r for r in rows if r[2] == HOSTILE_TEXT)))
    assert c1["Status"] == "◐ Pågår" and c1["Framsteg (%)"] == 40 and c1["Slutdatum"] == datetime(2025, 6, 30)
    assert c1["Senaste uppföljning"] == datetime(2025, 3, 10, 14) and c1["Anteckning"] == HOSTILE_NOTE
    assert c1["Av"] == HOSTILE_AUTHOR and c1["Löfte"] == HOSTILE_TITLE and c1["Aktör"] == "Polisen"
    header, *rows = sheet_rows(wb, "Indikatorer")
    trygghet = dict(zip(header, next(r for r in rows if r[0] == "Upplevd trygghet")))
    assert (trygghet["Senaste värde"], trygghet["Föregående värde"], trygghet["Mål"]) == (64.5, 60.0, 70.0)
    assert trygghet["Förändring"] == pytest.approx(4.5) and trygghet["Period"] == "2024"
    assert trygghet["Periodens början"] == datetime(2024, 1, 1) and trygghet["Bedömning"] == "✔ i önskad riktning"
    assert wb["Platser"].column_dimensions["B"].width > 20


def test_excel_stores_hostile_text_as_text_and_no_formula_at_all(build, report_dir):
    data = report_xlsx.render(build(report_dir, "internal"))
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    risky = [c for c in cells if isinstance(c.value, str) and formula_like(c.value)]
    assert {c.value for c in risky} >= {HOSTILE_PLACE, HOSTILE_TEXT, HOSTILE_NOTE}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_excel_outside_internal_mode_has_no_notes(build, report_dir, mode):
    wb = workbook(build(report_dir, mode))
    header = sheet_rows(wb, "Åtaganden")[0]
    assert "Anteckning" not in header and "Av" not in header
    text = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert "@SUM(1)" not in text and "Kommunpolis" not in text
    if mode == "public":  # 7 now, 5 before; no cell with 5 or more
        assert sheet_rows(wb, "Platser") == [("Nr", "Plats", "Nu", "Före", "Förändring")]
        keys = {row[1]: row[2] for row in sheet_rows(wb, "Nyckeltal")[1:]}
        assert (keys["Under perioden"], keys["Föregående period"], keys["Åtaganden"]) == (10, 10, 2)
        assert sheet_rows(wb, "Veckodag och timme")[1] == ("Vardag", FEWER, FEWER, FEWER, FEWER)


def test_a_selection_with_nothing_in_it_still_makes_a_report(build, report_dir):
    r = build(report_dir, "public", Selection(("1488",), (), "anpassad", date(2010, 1, 1), date(2010, 1, 31)))
    page = report_html.render(r)
    assert "Inga platser." in page and "Inga åtaganden i löften" in page
    assert r.weekday_hour.isna().all().all() and r.places.empty  # 0 is 'färre än 5' too
    assert sheet_rows(workbook(r), "Platser") == [("Nr", "Plats", "Nu", "Före", "Förändring")]


# --- Demo data ------------------------------------------------------------------------


def last_quarter(kommun_kods=("1462", "1488")) -> Selection:
    return Selection(kommun_kods, (), "anpassad", TODAY - timedelta(days=90), TODAY)


def test_demo_report_in_internal_and_public_mode(build, demo_dir):
    internal, public = build(demo_dir, "internal", last_quarter()), build(demo_dir, "public", last_quarter())
    assert len(internal.places) == 10 and not internal.indicators.empty and not internal.commitments.empty
    pages = {mode: report_html.render(r) for mode, r in (("internal", internal), ("public", public))}
    for page in pages.values():
        assert all(f'id="{s}"' in page for s in SECTIONS)

    notes = [n for n in internal.commitments["note"].dropna() if len(n) > 12]
    assert notes and all(html.escape(n) in pages["internal"] for n in notes)
    assert not any(html.escape(n) in pages["public"] for n in notes)
    assert len(table_rows(pages["internal"], "veckodag-timme")) == 8 and len(table_rows(pages["public"], "veckodag-timme")) == 3
    matrix = public.weekday_hour
    assert (public.places[["n_now", "n_before"]].stack().dropna() % 10 == 0).all() and public.places["n_now"].min() >= 10
    assert (matrix.isna() | (matrix % 10 == 0)).all().all()
    wb = workbook(public)
    assert len(sheet_rows(wb, "Platser")) == len(public.places) + 1
    assert len(sheet_rows(wb, "Indikatorer")) == len(public.indicators) + 1


# --- Download buttons -----------------------------------------------------------------


def _buttons_app():
    from datetime import date

    from dashboard.filters import Selection
    from dashboard.ui import report_buttons

    report_buttons.download_buttons(Selection(("1488",), (), "anpassad", date(2025, 3, 1), date(2025, 3, 31)))


@pytest.mark.parametrize("mode", ["internal", "public"])
def test_download_buttons_build_the_report_of_the_sessions_mode(report_dir, monkeypatch, mode):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(report_dir))
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    # The file is made on click (a deferred download): keep what a click would run.
    made = {}
    register = MediaFileManager.add_deferred

    def keep(self, data, *args, **kwargs):
        made[kwargs["file_name"]] = data
        return register(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = AppTest.from_function(_buttons_app).run()
    assert [b.label for b in at.sidebar.get("download_button")] == ["Rapport (HTML, för utskrift)", "Rapport (Excel)"]
    assert set(made) == {"lagesbild-trollhattan-2025-03-01--2025-03-31.html", "lagesbild-trollhattan-2025-03-01--2025-03-31.xlsx"}
    page = made["lagesbild-trollhattan-2025-03-01--2025-03-31.html"]().decode()
    assert report.VERSIONS[mode] in page and ("@SUM(1)" in page) == (mode == "internal")
    assert load_workbook(io.BytesIO(made["lagesbild-trollhattan-2025-03-01--2025-03-31.xlsx"]())).sheetnames == SHEETS


def test_report_file_names_carry_the_kommun_names():
    from datetime import date

    from dashboard.filters import Selection
    from dashboard.report import file_name

    names = {"1462": "Lilla Edet", "1960": "Kungsör", "1415": "Stenungsund", "1419": "Tjörn", "1421": "Orust"}
    one = Selection(("1462",), (), "anpassad", date(2026, 9, 1), date(2026, 11, 30))
    assert file_name(one, ".html", names) == "lagesbild-lilla-edet-2026-09-01--2026-11-30.html"
    three = Selection(("1415", "1419", "1421"), (), "kvartal", date(2026, 9, 1), date(2026, 11, 30))
    assert file_name(three, ".xlsx", names) == "lagesbild-stenungsund-tjorn-orust-2026-09-01--2026-11-30.xlsx"
    four = Selection(("1415", "1419", "1421", "1960"), (), "kvartal", date(2026, 9, 1), date(2026, 11, 30))
    assert file_name(four, ".html", names).startswith("lagesbild-4-kommuner-")
    every = Selection(tuple(names), (), "kvartal", date(2026, 9, 1), date(2026, 11, 30))
    assert file_name(every, ".html", names).startswith("lagesbild-alla-kommuner-")
