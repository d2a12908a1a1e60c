"""What the benchmark measures in our app. Every public function here runs in
a process of its own (`runner.in_child`) and returns plain data.

Cold and warm. A page's cold render is its first run in a session after
Streamlit's caches were cleared (no DuckDB connection, no cached query): the
state of a running server after new data arrived. Modules are imported and
the operating system's file cache is warm; the first render of a fresh
process, imports included, is reported separately as `startup_s`. A warm
rerun changes the shared filter to a selection not seen before, so its
queries run again on the warm connection. Times are medians of REPEATS runs,
with the CPU time beside the wall clock: the machine is shared, and CPU time
says how much of a slow figure was waiting for a core.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import statistics
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb

from dashboard import PROJECT_ROOT, clock, db, filters
from dashboard.ui import navigation

APP = PROJECT_ROOT / "dashboard" / "app.py"
#: Seconds an AppTest run may take (a cold page at ten million incidents takes a few).
RENDER_TIMEOUT = 600
#: Timed runs of each page render and query; the median is reported.
REPEATS = 3


def filter_changes(kommun_kods: list[str]) -> list[tuple[str, str, str, object]]:
    """(label, widget kind, widget key, value) applied one after the other; each
    gives a selection not seen before, the last the widest (all, 12 months)."""
    return [
        ("one municipality", "multiselect", "f_kommun", kommun_kods[:1]),
        ("12 months", "selectbox", "f_period", "ar"),
        ("all municipalities", "multiselect", "f_kommun", list(kommun_kods)),
    ]


def default_selection(data_dir: Path, today: date) -> filters.Selection:
    """What a page shows when opened without a link: every municipality and
    focus area, the last quarter."""
    con = db.connect(data_dir)
    try:
        munis, focus = db.run_query(con, "municipalities"), db.run_query(con, "focus_areas")
    finally:
        con.close()
    return filters.from_query_params({}, today, munis["kommun_kod"], focus["focus_area"])


def widest_selection(sel: filters.Selection) -> filters.Selection:
    """The selection after the last filter change: twelve months."""
    start, end = filters.resolve_period("ar", sel.end)
    return replace(sel, preset="ar", start=start, end=end)


def proc_value(path: str, key: str) -> str | None:
    """The value of the first `key: value` line of a /proc file (None where there is none)."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    return next((line.split(":", 1)[1].strip() for line in lines if line.split(":")[0].strip() == key), None)


