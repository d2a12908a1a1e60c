"""The meeting report: `build` gathers a selection's data into a `Report`,
`html` renders it as one self-contained page, `xlsx` as a workbook.

Whoever writes the file (the command line, the app's download buttons) picks
the renderer by suffix here.
"""

from __future__ import annotations

import re
import unicodedata

from dashboard.filters import Selection
from dashboard.report import html, xlsx
from dashboard.report.build import Report

#: suffix -> the report as the bytes of that kind of file.
RENDERERS = {".html": lambda report: html.render(report).encode("utf-8"), ".xlsx": xlsx.render}


def render(report: Report, suffix: str) -> bytes:
    """The report as a file of the given kind: '.html' or '.xlsx'."""
    return RENDERERS[suffix](report)


#: More municipalities than this are named by their number in a file name.
NAMED_IN_FILE = 3


def file_name(sel: Selection, suffix: str, kommun_names: dict[str, str]) -> str:
    """'lagesbild-lilla-edet-2026-09-01--2026-11-30.html': the municipalities
    (or 'alla-kommuner', '4-kommuner') and the period, in ASCII."""
    if set(sel.kommun_kods) >= set(kommun_names):
        who = "alla-kommuner"
    elif len(sel.kommun_kods) > NAMED_IN_FILE:
        who = f"{len(sel.kommun_kods)}-kommuner"
    else:
        who = "-".join(_slug(kommun_names.get(k, k)) for k in sel.kommun_kods)
    return f"lagesbild-{who}-{sel.start.isoformat()}--{sel.end.isoformat()}{suffix}"


def _slug(name: str) -> str:
    """'Lilla Edet' -> 'lilla-edet', 'Kungsör' -> 'kungsor'."""
    ascii_name = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
