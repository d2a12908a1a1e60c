"""One header resolver for every importer: the file's header row -> the
canonical columns an adapter knows, by aliases.

Headers are compared by `header_key`: case, spaces, dashes, punctuation and
diacritics do not matter ("Händelse-tid", "HANDELSE TID" and "händelsetid"
all give "handelse_tid" / "handelsetid"; aliases are keyed the same way).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashboard.validation import ImportRejected, Problem

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text) -> str:
    """'  Händelse-tid ' -> 'handelse_tid': what two headers must share to mean the same."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).casefold()
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub("_", plain).strip("_")


@dataclass
class Columns:
    """Where each canonical column is in the file."""

    #: Canonical column -> index of the header cell.
    index: dict[str, int]
    #: Canonical column -> the header as the user wrote it (for messages).
    names: dict[str, str]
    #: Non-empty headers that mean nothing to this import.
    ignored: list[str] = field(default_factory=list)

    def header(self, canonical: str) -> str:
        return self.names.get(canonical, canonical)


def _alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {header_key(a): name for name, names in aliases.items() for a in (name, *names)}


def canonical(header, aliases: Mapping[str, Sequence[str]]) -> str | None:
    """The canonical column a header means, or None."""
    return _alias_index(aliases).get(header_key(header))


def matches(headers: Sequence, aliases: Mapping[str, Sequence[str]]) -> int:
    """How many cells of a row are known headers (to find the header row below a title)."""
    known = _alias_index(aliases)
    return sum(1 for h in headers if h is not None and header_key(h) in known)


def _accepted(alternatives: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> str:
    return ", ".join(dict.fromkeys(n for a in alternatives for n in (a, *aliases.get(a, ()))))


def resolve_headers(
    headers: Sequence,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[Sequence[str]] = (),
    file: str = "",
    row: int = 1,
) -> Columns:
    """Map a header row onto `aliases` (canonical -> accepted names).

    `required` lists alternatives: (("kommun", "kommun_kod"), ("value",)) needs
    one of the first two and the third. Two headers meaning the same column, or
    a required column missing, reject the file (ImportRejected naming `row`).
    """
    alias_of = _alias_index(aliases)
    found: dict[str, list[tuple[int, str]]] = {}
    ignored = []
    for i, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        name = alias_of.get(header_key(text))
        if name is not None:
            found.setdefault(name, []).append((i, text))
        elif text:
            ignored.append(text)
    problems = [
        Problem(
            file, row, alternatives[0], None,
            f"required column missing (accepted names: {_accepted(alternatives, aliases)})",
            f"obligatorisk kolumn saknas (godtagna namn: {_accepted(alternatives, aliases)})",
        )  # fmt: skip
        for alternatives in required
        if not any(a in found for a in alternatives)
    ] + [
        Problem(
            file, row, name, " / ".join(text for _, text in hits),
            "several columns mean the same", "flera kolumner betyder samma sak",
        )  # fmt: skip
        for name, hits in found.items()
        if len(hits) > 1
    ]
    if problems:
        raise ImportRejected(problems)
    return Columns({n: h[0][0] for n, h in found.items()}, {n: h[0][1] for n, h in found.items()}, ignored)
