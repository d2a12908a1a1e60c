"""`python -m dashboard init --kommun …`: a data directory for any of the 290
kommuner, set up from nothing.

It holds the kommuner's reference rows (population unknown until imported,
LPO empty until edited), their boundaries and the default focus areas, plus
empty pledge, commitment and indicator tables that the app fills. The whole
directory is written next to its target and renamed into place, so it appears
complete or not at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from dashboard import db, geography, seeds, tables
from dashboard.schema import to_arrow
from dashboard.storage import replacing_directory

#: Tables the app and `check` expect, written empty for an editor to fill.
EMPTY_TABLES = ("pledges", "commitments", "desired_effects", "indicators")


class UnknownKommun(ValueError):
    """A name or code that is none of the 290 kommuner."""


class NotEmpty(ValueError):
    """The target directory already holds something."""


def kommun_codes(names: Iterable[str]) -> list[str]:
    """The codes of `names` (codes or any name form), in the order given, without repeats."""
    codes = []
    for name in names:
        code = geography.resolve_kommun(name)
        if code is None:
            raise UnknownKommun(_unknown(name))
        codes.append(code)
    return list(dict.fromkeys(codes))


def _unknown(name: str) -> str:
    close = geography.suggest_kommun(name)
    if not close:
        return f"unknown kommun {name!r}: give a name such as Lidköping or a code such as 1494"
    hint = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
    return f"unknown kommun {name!r}; did you mean {hint}?"


def municipalities_frame(codes: Iterable[str]) -> pd.DataFrame:
    """Reference rows: centre inside the boundary, radius covering it, no population yet."""
    rows = []
    for code in codes:
        lat, lon, radius_km = geography.centre_and_radius(code)
        kommun = geography.kommuner()[code].name
        rows.append({"kommun_kod": code, "kommun": kommun, "lat": lat, "lon": lon, "radius_km": radius_km})
    return pd.DataFrame(rows)


def _write_tables(data_dir: Path, codes: list[str]) -> dict[str, int]:
    frames = {
        "municipalities": municipalities_frame(codes),
        "focus_areas": seeds.reference()["focus_areas"],
    }
    boundaries = geography.boundaries_table(codes)
    written = {name: to_arrow(frame, name) for name, frame in frames.items()} | {"boundaries": boundaries}
    written |= {name: tables.empty(name) for name in EMPTY_TABLES}
    with tables.store(data_dir).transaction(*written) as tx:
        for name, table in written.items():
            tx.replace(name, table)
    return {name: len(frame) for name, frame in frames.items()} | {"boundaries": boundaries.num_rows}


def init_data_dir(data_dir: Path, codes: list[str], force: bool = False) -> dict[str, int]:
    """Create `data_dir` for the kommuner `codes`; returns rows per table written.

    Refuses a directory that holds anything, unless `force` and it is a data
    directory (never a directory of other files given by mistake).
    """
    data_dir = Path(data_dir).resolve()
    if data_dir.exists() and any(data_dir.iterdir()):
        if not force:
            raise NotEmpty(f"{data_dir} is not empty; use --force to replace the data in it")
        if not db.has_data(data_dir):
            raise NotEmpty(f"{data_dir} holds files but no Lägesbild data; choose an empty or new directory")
    with replacing_directory(data_dir) as staging:
        counts = _write_tables(staging, codes)
    return counts


def main(data_dir: Path, names: list[str], force: bool) -> int:
    """The `init` command: one line on success or on what went wrong."""
    try:
        codes = kommun_codes(part.strip() for name in names for part in name.split(",") if part.strip())
        counts = init_data_dir(data_dir, codes, force)
    except (UnknownKommun, NotEmpty) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kommuner = ", ".join(f"{geography.kommuner()[c].name} ({c})" for c in codes)
    rows = ", ".join(f"{name} {n}" for name, n in counts.items())
    print(f"Data directory {data_dir} created for {kommuner}; rows: {rows}.")
    print("Next: python -m dashboard run, then add the pledge; import incidents and population.")
    return 0
