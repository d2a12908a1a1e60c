"""Writing the data directory safely; every writer goes through here.

- `lock(path)`: an exclusive lock on `path` across processes and threads
  (a `.NAME.lock` file beside it), for read-modify-write of one file or tree.
- `write_atomic`, `write_bytes_atomic`, `replacing_file`: a file is written to
  a temporary file in the same directory and renamed into place, so a crash or
  a rejected import leaves the data as it was and no reader sees half a file.
- `append_part`: append-only tables get a new, uniquely named part file per
  write, so concurrent writers never overwrite each other.
- `replacing_directory`, `swap_directory`, `recover_directory`: a directory
  tree is staged beside the target and exchanged with it in one step; see
  `swap_directory`.
- `replacing_version`, `current_tree`: a tree that servers on other machines
  read (the incidents, on a shared or network file system, where no directory
  exchange is atomic) is kept as versions `ROOT/v-<id>/` and a small pointer
  file `ROOT/CURRENT` naming the current one, replaced in one rename; old
  versions are deleted after a grace period.

The lock is `filelock` (fcntl on Linux and macOS, msvcrt on Windows); the
only platform-specific calls here are guarded: Linux's renameat2 and
directory fsync, which Windows does not have.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


@contextlib.contextmanager
def lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of `path` (waits for its holder) while the block runs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(f".{path.name}.lock")):
        yield


# --- files ------------------------------------------------------------------------


@contextlib.contextmanager
def replacing_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; when the block succeeds it replaces
    `path` in one rename, when it fails `path` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(table: pa.Table, path: Path) -> Path:
    """Write `table` as Parquet to `path`, replacing it in one rename."""
    with replacing_file(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return Path(path)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, replacing it in one rename: no reader sees half a file."""
    with replacing_file(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def append_part(table: pa.Table, directory: Path, prefix: str = "part") -> Path:
    """Add `table` as a new part file of an append-only table directory."""
    name = f"{prefix}-{uuid.uuid4().hex}.parquet"
    return write_atomic(table, Path(directory) / name)


# --- directory trees ----------------------------------------------------------------


@contextlib.contextmanager
def replacing_directory(target: Path) -> Iterator[Path]:
    """Yield a staging path beside `target` (not yet created) to build the new
    tree in; when the block succeeds the tree is flushed and becomes `target`
    (`swap_directory`). A failed or killed build leaves `target` as it was and
    at most a `.NAME-*.tmp` directory, which `recover_directory` removes."""
    with _staging(target) as staged:
        yield staged
        swap_directory(staged, target)


@contextlib.contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """A `.NAME-<id>.tmp` path beside `target`, flushed to disk when the block
    succeeds and removed (if still there) when it ends."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}-{uuid.uuid4().hex}.tmp")
    try:
        yield staged
        staged.mkdir(exist_ok=True)  # nothing written: an empty tree
        for path in sorted(staged.rglob("*"), reverse=True):
            _fsync(path)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def swap_directory(staged: Path, target: Path) -> None:
    """Make the tree `staged` the directory `target` and delete the old tree.

    On Linux `renameat2(RENAME_EXCHANGE)` exchanges the two in one system call:
    a reader, or a process killed at any moment, finds either the old tree or
    the new one, never a mix. Files a reader has open stay readable. Elsewhere
    (or on a file system without the exchange) two renames are used; a process
    killed between them leaves `target` missing and the old tree in
    `.NAME-*.old`, which `recover_directory` puts back.
    """
    staged, target = Path(staged), Path(target)
    if not target.exists():
        staged.rename(target)
    elif _exchange(staged, target):
        shutil.rmtree(staged, ignore_errors=True)
    else:
        old = staged.with_suffix(".old")
        target.rename(old)
        staged.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    _fsync(target.parent)


def recover_directory(target: Path) -> None:
    """Undo what a killed `replacing_directory` left beside `target` (call under its lock)."""
    target = Path(target)
    for old in sorted(target.parent.glob(f".{target.name}-*.old")):
        if not target.exists():
            old.rename(target)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in target.parent.glob(f".{target.name}-*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)


# --- versioned trees ----------------------------------------------------------------

#: The file in a versioned tree's root that names its current version.
POINTER = "CURRENT"
VERSION_PREFIX = "v-"


def current_tree(root: Path) -> Path:
    """The tree to read: the version `ROOT/CURRENT` names, or `root` itself
    where there is no pointer (a tree written in place before versions, or none)."""
    root = Path(root)
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return root
    return root / name


@contextlib.contextmanager
def replacing_version(root: Path, grace_seconds: float) -> Iterator[Path]:
    """Yield a staging path (not yet created) to build the next version of the
    tree `root` in (call under its lock). When the block succeeds the tree is
    flushed, moved to `ROOT/v-<id>`, and `ROOT/CURRENT` is replaced to name it:
    one rename of a small file, atomic on network file systems too, so a reader
    resolves (`current_tree`) either the old version or the new one, whole.

    A reader keeps the version it resolved, so an old version is deleted only by
    a later call, once the pointer has named another for `grace_seconds`
    (`remove_retired`). A failed or killed build leaves the tree as it was and
    at most a `.NAME-*.tmp` directory (`recover_directory`) or an unnamed version.
    A tree written in place before versions is read until the first version
    replaces it, and deleted like an old version."""
    root = Path(root)
    remove_retired(root, grace_seconds)
    with _staging(root) as staged:
        yield staged
        root.mkdir(exist_ok=True)
        version = root / f"{VERSION_PREFIX}{uuid.uuid4().hex}"
        staged.rename(version)
        _fsync(root)
        write_bytes_atomic(root / POINTER, version.name.encode())
        _fsync(root)


def remove_retired(root: Path, grace_seconds: float) -> None:
    """Delete every directory in `root` but the current version, once the pointer
    has named that for `grace_seconds`: a reader that resolved the pointer
    before it changed has had that long to finish. (Time from the file
    system's clock and this machine's: the grace is minutes, skews are seconds.)"""
    root = Path(root)
    try:
        named_for = time.time() - (root / POINTER).stat().st_mtime
    except FileNotFoundError:
        return
    if named_for < grace_seconds:
        return
    current = current_tree(root)
    for entry in root.iterdir():
        if entry.is_dir() and entry != current:
            shutil.rmtree(entry, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _fsync(path: Path) -> None:
    """Flush a file, or a directory entry where the system allows, to disk.
    Windows opens no directories and flushes only handles open for writing."""
    windows = os.name == "nt"
    if windows and Path(path).is_dir():
        return
    fd = os.open(path, os.O_RDWR if windows else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
