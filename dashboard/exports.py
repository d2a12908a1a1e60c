"""Safe exports: a cell that a spreadsheet would run as a formula stays text.

Excel and LibreOffice treat a cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return as a formula when they read a CSV file
(`=HYPERLINK("http://…")`, `@SUM(…)`, DDE payloads), and openpyxl stores such
a string as a formula in a workbook. Every CSV and Excel export of the project
decides with `formula_like`: CSV cells get a leading apostrophe (`inert`),
workbook cells are stored as text with Excel's quote prefix (`set_cell`), so
the text reads as written and never runs. Plain numbers such as `-12,5` are
no formulas and stay as they are.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[\d\s.,]+")


def formula_like(text: str) -> bool:
    """Would a spreadsheet run this text as a formula?"""
    return text[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(text)


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def inert(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula ('=HYPERLINK(…)' -> "'=HYPERLINK(…)")."""
    text = "" if _missing(value) else str(value)
    return "'" + text if formula_like(text) else text


def set_cell(cell, value) -> None:
    """Put a value in an openpyxl cell: numbers, dates and times as themselves
    (with a Swedish-readable number format), anything else as inert text."""
    if _missing(value):
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "Ja" if value else "Nej"
    elif isinstance(value, numbers.Real):
        whole = isinstance(value, numbers.Integral)
        cell.value = int(value) if whole else float(value)
        cell.number_format = "#,##0" if whole else "#,##0.0##"  # a float keeps at least one decimal: 75,0
    elif isinstance(value, datetime | pd.Timestamp):
        cell.value = pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters cannot be stored at all
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula
        cell.quotePrefix = formula_like(text)
