"""`python -m dashboard import indicators FILE`: indicator values in long format.

One row per value. Columns, with the Swedish names also accepted:
indicator or indicator_id (indikator; an id or the Swedish name), kommun or
kommun_kod (kommunkod; a name or a code), period (2024, 2024-Q1 / 2024K1,
2024-03, or a date within the period), value (värde; decimal comma accepted),
and optionally target (mål) and period_type (periodtyp: year/quarter/month or
år/kvartal/månad). CSV, .xlsx or Parquet, read by `imports.read_table` (a title above the
header, totals lines and thousands written "7 350" are understood).

Every row is checked first; on any problem nothing is written unless
`skip_invalid`, which imports the valid rows and writes the rejected ones with
their reasons to `FILE.rejected.csv` (`imports.report`). Valid rows are merged into
`indicator_values.parquet` on (indicator, kommun, period start, period type): a
new value replaces the stored one, an empty target keeps the stored target, so
importing the same file again changes nothing. The file is rewritten atomically
in a transaction holding its lock (`tables`), so two imports at once cannot lose each other's rows.
Only an author who may edit imports (the command line may).
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import clock, db, records, tables
from dashboard.imports import Sheet, parse_number, read_table, rejected_rows, resolve_headers
from dashboard.roles import Author
from dashboard.schema import TABLES, to_arrow
from dashboard.validation import ImportRejected, ImportResult, Problem

#: Column -> the header names accepted for it (lower case), preferred first.
COLUMNS = {
    "indicator": ("indicator_id", "indicator", "indikator_id", "indikator"),
    "kommun": ("kommun_kod", "kommunkod", "kommun", "municipality"),
    "period": ("period", "period_start", "periodstart"),
    "value": ("value", "värde", "varde"),
    "target": ("target", "mål", "mal", "målvärde"),
    "period_type": ("period_type", "periodtyp"),
}
REQUIRED = ("indicator", "kommun", "period", "value")
PERIOD_TYPES = {
    "year": "year", "år": "year", "ar": "year",
    "quarter": "quarter", "kvartal": "quarter",
    "month": "month", "månad": "month", "manad": "month",
}  # fmt: skip
PERIOD_TYPES_SV = {"year": "år", "quarter": "kvartal", "month": "månad"}
KEY = list(TABLES["indicator_values"].unique)
_YEAR = re.compile(r"((?:19|20)\d\d)")
_QUARTER = re.compile(r"((?:19|20)\d\d)\s*-?\s*(?:q|k|kv\.?)\s*([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"((?:19|20)\d\d)-(\d{1,2})")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})([ T][0-9:.]*)?")


class _Bad(ValueError):
    """A cell that cannot be used, with the reason in English and Swedish."""

    def __init__(self, en: str, sv: str):
        super().__init__(en)
        self.en, self.sv = en, sv


@dataclass(frozen=True)
class Reference:
    """What a row may name: indicators and municipalities by id, code or name."""

    indicators: dict[str, str]  # casefolded id or Swedish name -> indicator_id
    own_types: dict[str, str | None]  # indicator_id -> its period type
    kommuns: dict[str, str]  # casefolded code or name -> kommun_kod

    @classmethod
    def of(cls, data_dir: Path) -> Reference:
        con = db.connect(data_dir)
        try:
            catalog = db.run_query(con, "indicator_catalog")
            munis = db.run_query(con, "municipalities")
        finally:
            con.close()
        return cls(
            {**_folded(catalog["name_sv"], catalog["indicator_id"]), **_folded(catalog["indicator_id"], catalog["indicator_id"])},
            dict(zip(catalog["indicator_id"], catalog["period_type"].where(catalog["period_type"].notna(), None))),
            {**_folded(munis["kommun"], munis["kommun_kod"]), **_folded(munis["kommun_kod"], munis["kommun_kod"])},
        )

    def indicator(self, text: str) -> str:
        found = self.indicators.get(text.casefold())
        if not found:
            raise _Bad("unknown indicator", "okänd indikator")
        return found

    def kommun(self, text: str) -> str:
        # Spreadsheets drop the leading zero of codes such as 0114.
        found = self.kommuns.get(text.casefold()) or (text.isdigit() and self.kommuns.get(text.zfill(4)))
        if not found:
            raise _Bad("unknown municipality", "okänd kommun")
        return found


def _folded(keys, values) -> dict[str, str]:
    return {str(k).casefold(): v for k, v in zip(keys, values) if k is not None}


def parse_period(text: str, period_type: str | None, own_type: str | None, today: date) -> tuple[date, str]:
    """(period start, period type) of '2024', '2024-Q1', '2024K1', '2024-03' or a date.

    A date names the period that holds it: of `period_type` when given (the
    row's period_type column), else of the indicator's own type.
    """
    text = text.strip()
    if m := _QUARTER.fullmatch(text):
        start, kind = date(int(m[1]), 3 * int(m[2]) - 2, 1), "quarter"
    elif m := _YEAR.fullmatch(text):
        start, kind = date(int(m[1]), 1, 1), "year"
    elif (m := _MONTH.fullmatch(text)) and 1 <= int(m[2]) <= 12:
        start, kind = date(int(m[1]), int(m[2]), 1), "month"
    elif m := _DATE.fullmatch(text):
        start, kind = _period_holding(m[1], period_type or own_type)
    else:
        raise _Bad(
            "unknown period: use 2024, 2024-Q1, 2024-03 or a date",
            "okänd period: skriv 2024, 2024-Q1, 2024-03 eller ett datum",
        )
    if period_type and kind != period_type:
        raise _Bad(
            f"the period is a {kind} but period_type says {period_type}",
            f"perioden anges som {PERIOD_TYPES_SV[kind]} men periodtypen är {PERIOD_TYPES_SV[period_type]}",
        )
    if start > today:
        raise _Bad("the period lies in the future", "perioden ligger i framtiden")
    return start, kind


def _period_holding(text: str, period_type: str | None) -> tuple[date, str]:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise _Bad("impossible date", "omöjligt datum") from None
    if period_type is None:
        raise _Bad(
            "a date needs a period_type (year, quarter or month)",
            "ett datum behöver en periodtyp (år, kvartal eller månad)",
        )
    month = {"year": 1, "quarter": 3 * ((day.month - 1) // 3) + 1, "month": day.month}[period_type]
    return date(day.year, month, 1), period_type


def parse_value(text: str) -> float:
    """A finite number: '1 234,5', '71,2 %' or '71.2'."""
    try:
        number = parse_number(text.strip().removesuffix("%"))
    except ValueError:
        number = math.nan
    if number is None or not math.isfinite(number):
        raise _Bad("not a number", "inte ett tal")
    return number


def parse_period_type(text: str) -> str:
    found = PERIOD_TYPES.get(text.strip().casefold())
    if not found:
        raise _Bad("unknown period type: use year, quarter or month", "okänd periodtyp: skriv år, kvartal eller månad")
    return found


def _present(text: str | None) -> str:
    if text is None:
        raise _Bad("value missing", "värde saknas")
    return text


def _optional(parse):
    return lambda text: None if text is None else parse(text)


# --- Rows ---------------------------------------------------------------------------


def _columns(sheet: Sheet) -> dict[str, int]:
    """Column -> its position in this file; a missing required one rejects the file."""
    found = resolve_headers(
        sheet.headers, COLUMNS, [(c,) for c in REQUIRED], str(sheet.path), sheet.header_row
    )
    return found.index


def parse_row(cells: dict, ref: Reference, today: date) -> tuple[dict | None, list[tuple]]:
    """(the row as stored, []) or (None, [(column, reason_en, reason_sv), ...]) for every bad cell;
    `cells` maps column (of COLUMNS) -> text."""
    errors = []

    def take(col: str, parse):
        try:
            return parse(cells.get(col))
        except _Bad as bad:
            errors.append((col, bad.en, bad.sv))

    indicator = take("indicator", lambda t: ref.indicator(_present(t)))
    kommun = take("kommun", lambda t: ref.kommun(_present(t)))
    declared = take("period_type", _optional(parse_period_type))
    period = take("period", lambda t: parse_period(_present(t), declared, ref.own_types.get(indicator), today))
    value = take("value", lambda t: parse_value(_present(t)))
    target = take("target", _optional(parse_value))
    if errors:
        return None, errors
    start, kind = period
    row = {"indicator_id": indicator, "kommun_kod": kommun, "period_start": start, "period_type": kind}
    return row | {"value": value, "target": target}, []


def validate(sheet: Sheet, ref: Reference, today: date) -> tuple[pd.DataFrame, list[Problem]]:
    """The valid rows (indexed by spreadsheet row) and a problem per bad cell or repeated key."""
    index = _columns(sheet)
    header = {col: sheet.headers[i] for col, i in index.items()}
    rows, problems, first_row = {}, list(sheet.overlong), {}
    for number, line in sheet.rows:
        cells = {col: line[i] for col, i in index.items()}
        row, errors = parse_row(cells, ref, today)
        problems += [
            Problem(str(sheet.path), number, header.get(col, COLUMNS[col][0]), cells.get(col), en, sv)
            for col, en, sv in errors
        ]
        if row is None:
            continue
        key = tuple(row[k] for k in KEY)
        if key in first_row:
            problems.append(
                Problem(
                    str(sheet.path), number, header["period"], cells["period"],
                    f"same indicator, municipality and period as row {first_row[key]}",
                    f"samma indikator, kommun och period som rad {first_row[key]}",
                )  # fmt: skip
            )
            continue
        first_row[key] = number
        rows[number] = row
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(TABLES["indicator_values"].columns)), problems


# --- Writing ------------------------------------------------------------------------


def import_file(
    path: Path, data_dir: Path, author: Author, skip_invalid: bool = False, today: date | None = None
) -> ImportResult:
    """Validate `path` and merge its values into the data directory (see the module docstring)."""
    records.require(author.may_edit)
    path, data_dir = Path(path), Path(data_dir)
    sheet = read_table(path, COLUMNS)
    if not sheet.rows and not sheet.overlong:
        raise ImportRejected([Problem(str(path), None, None, None, "the file has no data rows", "filen innehåller inga datarader")])
    valid, problems = validate(sheet, Reference.of(data_dir), today or clock.today())
    if problems and not skip_invalid:
        raise ImportRejected(problems)
    written, unchanged = merge(valid, data_dir) if len(valid) else (0, 0)
    report = rejected_rows(path, sheet.headers, dict(sheet.rows), problems, sheet.delimiter) if problems else None
    return ImportResult(written, unchanged, problems or None, report)


def merge(rows: pd.DataFrame, data_dir: Path) -> tuple[int, int]:
    """Merge rows into indicator_values; (rows new or changed, rows already stored)."""
    rows = rows.assign(period_start=pd.to_datetime(rows["period_start"])).astype({"value": float, "target": float})
    with tables.store(data_dir).transaction("indicator_values") as tx:
        stored = tx.read("indicator_values").to_pandas()
        stored = stored.assign(period_start=pd.to_datetime(stored["period_start"]))
        both = rows.merge(stored, on=KEY, how="left", suffixes=("", "_stored"))
        both["target"] = both["target"].fillna(both["target_stored"])  # an empty target keeps the stored one
        same = (both["value"] == both["value_stored"]) & (
            (both["target"] == both["target_stored"]) | (both["target"].isna() & both["target_stored"].isna())
        )
        changed = int((~same).sum())
        if changed:
            kept = stored[~stored.set_index(KEY).index.isin(rows.set_index(KEY).index)]
            merged = pd.concat([kept, both[stored.columns]], ignore_index=True).sort_values(KEY)
            tx.replace("indicator_values", to_arrow(merged, "indicator_values"))
    return changed, len(rows) - changed


def import_upload(
    name: str, data: bytes, data_dir: Path, author: Author, skip_invalid: bool = False, importer=None
) -> tuple[ImportResult, bytes | None]:
    """An upload from the page: (result, the rejected-rows report as CSV bytes, if any).
    `importer` reads other formats (`imports.statistics.import_file`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        result = (importer or import_file)(path, data_dir, author, skip_invalid)
        return result, result.report.read_bytes() if result.report else None
