"""Brå's crime statistics, as Brå publishes them.

- **"Anmälda brott kommunerna ÅÅÅÅ.csv"** (2023–): UTF-8 with BOM, `;`, the
  header `Kommun;Antal;Per 100 000 inv.`, one row per kommun by name only.
  Older years (2021: `anmalda_brott_kommuner_2021.csv`) have no header, names
  like "Arjeplogs kommun", and extra rows for Stockholm's stadsdelar, which are
  skipped and counted. The year comes from the file name, or `year`. The
  statistic is all reported crimes: source id `bra:Samtliga brott`.
- **SOL's "Databasfil.txt"**: ISO-8859-1, `Region;Brott;År;Period;Antal;/100 000 inv`,
  every data row ending in `;`, `..` for no value (also the parent crime
  groups SOL echoes). A yearly menu writes `År` and the year in Period, a
  monthly one `2026 prel.` and the month (`Aug`). The statistic is the crime:
  source id `bra:<Brott>`, e.g. `bra:Misshandel inkl. grov`.

Every figure carries the count and the rate per 100 000 inhabitants: an
indicator per 100 000 inhabitants takes the rate, a count indicator the count.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

from dashboard.imports.headers import header_key, resolve_headers
from dashboard.imports.reader import parse_number, read_table
from dashboard.imports.skipped import NO_VALUE, Text
from dashboard.imports.sources import Figure, Reading, kommun, take_sheet

SYSTEM = "bra"
#: The statistic of the yearly kommun file: every reported crime.
ALL_CRIMES = f"{SYSTEM}:Samtliga brott"
KOMMUN_HEADER = ("kommun", "antal", "per_100_000_inv")
SOL_COLUMNS = {
    "region": ("region",), "crime": ("brott",), "year": ("år",), "period": ("period",),
    "count": ("antal",), "rate": ("/100 000 inv", "per 100 000 inv"),
}  # fmt: skip
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_OLD_ROW = re.compile(r"[^;\d]+ kommun;\s*\d[\d ]*;\s*\d[\d ,]*;?")
NO_VALUE_SYMBOLS = ("..", "", "-")


def is_kommun_file(first_line: str) -> bool:
    cells = tuple(header_key(c) for c in first_line.strip().rstrip(";").split(";"))
    return cells == KOMMUN_HEADER or bool(_OLD_ROW.fullmatch(first_line.strip()))


def is_sol_file(first_line: str) -> bool:
    cells = [header_key(c) for c in first_line.strip().rstrip(";").split(";")]
    return cells[:4] == ["region", "brott", "ar", "period"]


def _number(reading: Reading, row: int, column: str, text: str | None) -> float | None:
    """A count or rate; None for no value; a problem (and None) for anything else."""
    if text is None or text.strip() in NO_VALUE_SYMBOLS:
        return None
    try:
        return parse_number(text)
    except ValueError:
        reading.problem(row, column, text, "not a number", "inte ett tal")
        return None


def read_kommun_file(path: Path, served: set[str], year: int | None = None) -> Reading:
    """'Anmälda brott kommunerna ÅÅÅÅ.csv', with or without its header."""
    path = Path(path)
    reading = Reading(str(path))
    sheet = read_table(path)
    take_sheet(sheet, reading)
    year = year or _year_of(path.name)
    if year is None:
        reading.problem(None, None, path.name, "no year in the file name: pass --year YYYY",
                        "inget år i filnamnet: ange året")  # fmt: skip
        return reading
    has_header = tuple(header_key(h) for h in sheet.headers) == KOMMUN_HEADER
    rows = sheet.rows if has_header else [(sheet.header_row, sheet.headers), *sheet.rows]
    names = sheet.headers if has_header else ["Kommun", "Antal", "Per 100 000 inv."]
    reading.sheet = dataclasses.replace(sheet, headers=names, rows=rows)
    for number, cells in rows:
        cells = [*cells, None, None][:3]
        code, skipped = kommun(cells[0] or "", served)
        if skipped:
            reading.skips.add(skipped, cells[0])
            continue
        count = _number(reading, number, names[1], cells[1])
        rate = _number(reading, number, names[2], cells[2])
        _add(reading, ALL_CRIMES, code, date(year, 1, 1), "year", count, rate, number)
    return reading


def _year_of(name: str) -> int | None:
    found = _YEAR.findall(name)
    return int(found[-1]) if found else None


def read_sol_file(path: Path, served: set[str]) -> Reading:
    """SOL's database export, yearly or monthly."""
    path = Path(path)
    reading = Reading(str(path))
    sheet = read_table(path, SOL_COLUMNS)
    reading.sheet = sheet
    take_sheet(sheet, reading)
    required = [(name,) for name in SOL_COLUMNS]
    columns = resolve_headers(sheet.headers, SOL_COLUMNS, required, str(path), sheet.header_row)
    preliminary = 0
    for number, cells in sheet.rows:
        cell = {name: cells[i] for name, i in columns.index.items()}
        code, skipped = kommun(cell["region"] or "", served)
        if skipped:
            reading.skips.add(skipped, cell["region"])
            continue
        period = _sol_period(cell["year"] or "", cell["period"] or "")
        if period is None:
            reading.problem(number, columns.header("period"), f"{cell['year']};{cell['period']}",
                            "unknown period: expected År;2025 or 2025;Aug", "okänd period")  # fmt: skip
            continue
        preliminary += "prel" in (cell["year"] or "").casefold()
        count = _number(reading, number, columns.header("count"), cell["count"])
        rate = _number(reading, number, columns.header("rate"), cell["rate"])
        _add(reading, f"{SYSTEM}:{cell['crime']}", code, *period, count, rate, number)
    if preliminary:
        reading.notes.append(Text(
            f"{preliminary} value(s) are preliminary (prel.): import the final file when Brå has it",
            f"{preliminary} värden är preliminära (prel.): importera den slutliga filen när Brå har publicerat den",
        ))  # fmt: skip
    return reading


def _sol_period(year: str, period: str) -> tuple[date, str] | None:
    """(start, period type) of 'År;2025' or '2026 prel.;Aug'."""
    if header_key(year) == "ar" and _YEAR.fullmatch(period.strip()):
        return date(int(period), 1, 1), "year"
    found = _YEAR.match(year.strip())
    month = period.strip()[:3].casefold()
    if found and month in MONTHS:
        return date(int(found[1]), MONTHS.index(month) + 1, 1), "month"
    return None


def _add(reading: Reading, statistic: str, code: str, start: date, kind: str, count, rate, row: int) -> None:
    if count is None and rate is None:
        reading.skips.add(NO_VALUE, statistic.partition(":")[2])
        return
    reading.figures.append(Figure(statistic, code, start, kind, count, rate, has_rate=True, row=row))
