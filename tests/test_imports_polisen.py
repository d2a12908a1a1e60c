"""The police's open events feed, from recorded responses (tests/fixtures/sources,
README.md there says where each comes from): values stored, events skipped and
why, re-import, an edited event replacing its old version, and `fetch polisen`
against a local HTTP server only. Format:
tests/fixtures/sources/FORMATS.md section 1."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, db
from dashboard.imports.incidents import import_file
from dashboard.imports import fetch, polisen
from dashboard.roles import command_line_author
from dashboard.validation import ImportRejected
from tests import datasets

SOURCES = Path(__file__).parent / "fixtures" / "sources"
AUTHOR = command_line_author()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """Lilla Edet (1462) and Trollhättan (1488), both in Västra Götalands län."""
    return datasets.write_tables(tmp_path / "data")


def stored(data_dir: Path, table: str = "incidents") -> pd.DataFrame:
    with db.connect(data_dir) as con:
        if table == "incidents":
            return con.execute("SELECT * FROM incidents ORDER BY incident_id").df().set_index("incident_id")
        return con.execute(f"SELECT * FROM read_parquet('{data_dir / table}/*.parquet')").df()


def test_feed_values_are_stored_as_the_issue_says(data_dir):
    result = import_file(SOURCES / "polisen_events.json", data_dir, AUTHOR)
    rows = stored(data_dir)
    assert list(rows.index) == ["polisen-620018", "polisen-623680", "polisen-624502", "polisen-636277", "polisen-900002"]
    event = rows.loc["polisen-636277"]
    # Its own time from the name, the publish time kept; the county in location.name ignored.
    assert (event.occurred_at, event.published_at) == (pd.Timestamp("2026-05-25 10:32"), pd.Timestamp("2026-05-25 11:15:02"))
    assert (event.kommun_kod, event.place_precision, event.category) == ("1488", "kommun", "Räddningsinsats")
    assert rows.loc["polisen-623680"].kommun_kod == "1462"  # "Lilla edet", odd case, from the end of the name
    assert rows.loc["polisen-623680"].place_name == "Lilla edet"
    assert rows.loc["polisen-900002"].occurred_at == pd.Timestamp("2025-12-31 23:40")  # published 2026-01-01
    county = rows.loc["polisen-624502"]
    assert (county.place_precision, county.kommun_kod) == ("lan", "1462")  # a county-wide event, served county
    assert set(rows["place_precision"]) <= {"kommun", "lan"}  # location.gps is never a point
    assert rows.loc["polisen-620018"].lat == 58.1340  # the kommun's centre (datasets), not the feed's gps
    reasons = sorted((p.row, p.reason_en.split(":")[0]) for p in result.skipped)
    assert reasons == [
        (2, "a summary of several events, not an incident"),
        (3, "a summary of several events, not an incident"),
        (4, "a municipality or county this installation does not serve"),  # Kungsör
        (5, "a municipality or county this installation does not serve"),  # Lidköping
        (10, "a municipality or county this installation does not serve"),  # Ronneby
        (11, "a municipality or county this installation does not serve"),  # Kungsör
    ]
    assert result.written == 5 and result.rejected is None


def test_a_bom_reads_the_same_and_reimport_changes_nothing(data_dir):
    import_file(SOURCES / "polisen_events.json", data_dir, AUTHOR)
    before = stored(data_dir)
    again = import_file(SOURCES / "polisen_events_bom.json", data_dir, AUTHOR)
    assert (again.written, again.unchanged) == (0, 5)
    pd.testing.assert_frame_equal(stored(data_dir), before)


def test_an_edited_event_replaces_its_old_version_and_the_old_one_is_kept(data_dir):
    import_file(SOURCES / "polisen_events.json", data_dir, AUTHOR)
    later = import_file(SOURCES / "polisen_events_later.json", data_dir, AUTHOR)
    assert (later.written, later.replaced) == (2, 1)  # 900003 new, 636277 edited; 645871 Lidköping skipped
    rows = stored(data_dir)
    assert len(rows) == 6 and rows.loc["polisen-636277"].category == "Anträffad död"
    assert rows.loc["polisen-900003"].category == "Fylleri"
    [old] = stored(data_dir, "incident_revisions").to_dict("records")
    assert (old["incident_id"], old["category"], old["replaced_by"]) == ("polisen-636277", "Räddningsinsats", AUTHOR.name)
    assert import_file(SOURCES / "polisen_events_later.json", data_dir, AUTHOR).written == 0


def _event(tmp_path: Path, name: str, published: str, file: str, type_: str = "Skadegörelse") -> Path:
    """A feed of one event under the id 624360 (the id the police reused, FORMATS.md)."""
    event = {"id": 624360, "datetime": published, "name": name, "summary": "…", "type": type_,
             "url": "/aktuellt/handelser/", "location": {"name": "Västra Götalands län", "gps": "58.25,13.06"}}  # fmt: skip
    path = tmp_path / file
    path.write_text(json.dumps([event], ensure_ascii=False), encoding="utf-8")
    return path


def test_a_reused_id_for_another_event_stores_both(data_dir, tmp_path):
    """Another kommun and 9 days later: not an edit but another event under the same id."""
    import_file(_event(tmp_path, "05 februari 07.23, Skadegörelse, Lilla edet", "2026-02-05 8:01:00 +01:00", "a.json"),
                data_dir, AUTHOR)  # fmt: skip
    later = _event(tmp_path, "14 februari 22.10, Rån, Trollhättan", "2026-02-14 23:30:12 +01:00", "b.json", "Rån")
    result = import_file(later, data_dir, AUTHOR)
    assert (result.written, result.replaced, result.reused) == (1, 0, ["polisen-624360-20260214233012"])
    assert any("reused for another event" in n for n in result.notes())
    assert any("återanvänt" in n for n in result.notes(swedish=True))
    rows = stored(data_dir)
    assert rows.loc["polisen-624360", ["kommun_kod", "category"]].tolist() == ["1462", "Skadegörelse"]  # kept
    assert rows.loc["polisen-624360-20260214233012", ["kommun_kod", "category"]].tolist() == ["1488", "Rån"]
    assert not (data_dir / "incident_revisions").exists()  # nothing was replaced
    # Fetched again, and then edited: it is found under its own id.
    assert import_file(later, data_dir, AUTHOR).written == 0
    edited = _event(tmp_path, "14 februari 22.10, Rån, försök, Trollhättan", "2026-02-14 23:30:12 +01:00", "c.json",
                    "Rån, försök")  # fmt: skip
    again = import_file(edited, data_dir, AUTHOR)
    assert (again.written, again.replaced, again.reused) == (1, 1, ["polisen-624360-20260214233012"])
    assert stored(data_dir).loc["polisen-624360-20260214233012", "category"] == "Rån, försök"


def test_same_id_in_another_kommun_within_hours_is_an_edit(data_dir, tmp_path):
    """A corrected place, the time moved by hours: the same event, replaced."""
    import_file(_event(tmp_path, "30 december 06.22, Brand, Lilla edet", "2025-12-30 7:00:00 +01:00", "a.json"),
                data_dir, AUTHOR)  # fmt: skip
    result = import_file(_event(tmp_path, "29 december 22.53, Brand, Trollhättan", "2025-12-30 7:00:00 +01:00", "b.json"),
                         data_dir, AUTHOR)  # fmt: skip
    assert (result.written, result.replaced, result.reused) == (1, 1, [])
    assert stored(data_dir).loc["polisen-624360", "kommun_kod"] == "1488"


@pytest.mark.parametrize(
    ("name", "published", "expected"),
    [
        ("06 juni 18.50, Trafikbrott, Kungsör", "2025-06-07 7:32:06 +02:00", datetime(2025, 6, 6, 18, 50)),
        ("1 juli 16.55, Trafikolycka, Lidköping", "2026-07-01 17:13:41 +02:00", datetime(2026, 7, 1, 16, 55)),
        ("31 mars 12:00, Stöld, Motala", "2023-03-31 13:00:00 +02:00", datetime(2023, 3, 31, 12, 0)),
        ("31 december 23.49, Olaga hot, Ronneby", "2026-01-01 7:23:31 +01:00", datetime(2025, 12, 31, 23, 49)),
    ],
)
def test_event_time_comes_from_the_name(name, published, expected):
    assert polisen.occurred(name, polisen.published(published)) == expected


def test_types_map_through_the_synonym_table():
    event = json.loads((SOURCES / "polisen_events.json").read_text())[4]
    assert event["type"] == "Fylleri/LOB"
    assert polisen.row(1, event, {"1494"}).values["category"] == "Fylleri"


def test_a_broken_feed_is_one_line_naming_the_file(data_dir, tmp_path):
    broken = tmp_path / "events.json"
    broken.write_text('[{"id": 1, "datetime": ', encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(broken, data_dir, AUTHOR)
    [problem] = caught.value.problems
    assert problem.english().startswith("events.json: not a readable JSON file")
    assert problem.swedish().startswith("events.json: inte en läsbar JSON-fil")


class _Feed(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def feed(tmp_path):
    """A local HTTP server on 127.0.0.1 serving recorded responses as /api/events."""
    root = tmp_path / "www"
    (root / "api").mkdir(parents=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Feed, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(name: str) -> str:
        shutil.copy(SOURCES / name, root / "api" / "events")
        return f"http://127.0.0.1:{server.server_port}/api/events"

    yield serve
    server.shutdown()
    thread.join()


def test_fetch_imports_new_and_changed_events_and_is_idempotent(data_dir, feed, monkeypatch, capsys):
    monkeypatch.setenv(fetch.URL_SETTING, feed("polisen_events.json"))
    assert cli.main(["--data-dir", str(data_dir), "fetch", "polisen"]) == 0
    assert "5 row(s) imported" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data_dir), "fetch", "polisen"]) == 0
    assert "0 row(s) imported, 5 already present" in capsys.readouterr().out
    feed("polisen_events_later.json")
    assert cli.main(["--data-dir", str(data_dir), "fetch", "polisen"]) == 0
    assert "2 row(s) imported (1 newer version(s) of stored ones)" in capsys.readouterr().out
    assert len(stored(data_dir)) == 6


def test_fetch_failure_says_why_and_writes_nothing(data_dir, feed, monkeypatch, capsys):
    monkeypatch.setenv(fetch.URL_SETTING, feed("polisen_events.json").replace("/api/events", "/api/missing"))
    assert cli.main(["--data-dir", str(data_dir), "fetch", "polisen"]) == 1
    assert "fetching failed: HTTP Error 404" in capsys.readouterr().err
    assert not (data_dir / "incidents").exists()
