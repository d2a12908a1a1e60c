"""`python -m dashboard init --kommun …`: a data directory for any of the 290
kommuner, set up from nothing.

It holds the kommuner's reference rows (population unknown until imported,
LPO empty until edited), their boundaries and the default focus areas, plus
empty pledge, commitment and indicator tables that the app fills. The whole
directory is written next to its target and renamed into place, so it appears
complete or not at all. `add_kommuner` lets an installation serve more
kommuner later (a pledge that grows).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import pandas as pd

from dashboard import db, geography, seeds, shapes, tables
from dashboard.schema import to_arrow
from dashboard.storage import replacing_directory

#: Tables the app and `check` expect, written empty for an editor to fill.
EMPTY_TABLES = ("pledges", "commitments", "desired_effects", "indicators")
#: Files a data directory without data may hold (the repository's data/README.md):
#: they do not make it "not empty" and are carried into the new directory.
KEPT_FILES = ("README.md",)


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
    if data_dir.exists() and any(p.name not in KEPT_FILES for p in data_dir.iterdir()):
        if not force:
            raise NotEmpty(f"{data_dir} is not empty; use --force to replace the data in it")
        if not db.has_data(data_dir):
            raise NotEmpty(f"{data_dir} holds files but no Lägesbild data; choose an empty or new directory")
    with replacing_directory(data_dir) as staging:
        counts = _write_tables(staging, codes)
        for name in KEPT_FILES:
            if (data_dir / name).is_file():
                shutil.copy2(data_dir / name, staging / name)
    return counts


def add_kommuner(data_dir: Path, codes: Iterable[str]) -> list[str]:
    """Serve more kommuner: their reference rows and boundaries join the
    installation's (a detailed boundary imported earlier is kept). Returns the
    codes added; kommuner already served are left as they are."""
    data_dir = Path(data_dir)
    with tables.store(data_dir).transaction("municipalities", "boundaries") as tx, db.connect(data_dir) as con:
        served = tx.read("municipalities").to_pandas()
        new = [code for code in dict.fromkeys(codes) if code not in set(served["kommun_kod"])]
        if new:
            kept = shapes.served_boundaries(partial(db.run_query, con))
            rows = pd.concat([served, municipalities_frame(new)], ignore_index=True)
            tx.replace("municipalities", to_arrow(rows, "municipalities"))
            tx.replace("boundaries", geography.boundaries_table([*kept, *new], kept))
    return new


def main(data_dir: Path, names: list[str], force: bool, add: bool = False) -> int:
    """The `init` command, or with `add` more kommuner for an existing data
    directory: one line on success or on what went wrong."""
    if add and not db.has_data(data_dir):
        print(f"error: {data_dir} holds no data to add kommuner to; run init without --add first", file=sys.stderr)
        return 2
    try:
        codes = kommun_codes(part.strip() for name in names for part in name.split(",") if part.strip())
        if add:
            counts = {"municipalities": len(add_kommuner(data_dir, codes))}
        else:
            counts = init_data_dir(data_dir, codes, force)
    except (UnknownKommun, NotEmpty) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kommuner = ", ".join(f"{geography.kommuner()[c].name} ({c})" for c in codes)
    rows = ", ".join(f"{name} {n}" for name, n in counts.items())
    if add:
        print(f"Data directory {data_dir} serves {kommuner}; rows added: {rows}.")
        return 0
    print(f"Data directory {data_dir} created for {kommuner}; rows: {rows}.")
    print("Next: python -m dashboard run, then add the pledge; import incidents and population.")
    return 0
