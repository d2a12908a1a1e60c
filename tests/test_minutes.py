"""Minnesanteckningar: the meeting, its decisions and the figures shown, as
escaped HTML without script and as a workbook with real dates; one command."""

from __future__ import annotations

import functools
import math
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from dashboard import cli, db, follow_up
from dashboard.report import minutes
from dashboard.roles import Author
from tests.datasets import TODAY, write_tables

EDITOR = Author("redaktör")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def meeting(tmp_path) -> tuple:
    write_tables(tmp_path)
    mid = follow_up.record_meeting(tmp_path, EDITOR, TODAY, "lagesbild", ["1462"], [], present=["Polisen"])
    follow_up.record_meeting(
        tmp_path, EDITOR, TODAY, "lagesbild", ["1462"], ["narkotika"], notes=f"Anteckning {HOSTILE}",
        present=["Polisen", f"Kommunen {HOSTILE}"], agenda=["Översikt", "Karta", "Löften"],
        period=(TODAY - timedelta(days=29), TODAY), meeting_id=mid,
    )  # fmt: skip
    late = follow_up.record_action(tmp_path, EDITOR, mid, f"Beslut {HOSTILE}", "kommunen", TODAY - timedelta(days=1),
                                   owner="Fältgruppen", focus_area="narkotika", place=HOSTILE)  # fmt: skip
    follow_up.record_action(tmp_path, EDITOR, mid, "Ljus vid Torget", "polisen", TODAY + timedelta(days=30))
    return tmp_path, mid, late


def build(data_dir, mid, mode="internal") -> minutes.Minutes:
    con = db.connect(data_dir)
    try:
        return minutes.build(functools.partial(db.run_query, con), mid, mode)
    finally:
        con.close()


def test_minutes_hold_the_meeting_its_decisions_and_figures(meeting):
    data_dir, mid, _ = meeting
    m = build(data_dir, mid)
    assert (m.kind, m.held_on, m.kommuner, m.focus) == ("Lägesbildsmöte", TODAY, "Lilla Edet", "Narkotika")
    assert m.agenda == ["Översikt", "Karta", "Löften"] and m.present[0] == "Polisen"
    assert (m.sel.start, m.sel.end, m.sel.kommun_kods) == (TODAY - timedelta(days=29), TODAY, ("1462",))
    assert list(m.decisions["Beslut"].str[:6]) == ["Beslut", "Ljus v"]
    due = (TODAY - timedelta(days=1)).isoformat()
    assert m.decisions.loc[0, "Status"] == f"Försenad (förfallodag {due} passerad)"
    assert m.decisions.loc[1, "Status"] == "○ Ej påbörjad"
    assert {k.label for k in m.figures} >= {"Under perioden", "Föregående period", "Åtaganden"}
    assert build(data_dir, mid, "meeting").notes == ""  # the meeting's notes are internal only
    assert set(build(data_dir, mid, "public").decisions["Ansvarig"]) == {""}


def test_minutes_html_escapes_hostile_text_and_has_no_script(meeting):
    data_dir, mid, _ = meeting
    page = minutes.render_html(build(data_dir, mid))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page and "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Beslut (2)" in page and "Fältgruppen" in page and "Översikt → Karta → Löften" in page
    assert "http://" not in page and "https://" not in page


def test_minutes_workbook_opens_with_real_dates(meeting, tmp_path):
    data_dir, mid, _ = meeting
    path = tmp_path / "m.xlsx"
    path.write_bytes(minutes.render_xlsx(build(data_dir, mid)))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Möte", "Beslut", "Lägesbild"]
    assert wb["Möte"]["B2"].value == datetime.combine(TODAY, datetime.min.time())
    decisions = wb["Beslut"]
    assert [c.value for c in decisions[1]] == ["Beslut", "Aktör", "Ansvarig", "Klart senast", "Fokusområde", "Plats", "Status"]
    assert isinstance(decisions["D2"].value, datetime) and decisions["D2"].value.date() == TODAY - timedelta(days=1)
    assert decisions["A2"].data_type == "s"  # text stays text, never a formula
    assert isinstance(wb["Lägesbild"]["C2"].value, int | float)


def test_minutes_from_the_command_line(meeting, tmp_path, capsys):
    data_dir, mid, _ = meeting
    for suffix in (".html", ".xlsx"):
        out = tmp_path / f"protokoll{suffix}"
        assert cli.main(["--data-dir", str(data_dir), "report", "--minutes", mid, "--out", str(out)]) == 0
        assert out.stat().st_size > 1000
    assert cli.main(["--data-dir", str(data_dir), "report", "--minutes", "finns_inte", "--out", str(out)]) == 2
    assert "no meeting with id 'finns_inte'" in capsys.readouterr().err
    assert minutes.file_name(build(data_dir, mid), ".html") == f"minnesanteckningar-{TODAY.isoformat()}-lilla_edet.html"


def test_public_minutes_say_faerre_aen_5_where_the_rule_hides_a_count(meeting, tmp_path):
    """One rule: what the rule withholds reads as on the pages ('färre än 5'), never '–'."""
    data_dir, mid, _ = meeting
    m = build(data_dir, mid, "public")
    hidden = [k.label for k in m.figures if k.group == "Händelser" and math.isnan(k.value)]
    assert hidden == ["Under perioden", "Föregående period"]  # the fixture has few narkotika incidents
    page = minutes.render_html(m)
    assert "<td class=num>färre än 5</td>" in page and "<td class=num>–</td>" not in page
    assert m.rule.note in page and "hela kalendermånader" in page  # how counts and period are shown
    path = tmp_path / "m.xlsx"
    path.write_bytes(minutes.render_xlsx(m))
    figures = {row[1]: row[2] for row in load_workbook(path)["Lägesbild"].iter_rows(min_row=2, values_only=True)}
    assert figures["Under perioden"] == figures["Föregående period"] == "färre än 5"
    assert figures["Åtaganden"] == 0
