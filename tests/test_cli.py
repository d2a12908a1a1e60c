"""The command line through `main([...])`: demo into a directory, check, and
the meeting report; exit codes, and on failure one line of English that says
what is wrong. Importing it loads no Streamlit."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from dashboard import PROJECT_ROOT, cli
from dashboard.report import build as report
from tests.datasets import TODAY
from tests.test_report import SHEETS


def one_error(capsys) -> str:
    """What the command wrote to stderr, checked to be a single 'error: …' line."""
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err.strip()


def test_importing_the_command_line_loads_no_streamlit():
    code = "import sys, dashboard.cli; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


def test_demo_writes_an_empty_directory_only_then_checks_clean(tmp_path, capsys):
    data = tmp_path / "data"
    demo = ["--data-dir", str(data), "demo", "--incidents", "300", "--until", TODAY.isoformat()]
    assert cli.main(demo) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Demo data written to {data} in ") and "incidents" in out
    assert cli.main(demo) == 2
    assert one_error(capsys) == f"error: {data} already holds data; use --force to replace it with demo data"
    assert cli.main([*demo, "--if-empty"]) == 0
    assert capsys.readouterr().out == f"{data} already holds data; demo data not written.\n"
    assert cli.main(["--data-dir", str(data), "check"]) == 0
    assert capsys.readouterr().out == f"{data}: no problems found\n"


def test_check_names_each_problem_and_fails(tmp_path, capsys):
    assert cli.main(["--data-dir", str(tmp_path / "nope"), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path / 'nope'}: data directory does not exist",
        f"1 problem(s) found in {tmp_path / 'nope'}",
    ]


def test_report_writes_html_and_excel(demo_dir, tmp_path, capsys):
    start, end = (TODAY - timedelta(days=30)).isoformat(), TODAY.isoformat()
    base = ["--data-dir", str(demo_dir), "report", "--kommun", "lilla edet,1488", "--fokus", "Narkotika"]
    for out in (tmp_path / "r.html", tmp_path / "r.xlsx"):
        assert cli.main([*base, "--from", start, "--to", end, "--out", str(out), "--mode", "public"]) == 0
        assert f"Report (public) written to {out}" in capsys.readouterr().out
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Lilla Edet, Trollhättan · Narkotika" in page and report.VERSIONS["public"] in page
    assert load_workbook(tmp_path / "r.xlsx").sheetnames == SHEETS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "Atlantis"], "error: unknown municipality: Atlantis"),
        (["--fokus", "okänt"], "error: unknown focus area: okänt"),
        (["--from", "2025-03-02", "--to", "2025-03-01"], "error: --from 2025-03-02 is after --to 2025-03-01"),
        (["--out", "rapport.pdf"], "error: --out must end in .html or .xlsx"),
    ],
)
def test_report_errors_are_english_and_write_nothing(demo_dir, tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    defaults = {"--from": "2025-01-01", "--to": "2025-03-31", "--out": "rapport.html"}
    given = dict(zip(args[::2], args[1::2]))
    argv = [x for k, v in (defaults | given).items() for x in (k, v)]
    assert cli.main(["--data-dir", str(demo_dir), "report", *argv]) == 2
    assert message in one_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_report_needs_data_and_a_directory_to_write_in(demo_dir, tmp_path, capsys):
    dates = ["--from", "2025-01-01", "--to", "2025-03-31"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["--data-dir", str(empty), "report", *dates, "--out", str(tmp_path / "r.html")]) == 2
    assert one_error(capsys) == f"error: {empty} holds no data; run 'python -m dashboard demo' or import first"
    out = tmp_path / "saknas" / "r.html"
    assert cli.main(["--data-dir", str(demo_dir), "report", *dates, "--out", str(out)]) == 2
    assert one_error(capsys) == f"error: no directory {out.parent} to write r.html in"
    assert not out.parent.exists() and not (tmp_path / "r.html").exists()


def test_a_malformed_date_is_refused_by_the_parser(demo_dir, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--data-dir", str(demo_dir), "report", "--from", "1 mars", "--to", "2025-03-31", "--out", "r.html"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith("not a date in the form YYYY-MM-DD: '1 mars'")


@pytest.mark.parametrize(
    ("fail", "message"),
    [
        (OSError(28, "No space left on device"), "error: [Errno 28] No space left on device"),
        (OSError(30, "Read-only file system"), "error: [Errno 30] Read-only file system"),
        (ValueError("bad value\non two lines"), "error: bad value on two lines"),
    ],
)
def test_a_failed_write_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys, fail, message):
    from dashboard import storage

    def failing(*args, **kwargs):
        raise fail

    monkeypatch.setattr(storage, "replacing_file", failing)  # under every file write
    assert cli.main(["--data-dir", str(tmp_path / "d"), "init", "--kommun", "1462"]) == 1
    assert one_error(capsys) == message


def test_year_one_in_a_report_is_one_line(demo_dir, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert cli.main(["--data-dir", str(demo_dir), "report", "--from", "0001-01-01", "--to", "0001-01-02", "--out", str(out)]) == 1
    assert one_error(capsys).startswith("error: ")


@pytest.mark.parametrize("raw", ["2", "-5", "tre"])
def test_run_refuses_a_bad_min_count_in_one_line_before_starting(monkeypatch, capsys, raw):
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", raw)
    monkeypatch.setattr(cli.subprocess, "call", lambda *a, **k: pytest.fail("streamlit was started"))
    assert cli.main(["run"]) == 2
    assert "LAGESBILD_MIN_COUNT must be a whole number of at least 3" in one_error(capsys)
