"""Hand-made data directories with known answers, for tests."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import tables
from dashboard.demo import write_incidents
from dashboard.schema import STORED, TABLES, to_arrow
from dashboard.storage import write_atomic

#: The tests' "today", set as LAGESBILD_TODAY for the app by conftest. The first
#: of a month on purpose: the demo must still end "today" then.
TODAY = date(2026, 12, 1)

MUNICIPALITIES = pd.DataFrame(
    {
        "kommun_kod": ["1462", "1488"],
        "kommun": ["Lilla Edet", "Trollhättan"],
        "lpo": ["Östra Fyrbodal", "Östra Fyrbodal"],
        "population": [14_000, 60_000],
        "lat": [58.134, 58.2837],
        "lon": [12.123, 12.2886],
        "radius_km": [14.0, 16.0],
    }
)
FOCUS_AREAS = pd.DataFrame(
    {
        "focus_area": ["narkotika", "trafik"],
        "name_sv": ["Narkotika", "Trafik"],
        "categories": [["Narkotikabrott"], ["Rattfylleri"]],
    }
)


def write_tables(data_dir: Path, **frames: pd.DataFrame) -> Path:
    """Write contract tables into `data_dir` (the shared ones through its store:
    PostgreSQL under the `backend` fixture); `incidents` goes to Hive partitions.

    municipalities and focus_areas default to the two-municipality fixture.
    """
    data_dir = Path(data_dir)
    frames = {"municipalities": MUNICIPALITIES, "focus_areas": FOCUS_AREAS} | frames
    for name, frame in frames.items():
        table = TABLES[name]
        if name == "incidents":
            frame = frame.assign(year=pd.to_datetime(frame["occurred_at"]).dt.year)
            write_incidents(to_arrow(frame, name), data_dir)
        elif name not in STORED:
            write_atomic(to_arrow(frame, name), data_dir / table.pattern)
        elif table.append_only:
            tables.store(data_dir).append(name, to_arrow(frame, name))
        else:
            tables.store(data_dir).replace(name, to_arrow(frame, name))
    return data_dir


def incidents(*rows: tuple) -> pd.DataFrame:
    """Incidents from (kommun_kod, category, focus_area, occurred_at, lat, lon) tuples."""
    frame = pd.DataFrame(rows, columns=["kommun_kod", "category", "focus_area", "occurred_at", "lat", "lon"])
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
    frame.insert(0, "incident_id", [f"t{i}" for i in range(len(frame))])
    return frame.assign(source="polisen", place_precision="point", place_type="centrum", description="")


def stored(data_dir: Path, name: str) -> pd.DataFrame:
    """A shared table as its store holds it (files or PostgreSQL)."""
    return tables.store(data_dir).read(name).to_pandas()


def copy_demo(demo_dir: Path, target: Path) -> Path:
    """A private copy of the demo data; with PostgreSQL its shared tables are loaded there."""
    target = Path(shutil.copytree(demo_dir, target))
    store = tables.store(target)
    if not store.in_files:
        files = tables.ParquetStore(target)
        with store.transaction(*STORED) as tx:
            for name in STORED:
                tx.replace(name, files.read(name))
    return target
