"""Writing Parquet safely: every write goes to a temporary file in the same
directory and is renamed into place, so a crash or a rejected import leaves the
data as it was. Append-only tables get a new, uniquely named part file per
write, so concurrent writers never overwrite each other.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def write_atomic(table: pa.Table, path: Path) -> Path:
    """Write `table` as Parquet to `path`, replacing it in one rename."""
    return _replace(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, replacing it in one rename: no reader sees half a file."""
    return _replace(path, lambda tmp: tmp.write_bytes(data))


def _replace(path: Path, write) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def append_part(table: pa.Table, directory: Path, prefix: str = "part") -> Path:
    """Add `table` as a new part file of an append-only table directory."""
    name = f"{prefix}-{uuid.uuid4().hex}.parquet"
    return write_atomic(table, Path(directory) / name)


def replace_dir(new: Path, target: Path) -> None:
    """Put the directory `new` in the place of `target`: the old one is moved
    aside first (a directory cannot be renamed onto another on Windows), then removed."""
    new, target = Path(new), Path(target)
    old = target.with_name(f".{target.name}-old-{uuid.uuid4().hex}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
