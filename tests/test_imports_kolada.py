"""Kolada API v2 and v3 responses, saved or fetched from a local server (never the network).

Format and provenance of the fixtures: tests/fixtures/sources/FORMATS.md section 2, README.md there."""

from __future__ import annotations

import contextlib
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from dashboard import cli
from dashboard.imports import kolada, sources, statistics
from dashboard.roles import Author
from dashboard.validation import ImportRejected
from tests.datasets import MUNICIPALITIES, write_tables

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
AUTHOR = Author("test")
VIOLENCE = {"indicator_id": "valdsbrott", "name_sv": "Anmälda våldsbrott", "unit": "antal per 100 000 inv.",
            "direction": "decrease", "period_type": "year", "per_capita": True,
            "source_ids": ["kolada:N07403"]}  # fmt: skip
V3_KOMMUNER = pd.DataFrame(
    {"kommun_kod": ["1415", "1421"], "kommun": ["Stenungsund", "Orust"], "lat": [58.07, 58.2], "lon": [11.82, 11.7]}
)


def _data(tmp_path: Path, municipalities=MUNICIPALITIES, **indicator) -> Path:
    indicators = pd.DataFrame([VIOLENCE | indicator])
    return write_tables(tmp_path / "data", municipalities=municipalities, indicators=indicators)


def _values(data: Path) -> dict[tuple[str, int], float]:
    frame = pd.read_parquet(data / "indicator_values.parquet")
    return {(r.kommun_kod, r.period_start.year): r.value for r in frame.itertuples()}


def test_v2_page_stores_the_totals_of_served_kommuner(tmp_path):
    data = _data(tmp_path)
    result = statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR)
    assert _values(data) == {("1462", 2022): 1105.0, ("1462", 2023): 1187.3}
    assert (result.written, result.unchanged) == (2, 0)
    assert "1 row(s) skipped: no value (N07403 1462 2024)" in result.notes()  # null is not 0
    assert any("one page of several" in note for note in result.notes())


def test_v2_second_page_skips_other_kommuner_and_the_country(tmp_path):
    data = _data(tmp_path)
    result = statistics.import_file(FIXTURES / "kolada_v2_N07403_page2.json", data, AUTHOR)
    assert _values(data) == {("1488", 2024): 1512.6}
    assert result.skips.counts == {sources.NOT_SERVED: 1, sources.TOTAL: 1}
    assert f"1 row(s) skipped: {sources.NOT_SERVED} (1494)" in result.notes()


def test_v3_skips_missing_values_and_regions(tmp_path):
    data = _data(tmp_path, municipalities=V3_KOMMUNER)
    statistics.import_file(FIXTURES / "kolada_v3_N07403_page1.json", data, AUTHOR)
    result = statistics.import_file(FIXTURES / "kolada_v3_N07403_page2.json", data, AUTHOR)
    assert _values(data) == {("1415", 2023): 1044.1, ("1415", 2024): 1098.7}
    assert result.skips.counts == {sources.NO_VALUE: 1, sources.TOTAL: 1}  # 1421 "Missing", region 0014


def test_reimport_changes_nothing(tmp_path):
    data = _data(tmp_path)
    statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR)
    before = (data / "indicator_values.parquet").read_bytes()
    result = statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR)
    assert (result.written, result.unchanged) == (0, 2)
    assert (data / "indicator_values.parquet").read_bytes() == before


def test_a_kpi_without_indicator_says_how_to_define_one(tmp_path):
    data = _data(tmp_path, source_ids=["kolada:N07540"])
    with pytest.raises(ImportRejected) as exc:
        statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR)
    (problem,) = exc.value.problems
    assert "no indicator records the source id 'kolada:N07403'" in problem.english()
    assert "--indicator ID" in problem.english()
    assert not (data / "indicator_values.parquet").exists()


def test_indicator_option_overrides_the_mapping(tmp_path):
    data = _data(tmp_path, source_ids=[])
    statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR, indicator="valdsbrott")
    assert _values(data) == {("1462", 2022): 1105.0, ("1462", 2023): 1187.3}


def test_a_bare_kpi_id_matches_too(tmp_path):
    data = _data(tmp_path, source_ids=["n07403"])
    statistics.import_file(FIXTURES / "kolada_v2_N07403_page1.json", data, AUTHOR)
    assert len(_values(data)) == 2


