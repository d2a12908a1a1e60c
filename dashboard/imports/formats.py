"""Which adapter reads a file: recognised by content, or forced by name
(`--format NAME`).

An adapter registers a `Format` for a kind of import (`incidents`,
`indicators`, `population`) with a test on the file's `Head` (its first bytes,
their text and the file name). `detect(kind, path, forced)` returns the first
format, in registration order, that says yes; register specific formats before
general ones (a table of any columns is the usual last resort).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.imports.reader import SNIFF_BYTES, encoding_of, unreadable


@dataclass(frozen=True)
class Head:
    """What a format test may look at."""

    path: Path
    data: bytes  # the first SNIFF_BYTES bytes
    text: str  # those bytes decoded ('' for binary files), without a BOM

    @property
    def first_lines(self) -> list[str]:
        return self.text.splitlines()[:20]

    @property
    def is_zip(self) -> bool:  # .xlsx
        return self.data.startswith(b"PK\x03\x04")

    @property
    def is_parquet(self) -> bool:
        return self.data.startswith(b"PAR1")

    @property
    def is_json(self) -> bool:
        return self.text.lstrip()[:1] in ("[", "{")


@dataclass(frozen=True)
class Format:
    kind: str
    name: str
    #: One line for `--format` help and messages.
    description: str
    matches: Callable[[Head], bool]


_FORMATS: list[Format] = []


def register(kind: str, name: str, description: str, matches: Callable[[Head], bool]) -> Format:
    """Add a format (idempotent by kind and name: a reloaded module replaces its entry)."""
    fmt = Format(kind, name, description, matches)
    _FORMATS[:] = [f for f in _FORMATS if (f.kind, f.name) != (kind, name)] + [fmt]
    return fmt


def formats(kind: str) -> list[Format]:
    return [f for f in _FORMATS if f.kind == kind]


def head(path) -> Head:
    path = Path(path)
    if not path.is_file():
        raise unreadable(path, "file not found", "filen finns inte")
    with open(path, "rb") as fh:
        data = fh.read(SNIFF_BYTES)
    binary = b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", b"PAR1"))
    text = "" if binary else data.decode(encoding_of(data), errors="replace").lstrip("\ufeff")
    return Head(path, data, text)


def detect(kind: str, path, forced: str | None = None) -> str:
    """The name of the format of `path` for an import of `kind`.

    `forced` (from --format) must name a registered format; otherwise the
    first format whose test says yes; none rejects the file, listing what is
    understood.
    """
    known = formats(kind)
    if forced:
        if forced not in {f.name for f in known}:
            names = ", ".join(f.name for f in known)
            raise unreadable(path, f"unknown format {forced!r} (known: {names})", f"okänt format {forced!r} (kända: {names})")
        return forced
    found = head(path)
    for fmt in known:
        if fmt.matches(found):
            return fmt.name
    listing = "; ".join(f"{f.name}: {f.description}" for f in known)
    raise unreadable(path, f"format not recognised; understood are {listing}", f"formatet känns inte igen; kända format: {listing}")
