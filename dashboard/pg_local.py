"""A throwaway PostgreSQL cluster on 127.0.0.1: for the tests, CI and `loadtest`.

`cluster()` runs `initdb` into a new temporary directory, starts the server on a
free loopback port (its Unix socket in that directory, `fsync` off: the data is
thrown away) and yields its URL, `postgresql://lagesbild@127.0.0.1:PORT/lagesbild`;
the server is stopped and the directory removed when the block ends. `binaries()` finds `initdb`/`pg_ctl`
on PATH or in Debian's `/usr/lib/postgresql/N/bin`, or is None.

PostgreSQL refuses to run as root, which CI is: then the cluster belongs to the
`postgres` system user (Debian's package creates it) and is started through
`runuser`. That root check is POSIX-only, guarded by `hasattr(os, "geteuid")`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

USER = "lagesbild"
DATABASE = "lagesbild"
HOW_TO_GET = (
    "PostgreSQL not found: install the server (Debian/Ubuntu: apt-get install postgresql; "
    "Windows/macOS: https://www.postgresql.org/download/) or set LAGESBILD_TEST_DATABASE_URL"
)


def binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, or None."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(argv: list[str]) -> list[str]:
    """Run as the `postgres` system user where we are root (PostgreSQL refuses root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def _own(path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def _run(argv: list[str]) -> None:
    done = subprocess.run(_as_owner(argv), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{Path(argv[0]).name} failed: {(done.stderr or done.stdout).strip()}")


@contextlib.contextmanager
def cluster(port: int | None = None) -> Iterator[str]:
    """Start a new cluster in a temporary directory; yield its URL; stop and remove it afterwards."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError(HOW_TO_GET)
    # In the shared temp folder (not under a private one): the postgres user must reach it.
    with tempfile.TemporaryDirectory(prefix="lagesbild-pg-", ignore_cleanup_errors=True) as tmp:
        base_dir = Path(tmp)
        _own(base_dir)
        yield from _serve(bin_dir, base_dir, port or free_port())


def _serve(bin_dir: Path, base_dir: Path, port: int) -> Iterator[str]:
    pgdata, log = base_dir / "pgdata", base_dir / "postgres.log"
    _run([str(bin_dir / "initdb"), "-D", str(pgdata), "-U", USER, "-A", "trust", "-E", "UTF8",
          "--locale=C", "--no-sync"])
    options = f"-h 127.0.0.1 -p {port} -k {base_dir} -c fsync=off -c full_page_writes=off -c max_connections=200"
    pg_ctl = str(bin_dir / "pg_ctl")
    _run([pg_ctl, "-D", str(pgdata), "-l", str(log), "-o", options, "-w", "start"])
    try:
        _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE])
        yield f"postgresql://{USER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        subprocess.run(_as_owner([pg_ctl, "-D", str(pgdata), "-m", "fast", "-w", "stop"]), capture_output=True)