def test_a_broken_response_names_the_file_and_the_item(tmp_path):
    data = _data(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"count": 1, "values": [{"kpi": "N07403", "municipality": "1462", "period": "år 2024", '
                      '"values": [{"gender": "T", "value": 1.0}]}]}')  # fmt: skip
    with pytest.raises(ImportRejected) as exc:
        statistics.import_file(broken, data, AUTHOR)
    assert [p.english() for p in exc.value.problems] == [
        "broken.json, column values[1].period: not a year (value: 'år 2024')"
    ]
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"count": 1, "values": [')
    with pytest.raises(ImportRejected) as exc:
        statistics.import_file(truncated, data, AUTHOR)
    assert exc.value.problems[0].english().startswith("truncated.json: not valid JSON")


# --- fetch against a local server -----------------------------------------------------


@contextlib.contextmanager
def kolada_server(version: str):
    """A server on 127.0.0.1 answering like api.kolada.se with the fixture pages; yields (base URL, paths asked)."""
    pages = {n: (FIXTURES / f"kolada_{version}_N07403_page{n}.json").read_text() for n in (1, 2)}
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            asked.append(self.path)
            page = 2 if "page=2" in urlsplit(self.path).query else 1
            body = pages[page].replace(f"https://api.kolada.se/{version}", base).replace(
                f"http://api.kolada.se/{version}", base
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/{version}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, asked
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_follows_the_pages_for_the_installations_kommuner(tmp_path, monkeypatch, capsys):
    data = _data(tmp_path)
    with kolada_server("v2") as (base, asked):
        monkeypatch.setenv("LAGESBILD_KOLADA_URL", base)
        assert cli.main(["--data-dir", str(data), "fetch", "kolada", "--kpi", "N07403"]) == 0
        assert cli.main(["--data-dir", str(data), "fetch", "kolada", "--kpi", "n07403"]) == 0
    assert asked[0] == "/v2/data/kpi/N07403/municipality/1462,1488"
    assert len(asked) == 4  # two pages, twice
    assert _values(data) == {("1462", 2022): 1105.0, ("1462", 2023): 1187.3, ("1488", 2024): 1512.6}
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("3 row(s) imported, 0 already present")
    assert out[-4].endswith("0 row(s) imported, 3 already present")  # the second run: nothing new


def test_fetch_v3_years_and_missing_values(tmp_path, monkeypatch):
    data = _data(tmp_path, municipalities=V3_KOMMUNER)
    with kolada_server("v3") as (base, asked):
        monkeypatch.setenv("LAGESBILD_KOLADA_URL", base + "/")
        result = kolada.fetch(["N07403"], data, AUTHOR, years=[2024, 2023])
    assert asked == ["/v3/data/kpi/N07403/municipality/1415,1421/year/2023,2024", "/v3/data/kpi/N07403/"
                     "municipality/1419,1421,1415,0014/year/2023,2024?page=2&per_page=2"]  # fmt: skip
    assert _values(data) == {("1415", 2023): 1044.1, ("1415", 2024): 1098.7}
    assert result.skips.counts == {sources.NO_VALUE: 1, sources.TOTAL: 1}


def test_fetch_refuses_a_kpi_without_indicator_before_asking(tmp_path, monkeypatch, capsys):
    data = _data(tmp_path)
    with kolada_server("v2") as (base, asked):
        monkeypatch.setenv("LAGESBILD_KOLADA_URL", base)
        assert cli.main(["--data-dir", str(data), "fetch", "kolada", "--kpi", "N07403", "--kpi", "N00945"]) == 1
    assert asked == []
    assert "no indicator records the source id 'kolada:N00945'" in capsys.readouterr().err


def test_fetch_reports_an_unreachable_server(tmp_path, monkeypatch, capsys):
    data = _data(tmp_path)
    with kolada_server("v2") as (base, _):
        pass  # closed again: nothing listens there any more
    monkeypatch.setenv("LAGESBILD_KOLADA_URL", base)
    assert cli.main(["--data-dir", str(data), "fetch", "kolada", "--kpi", "N07403"]) == 1
    assert f"error: {base}/data/kpi/N07403" in capsys.readouterr().err
    assert not (data / "indicator_values.parquet").exists()


def test_urls_keep_to_25_ids_per_segment():
    kommuner = [f"{n:04d}" for n in range(1, 31)]
    got = kolada.urls(["N1"], kommuner, [], "http://x/v3")
    assert [u.count(",") for u in got] == [24, 4]
