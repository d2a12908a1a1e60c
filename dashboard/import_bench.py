"""Measuring the incident import: a realistic CSV of any size, imported in a
fresh process whose time and peak memory are reported.

The file looks like a municipal export: Swedish headers, semicolons, decimal
commas, no incident ids (so ids are made from the content), demo incidents
up to yesterday. `measure_import` runs the import in a child process, so that
the peak memory it reports is the import's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard import clock, geography
from dashboard.demo import generate_incidents

#: The benchmark's own measuring child process.
_CHILD = """
import json, resource, sys, time
from dashboard.imports.incidents import import_file
from dashboard.roles import command_line_author
started = time.perf_counter()
result = import_file(sys.argv[1], sys.argv[2], command_line_author())
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"written": result.written, "unchanged": result.unchanged, "seconds": seconds,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}))
"""


def write_sample_csv(path: Path, rows: int, seed: int = 2) -> Path:
    """A CSV of `rows` demo incidents as a municipality would export them."""
    until = clock.today() - timedelta(days=1)
    incidents = _inside_kommun(generate_incidents(rows, np.random.default_rng(seed), until).to_pandas())
    con = duckdb.connect(":memory:")
    try:
        con.register("incidents", incidents)
        con.execute(
            """
            COPY (
                SELECT strftime(occurred_at, '%Y-%m-%d %H:%M') AS Tidpunkt, kommun_kod AS Kommunkod,
                       category AS Kategori, replace(CAST(round(lat, 6) AS VARCHAR), '.', ',') AS Latitud,
                       replace(CAST(round(lon, 6) AS VARCHAR), '.', ',') AS Longitud, place_type AS Plats,
                       description AS Beskrivning
                FROM incidents
            ) TO $path (HEADER, DELIMITER ';')
            """,
            {"path": str(path)},
        )
    finally:
        con.close()
    return Path(path)


def _inside_kommun(incidents: pd.DataFrame) -> pd.DataFrame:
    """A municipality's export places no point outside the kommun: the demo scatters
    some around the kommun's centre, and those that fall outside its boundary are
    written without coordinates (imported at kommun precision)."""
    for code, rows in incidents.groupby("kommun_kod").groups.items():
        km = geography.distance_outside_km(code, incidents.loc[rows, "lat"], incidents.loc[rows, "lon"])
        incidents.loc[rows[km > 0], ["lat", "lon"]] = np.nan
    return incidents


def measure_import(csv_path: Path, data_dir: Path) -> dict:
    """Import `csv_path` into `data_dir` in a new process: rows, seconds, rows/s,
    CPU seconds (the process's whole life) and peak RSS (MB)."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(csv_path), str(data_dir)], capture_output=True, text=True, check=True
    )
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    rows = measured["written"] + measured["unchanged"]
    return measured | {"rows": rows, "rows_per_second": rows / measured["seconds"]}

