"""What every statistics source (Kolada, Brå, SCB) shares on its way into
`indicator_values`: the figures an adapter read, the rows it skipped and why,
and the mapping from a source's own id to the indicators that record it.

An adapter fills a `Reading`: one `Figure` per value it found (the statistic's
source id such as `kolada:N07403`, kommun, period, the value and, where the
source gives it too, the value per 100 000 inhabitants), `skips` for rows that
are not errors (a kommun the installation does not serve, the whole country, a
city district, "no value"), and `problems` for rows it cannot read. `store`
then maps each statistic to the indicators whose `source_ids` name it (or to
the one `--indicator` names), and merges the values all-or-nothing and
atomically (`long_format.merge`): importing the same data again changes
nothing.

Source ids are "system:id" (`kolada:N07540`, `bra:Samtliga brott`,
`scb:BE0101N2`); an indicator may record an id without the system
(`N07540`), which matches that id from any source. Case and spaces do not
matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import db, geography, records
from dashboard.imports import long_format, report
from dashboard.imports.reader import Sheet
from dashboard.imports.skipped import NO_INDICATOR, NO_VALUE, NOT_KOMMUN, NOT_SERVED, TOTAL, Skips, Text
from dashboard.roles import Author
from dashboard.schema import TABLES
from dashboard.validation import ImportRejected, ImportResult, Problem

#: Names and codes of totals: the country, and Kolada's region codes (00LL).
_TOTAL = re.compile(r"(0000|00|00\d\d|riket|hela landet|sverige|sverige totalt|totalt|samtliga kommuner)", re.I)


@dataclass(frozen=True)
class Figure:
    statistic: str  # the source id: "kolada:N07403"
    kommun_kod: str
    period_start: date
    period_type: str  # year, quarter, month
    value: float | None
    #: The same figure per 100 000 inhabitants, where the source gives both
    #: (Brå: `value` is then the count, and a per-capita indicator takes `rate`).
    rate: float | None = None
    has_rate: bool = False
    row: int | None = None  # as the user sees the file; None for JSON
    column: str | None = None


def where(row: int | None, column: str | None) -> tuple:
    """A figure's or a problem's place: its row in a table, its item in JSON (no rows)."""
    return (None, column) if row is None else (row, None)


@dataclass
class Reading:
    """What an adapter read from one file or response."""

    source: str  # the file name or URL, for messages
    figures: list[Figure] = field(default_factory=list)
    skips: Skips = field(default_factory=Skips)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    #: The rows as read, for the report of rejected rows (None for JSON: the report lists the problems only).
    sheet: Sheet | None = None

    def problem(self, row: int | None, column: str | None, value, en: str, sv: str) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.source, row, column, shown, en, sv))

    def extend(self, other: Reading) -> None:
        """Add another page of the same response."""
        self.figures += other.figures
        self.problems += other.problems
        self.notes += other.notes
        self.skips.update(other.skips)

    def accept(self, skip_invalid: bool) -> set[tuple]:
        """Reject the reading when it has problems, unless `skip_invalid`: then drop the
        figures of the rows with problems. A problem of the whole file (no row, no
        column: no year, not this format, no indicator) rejects it always."""
        whole_file = any(p.row is None and p.column is None for p in self.problems)
        if self.problems and (whole_file or not skip_invalid):
            raise ImportRejected(self.problems)
        bad = {where(p.row, p.column) for p in self.problems}
        self.figures = [f for f in self.figures if where(f.row, f.column) not in bad]
        return bad

    def report(self, path) -> Path | None:
        """Write the rejected rows to `FILE.rejected.csv` (`imports.report`), if any."""
        if not self.problems:
            return None
        sheet = self.sheet
        if sheet is None:
            return report.rejected_rows(path, [], {}, self.problems)
        return report.rejected_rows(path, sheet.headers, dict(sheet.rows), self.problems, sheet.delimiter)


@dataclass
class SourceResult(ImportResult):
    """An import's counts, and the rows skipped on purpose (`skipped`: English on
    the command line, Swedish on the pages)."""

    skips: Skips = field(default_factory=Skips)
    extra: list[Text] = field(default_factory=list)

    def notes(self, swedish: bool = False) -> list[str]:
        return self.skips.lines(swedish) + [note.say(swedish) for note in self.extra]

    @classmethod
    def of(cls, reading: Reading, written: int, unchanged: int, path=None, extra=()) -> SourceResult:
        """The result of an import that took what `reading.accept` left; the report beside `path`."""
        problems = reading.problems or None
        report_file = reading.report(path) if problems and path is not None else None
        return cls(written, unchanged, problems, report_file, skips=reading.skips, extra=[*reading.notes, *extra])


# --- kommuner ----------------------------------------------------------------------


def served_kommuner(data_dir: Path) -> set[str]:
    with db.connect(data_dir) as con:
        return set(db.run_query(con, "municipalities")["kommun_kod"])


def kommun(text: str, served: set[str]) -> tuple[str | None, str | None]:
    """(kommun_kod, None) for a served kommun; (None, why it is skipped) otherwise.

    A name or code that is no kommun at all is skipped too: statistics files
    list city districts ("Spånga-Tensta"), counties and groups beside the
    kommuner, and the summary names what was left out.
    """
    text = str(text).strip()
    code = geography.resolve_kommun(text)
    if code:
        return (code, None) if code in served else (None, NOT_SERVED)
    first_word = text.split(" ")[0]  # "00 Riket"
    if _TOTAL.fullmatch(text) or _TOTAL.fullmatch(first_word) or geography.resolve_county(text):
        return None, TOTAL
    return None, NOT_KOMMUN


def take_sheet(sheet, reading: Reading) -> None:
    """What the reader left out of a sheet: totals counted as skipped, overlong rows as problems."""
    for line in sheet.skipped:
        reading.skips.add(TOTAL, line.value)
    reading.problems += sheet.overlong


# --- source ids --------------------------------------------------------------------


def _key(source_id: str) -> str:
    return " ".join(str(source_id).casefold().split())


@dataclass(frozen=True)
class Target:
    indicator_id: str
    #: Values are per 100 000 inhabitants: a source's rate fills it rather than its count.
    per_capita: bool


@dataclass(frozen=True)
class IndicatorMap:
    """Which indicators record which source ids."""

    by_source: dict[str, list[Target]]  # normalised source id -> indicators
    by_id: dict[str, Target]  # indicator_id -> itself

    @classmethod
    def of(cls, data_dir: Path) -> IndicatorMap:
        with db.connect(data_dir) as con:
            catalog = db.run_query(con, "indicator_catalog")
            sources = db.run_query(con, "indicator_sources")
        by_id = {
            r.indicator_id: Target(r.indicator_id, _per_capita(r.unit, r.per_capita)) for r in catalog.itertuples()
        }
        by_source: dict[str, list[Target]] = {}
        for r in sources.itertuples():
            by_source.setdefault(_key(r.source_id), []).append(by_id[r.indicator_id])
        return cls(by_source, by_id)

    def targets(self, statistic: str) -> list[Target]:
        """The indicators recording `statistic` ("kolada:N07403"), by full or bare id."""
        bare = statistic.partition(":")[2]
        return self.by_source.get(_key(statistic), []) + self.by_source.get(_key(bare), [])


def _per_capita(unit: str, flagged: bool) -> bool:
    return bool(flagged) or "100 000" in str(unit)


def no_indicator_message(statistic: str) -> tuple[str, str]:
    """How to define an indicator for a statistic nobody records (English, Swedish)."""
    return (
        f"no indicator records the source id {statistic!r}: define an indicator with {statistic!r} among its "
        f"source ids (docs/data-model.md, 'Source ids'), or name the indicator to fill with --indicator ID",
        f"ingen indikator har käll-id {statistic!r}: lägg till en indikator med {statistic!r} bland sina käll-id, "
        "eller välj indikatorn som ska fyllas",
    )


# --- storing -----------------------------------------------------------------------


def store(
    reading: Reading, data_dir: Path, author: Author, indicator: str | None = None,
    skip_invalid: bool = False, path: Path | None = None,
) -> SourceResult:  # fmt: skip
    """Map the figures to indicators and merge them into indicator_values.

    `indicator` (an id) takes every figure, whatever its statistic. Any
    problem rejects the whole reading and nothing is written, unless
    `skip_invalid`: then the rows with problems are left out and written to
    `path`'s `FILE.rejected.csv` (`Reading.accept`).
    """
    records.require(author.may_edit)
    indicators = IndicatorMap.of(data_dir)
    if indicator is not None and indicator not in indicators.by_id:
        known = ", ".join(sorted(indicators.by_id)) or "none"
        reading.problem(None, None, indicator, f"unknown indicator (known: {known})", "okänd indikator")
    rows, unmapped = _rows(reading, indicators, indicator)
    if unmapped and not rows:
        for statistic in unmapped:
            reading.problem(None, None, None, *no_indicator_message(statistic))
    rows = _without_repeats(rows, reading)
    bad = reading.accept(skip_invalid)
    values = pd.DataFrame([r[:-2] for r in rows if where(*r[-2:]) not in bad], columns=TABLES["indicator_values"].columns)
    written, unchanged = long_format.merge(values, data_dir) if len(values) else (0, 0)
    extra = [
        Text(f"no indicator records {s!r}; define one to import it (docs/data-model.md)",
             f"ingen indikator har käll-id {s!r}; lägg till en för att importera den")
        for s in unmapped
    ]  # fmt: skip
    return SourceResult.of(reading, written, unchanged, path, extra)


def _rows(reading: Reading, indicators: IndicatorMap, indicator: str | None) -> tuple[list[tuple], list[str]]:
    rows, unmapped = [], []
    for fig in reading.figures:
        targets = [indicators.by_id[indicator]] if indicator in indicators.by_id else indicators.targets(fig.statistic)
        if not targets:
            if fig.statistic not in unmapped:
                unmapped.append(fig.statistic)
            reading.skips.add(NO_INDICATOR, fig.statistic)
        for target in targets:
            value = fig.rate if target.per_capita and fig.has_rate else fig.value
            if value is None:
                reading.skips.add(NO_VALUE)
                continue
            key = (target.indicator_id, fig.kommun_kod, pd.Timestamp(fig.period_start), fig.period_type)
            rows.append((*key, float(value), None, fig.row, fig.column))
    return rows, unmapped


def _without_repeats(rows: list[tuple], reading: Reading) -> list[tuple]:
    """One value per indicator, kommun and period: a repeat with another value is a
    problem of the later row (the first one stands); a repeat of the same value is dropped."""
    first: dict[tuple, tuple] = {}
    for row in rows:
        key, value = row[:4], row[4]
        seen = first.setdefault(key, row)
        if seen is not row and seen[4] != value:
            reading.problem(
                row[-2], row[-1], value,
                f"another value for the same indicator, kommun and period (row {seen[-2]})",
                f"ett annat värde för samma indikator, kommun och period (rad {seen[-2]})",
            )  # fmt: skip
    return list(first.values())