def peak_rss_bytes() -> int:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a spawned
    child inherits its parent's ru_maxrss across exec, VmHWM starts afresh."""
    hwm = proc_value("/proc/self/status", "VmHWM")  # "123456 kB"
    kb = int(hwm.split()[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    return kb * 1024


def quiet_streamlit() -> None:
    """No warnings about running without a server. The option as well as the
    level: AppTest resets the level from the option on every run."""
    import streamlit.config
    import streamlit.logger

    streamlit.config.set_option("logger.level", "error")
    streamlit.logger.set_log_level("error")


def show_error_details() -> None:
    """Uncaught errors of the pages with their real text, not Streamlit's redacted
    one. Only for this process: the bench serves no user, while the app's own
    config (`client.showErrorDetails = "none"`) keeps hiding them from its users."""
    import streamlit.config

    streamlit.config.set_option("client.showErrorDetails", "full")


def timed(fn, *args, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def generate_demo(data_dir: Path, incidents: int, seed: int, until: date) -> dict:
    from dashboard.demo import write_demo

    counts, seconds = timed(write_demo, data_dir, incidents=incidents, seed=seed, until=until)
    return {"seconds": seconds, "rows": counts}


class QueryLog:
    """Time spent in named queries, and the parameters each was first run with.

    While recording, `db.run_query` (which the app's cached `query` calls) is
    wrapped, so the benchmark sees exactly the queries the pages run.
    """

    def __init__(self):
        self.seconds = 0.0
        self.params: dict[str, dict] = {}

    @contextlib.contextmanager
    def recording(self):
        original = db.run_query

        def run_query(con, name, params=None):
            started = time.perf_counter()
            try:
                return original(con, name, params)
            finally:
                self.seconds += time.perf_counter() - started
                self.params.setdefault(name, params or {})

        db.run_query = run_query
        try:
            yield self
        finally:
            db.run_query = original


def pages(data_dir: Path) -> dict:
    """Cold render and warm reruns of every page of `navigation.PAGES`."""
    os.environ.update(LAGESBILD_DATA_DIR=str(data_dir), LAGESBILD_MODE="internal")
    show_error_details()
    log = QueryLog()
    with log.recording():
        startup_s = timed(_session, next(iter(navigation.PAGES)))[1]
        for name in navigation.PAGES:  # import every page's modules before timing
            _session(name)
        measured = {name: _measure_page(name, log) for name in navigation.PAGES}
    return {"startup_s": startup_s, "pages": measured, "query_params": log.params}


def _session(name: str):
    """A new session's first run of page `name`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=RENDER_TIMEOUT)
    return at.switch_page(str(navigation.PAGE_DIR / f"{name}.py")).run()


def _measured(log: QueryLog, fn, *args) -> tuple[object, dict]:
    """fn(*args) and its wall-clock, CPU (the process's, all threads) and query seconds.
    CPU time shows what waiting for a busy machine added to the wall clock."""
    wall, cpu, queries = time.perf_counter(), time.process_time(), log.seconds
    result = fn(*args)
    return result, {
        "seconds": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "query_s": log.seconds - queries,
    }


def _median(timings: list[dict]) -> dict:
    return {key: statistics.median(t[key] for t in timings) for key in timings[0]}


def _measure_page(name: str, log: QueryLog) -> dict:
    """The median of REPEATS cold renders, then of REPEATS reruns after each
    filter change (the query cache cleared between them, so the page's
    queries run every time)."""
    import streamlit as st

    colds = []
    for _ in range(REPEATS):
        st.cache_data.clear()
        st.cache_resource.clear()
        at, timing = _measured(log, _session, name)
        colds.append(timing)
    result = {"cold": _median(colds), **_page_output(at), "warm": []}
    if result["errors"]:
        return result
    for label, kind, key, value in filter_changes(list(at.session_state["f_kommun"])):
        getattr(at, kind)(key=key).set_value(value)
        warms = []
        for _ in range(REPEATS):
            at, timing = _measured(log, at.run)
            warms.append(timing)
            st.cache_data.clear()
        result["warm"].append({"change": label, **_median(warms)})
        result["errors"] += _errors(at)
    return result


def _errors(at) -> list[str]:
    """Each uncaught error of the run, in one line: 'KeyError: 'x''."""
    return [f"{e.proto.type.rsplit('.', 1)[-1]}: {next(iter(e.message.splitlines()), '')}" for e in at.exception]


def _page_output(at) -> dict:
    """Errors, and the bytes of the page's elements: what the server sends
    the browser for it (components, such as the map, separately)."""
    sizes = [(type(proto).__name__, proto.ByteSize()) for proto in _protos(at.main) + _protos(at.sidebar)]
    return {
        "errors": _errors(at),
        "title": next((str(t.value) for t in at.title), ""),
        "page_bytes": sum(size for _, size in sizes),
        "component_bytes": sum(size for kind, size in sizes if kind == "ComponentInstance"),
    }


def _protos(node) -> list:
    children = getattr(node, "children", None)
    if children:
        return [proto for child in children.values() for proto in _protos(child)]
    proto = getattr(node, "proto", None)
    return [proto] if proto is not None else []


def queries(data_dir: Path, used_params: dict[str, dict], sel: filters.Selection) -> dict:
    """Every query of `queries/`, on a fresh direct connection, with the
    parameters the pages ran it with (else those of the default selection).
    A query that cannot run on its own (the import's, which need its working
    tables) is listed with the reason."""
    con = db.connect(data_dir)
    try:
        names = sorted(path.stem for path in db.QUERIES_DIR.glob("*.sql"))
        return {"queries": {name: _time_query(con, name, used_params, sel.params()) for name in names}}
    finally:
        con.close()


def _time_query(con, name: str, used_params: dict[str, dict], defaults: dict) -> dict:
    params = used_params.get(name, defaults)
    try:
        frame, first_s = timed(db.run_query, con, name, params)
        repeats = [timed(db.run_query, con, name, params)[1] for _ in range(REPEATS)]
    except (KeyError, duckdb.Error) as exc:
        return {"skipped": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    median_s = statistics.median(repeats)
    return {"used_by_pages": name in used_params, "first_s": first_s, "median_s": median_s, "rows": len(frame)}


def map_payload(data_dir: Path, sel: filters.Selection) -> dict:
    """Bytes of the map's HTML for the default selection and for the widest
    one compared with the period before (the most cells drawn)."""
    from dashboard.ui import map_view

    cases = {"default": (sel, False), "widest_compared": (widest_selection(sel), True)}
    out = {}
    for case, (selection, compare) in cases.items():
        (size, cells), seconds = timed(map_view.map_payload_bytes, data_dir, selection, compare=compare)
        out[case] = {"bytes": size, "cells": cells, "seconds": seconds}
    return {"cases": out}


#: Columns of the exported CSV, as an incident file to import has them.
EXPORT_COLUMNS = "incident_id, source, kommun_kod, category, occurred_at, lat, lon, place_type, description"


def export_csv(data_dir: Path, path: Path, rows: int) -> dict:
    """`rows` incidents of the data set as a CSV file to import (none from
    today, which an import would reject as in the future). About 130 bytes a
    row; DuckDB writes about 330 000 rows a second on the bench machine."""
    con = db.connect(data_dir)
    try:
        con.execute("SET enable_progress_bar = false")  # the bench's output is a table, not a bar
        target = str(path).replace("'", "''")
        query = f"SELECT {EXPORT_COLUMNS} FROM incidents WHERE occurred_at < DATE '{clock.today()}' LIMIT {int(rows)}"
        cursor, seconds = timed(con.execute, f"COPY ({query}) TO '{target}' (HEADER)")
        rows = cursor.fetchone()[0]
    finally:
        con.close()
    return {"rows": rows, "seconds": seconds, "bytes": path.stat().st_size}


def import_throughput(data_dir: Path, csv_path: Path, rows: int, work_dir: Path) -> dict:
    """Import `csv_path` (`rows` rows) into a copy of the data set without incidents."""
    from dashboard.imports.incidents import import_file
    from dashboard.roles import command_line_author

    target = work_dir / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("incidents"))
    result, seconds = timed(import_file, csv_path, target, command_line_author(), skip_invalid=True)
    return {
        "rows": rows, "written": result.written, "not_written": rows - result.written,
        "seconds": seconds, "rows_per_s": rows / seconds,
    }  # fmt: skip
