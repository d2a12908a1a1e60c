"""storage: the lock excludes other processes, a failed write leaves the old
file, and a directory swap leaves either the old tree or the new one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import storage
from tests.processes import run_together

HOLD_LOCK = """
import time
from pathlib import Path
from dashboard import storage
log = Path(sys.argv[3])
with storage.lock(Path(sys.argv[2])):
    with log.open("a") as fh:
        fh.write("in\\n")
    time.sleep(0.3)
    with log.open("a") as fh:
        fh.write("out\\n")
"""


@pytest.mark.slow
def test_lock_excludes_other_processes(tmp_path):
    """Each process appends 'in' and 'out' while it holds the lock: they never interleave."""
    log = tmp_path / "log.txt"
    run_together(HOLD_LOCK, [(tmp_path / "table.parquet", log)] * 3, tmp_path)
    assert log.read_text().split() == ["in", "out"] * 3
    assert (tmp_path / ".table.parquet.lock").exists()


def test_atomic_write_replaces_the_file(tmp_path):
    path = tmp_path / "sub" / "t.parquet"
    storage.write_atomic(pa.table({"x": [1]}), path)
    storage.write_atomic(pa.table({"x": [2, 3]}), path)
    assert pq.read_table(path).column("x").to_pylist() == [2, 3]
    assert [p.name for p in path.parent.iterdir()] == ["t.parquet"]  # no temporary file left


def test_failed_write_leaves_the_old_file(tmp_path):
    path = storage.write_bytes_atomic(tmp_path / "report.csv", b"old")
    with pytest.raises(OSError), storage.replacing_file(path) as tmp:
        tmp.write_bytes(b"half a fi")
        raise OSError("disk full")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_append_part_adds_a_new_file_each_time(tmp_path):
    parts = [storage.append_part(pa.table({"x": [i]}), tmp_path / "updates", "update") for i in range(3)]
    assert len(set(parts)) == 3 and all(p.name.startswith("update-") for p in parts)
    assert sorted(pq.read_table(tmp_path / "updates").column("x").to_pylist()) == [0, 1, 2]


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def _build(staged: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        (staged / name).write_bytes(data)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two renames"])
def test_replacing_directory_swaps_the_whole_tree(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(storage, "_exchange", lambda a, b: False)
    target = tmp_path / "incidents"
    with storage.replacing_directory(target) as staged:
        _build(staged, {"a/1.parquet": b"1", "a/2.parquet": b"2"})
    with storage.replacing_directory(target) as staged:
        _build(staged, {"b/3.parquet": b"3"})
    assert _tree(target) == {"b/3.parquet": b"3"}
    assert [p.name for p in tmp_path.iterdir()] == ["incidents"]  # old tree and staging removed


def test_failed_build_leaves_the_old_tree(tmp_path):
    target = tmp_path / "incidents"
    with storage.replacing_directory(target) as staged:
        _build(staged, {"a/1.parquet": b"1"})
    with pytest.raises(RuntimeError), storage.replacing_directory(target) as staged:
        _build(staged, {"a/1.parquet": b"changed"})
        raise RuntimeError("killed")
    assert _tree(target) == {"a/1.parquet": b"1"}
    assert [p.name for p in tmp_path.iterdir()] == ["incidents"]


def test_recover_puts_back_a_tree_left_between_two_renames(tmp_path):
    target = tmp_path / "incidents"
    _build(tmp_path / ".incidents-abc.old", {"a/1.parquet": b"1"})
    _build(tmp_path / ".incidents-def.tmp", {"a/1.parquet": b"half"})
    storage.recover_directory(target)
    assert _tree(target) == {"a/1.parquet": b"1"}
    assert [p.name for p in tmp_path.iterdir()] == ["incidents"]


READ_WHILE_REWRITTEN = """
import time
from pathlib import Path
from dashboard import records, storage
import pyarrow.parquet as pq
data, worker = Path(sys.argv[2]), int(sys.argv[3])
path = data / "pledges.parquet"
table = pq.read_table(path) if worker == 0 else None
end = time.monotonic() + 4
while time.monotonic() < end:
    if worker == 0:  # rewrites the file, a different size each time
        storage.write_atomic(table.slice(0, 1 + int(time.monotonic() * 1000) % len(table)), path)
        time.sleep(0.01)
    else:
        records.known(data)
"""


@pytest.mark.slow
def test_readers_never_see_a_file_being_replaced(demo_dir, tmp_path):
    """A DuckDB read racing an atomic rewrite failed now and then with 'Invalid data'."""
    data = Path(shutil.copytree(demo_dir, tmp_path / "data"))
    run_together(READ_WHILE_REWRITTEN, [(data, w) for w in range(3)], tmp_path)
