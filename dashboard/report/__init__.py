"""The meeting report: `build` gathers a selection's data into a `Report`,
`html` renders it as one self-contained page, `xlsx` as a workbook.

Whoever writes the file (the command line, the app's download buttons) picks
the renderer by suffix here.
"""

from __future__ import annotations

from dashboard.filters import Selection
from dashboard.report import html, xlsx
from dashboard.report.build import Report

#: suffix -> the report as the bytes of that kind of file.
RENDERERS = {".html": lambda report: html.render(report).encode("utf-8"), ".xlsx": xlsx.render}


def render(report: Report, suffix: str) -> bytes:
    """The report as a file of the given kind: '.html' or '.xlsx'."""
    return RENDERERS[suffix](report)


def file_name(sel: Selection, suffix: str) -> str:
    """'lagesbild-2026-08-26--2026-11-24.html'."""
    return f"lagesbild-{sel.start.isoformat()}--{sel.end.isoformat()}{suffix}"
