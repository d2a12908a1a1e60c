"""The disclosure-control rule: the one rule every count passes before it leaves
the server in public mode (docs/disclosure.md explains it for the data
protection officer, with the proof and worked examples).

Public counts are rounded half up to a base b = 2a, a odd (b = 10 for k ≤ 5):
0..a−1 is published as "färre än a" (NaN in numbers, never 0 and never the
count), a..3a−1 as b, and so on. A reader of a published b·j knows only that
the count lies in [b·j − a, b·j + a − 1]. Because a is odd, no total minus its
published parts can pin a part, and no two nested selections (two periods a day
apart) pin their difference: the interval ends of the parts never add up to an
end of the total's interval (proof in the docs). On top, public selections have
floors: whole calendar months, six-hour bands × weekday/weekend instead of
weekday × hour, whole weeks in trends and map cells of at least 1 km.

Internal and meeting mode use the identity rule: counts exact, no floors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import pandas as pd

from dashboard.filters import Selection
from dashboard.formatting import fmt_number, fmt_period

#: Public time-of-day detail: six-hour bands over weekdays and weekend days.
PUBLIC_HOUR_BANDS = {f"{h:02d}–{h + 6:02d}": tuple(range(h, h + 6)) for h in range(0, 24, 6)}
DAY_TYPES = {"Vardag": (0, 1, 2, 3, 4), "Helg": (5, 6)}
PUBLIC_MIN_MONTHS = 1
PUBLIC_MIN_CELL_M = 1_000


def smallest_public_count(k: int) -> int:
    """a: the smallest odd multiple of 5 that is at least k (5 for k ≤ 5, then 15, 25, …)."""
    return 5 + 10 * max(0, math.ceil((k - 5) / 10))


@dataclass(frozen=True)
class Floored:
    """A selection as the rule allows it to be shown."""

    selection: Selection
    #: Named SQL parameters (`Selection.params()`), the previous period made to
    #: match: the same number of whole months just before.
    params: dict
    #: Swedish: what was coarsened, '' when nothing was.
    note: str

    @property
    def period(self) -> tuple[date, date]:
        """The period the counts are of."""
        return self.selection.start, self.selection.end

    @property
    def previous_period(self) -> tuple[date, date]:
        """The period compared with, as queried."""
        return self.params["prev_start"].date(), self.selection.start - timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """What a count may look like when it is shown; `Rule()` shows it exactly."""

    #: LAGESBILD_MIN_COUNT: no count from 1 to k−1 is shown.
    k: int = 1
    #: Published counts are multiples of `base`; 1 publishes exact counts.
    base: int = 1
    min_months: int = 0
    min_cell_m: int = 0
    #: Weekday × hour is shown only as PUBLIC_HOUR_BANDS × DAY_TYPES, trends by whole weeks.
    coarse_time: bool = False

    @classmethod
    def public(cls, k: int) -> Rule:
        a = smallest_public_count(k)
        return cls(k, 2 * a, PUBLIC_MIN_MONTHS, PUBLIC_MIN_CELL_M, coarse_time=True)

    @property
    def exact(self) -> bool:
        return self.base == 1

    @property
    def smallest(self) -> int:
        """a: the smallest count published as a number; below it 'färre än a' (0 when exact)."""
        return self.base // 2

    # -- counts -----------------------------------------------------------------------

    def count(self, n: float) -> float:
        """The published value of a count: itself when exact, else rounded half up to
        the base, NaN for 0..a−1 (shown 'färre än a'). NaN in stays NaN."""
        if self.exact or pd.isna(n):
            return float(n)
        rounded = self.base * math.floor((n + self.smallest) / self.base)
        return float(rounded) if rounded else math.nan

    def counts(self, values: pd.Series) -> pd.Series:
        """`count` of every value, as floats, index kept."""
        if self.exact:
            return values.astype(float)
        rounded = ((values.astype(float) + self.smallest) // self.base) * self.base
        return rounded.where(rounded > 0)

    def apply(self, frame: pd.DataFrame, columns: list[str] | tuple[str, ...]) -> pd.DataFrame:
        """`frame` with each count column published; rows and other columns as they are.

        Pass the parts and, as their own rows or frame, the totals: each number is
        rounded by itself, never made to add up (that is what keeps them safe)."""
        return frame.assign(**{c: self.counts(frame[c]) for c in columns})

    def change(self, now: float, before: float) -> float:
        """Now minus before from the published values only (NaN if either is 'färre än a'):
        the exact change would give back what rounding hid."""
        return self.count(now) - self.count(before)

    def interval(self, published: float) -> tuple[float, float]:
        """What a reader can tell from a published value: the counts it may stand for."""
        if self.exact:
            return published, published
        if pd.isna(published):
            return 0, self.smallest - 1
        return published - self.smallest, published + self.smallest - 1

    def text(self, published: float) -> str:
        """A published value in Swedish: '1 230' or 'färre än 5'."""
        return self.fewer if pd.isna(published) else fmt_number(published)

    def cell(self, published: float) -> int | str:
        """A published value as a spreadsheet cell: the whole number, or the text 'färre än 5'."""
        return self.fewer if pd.isna(published) else int(published)

    def format(self, n: float) -> str:
        """A count as it may be shown: `text(count(n))`."""
        return self.text(self.count(n))

    @property
    def fewer(self) -> str:
        return f"färre än {fmt_number(self.smallest)}" if not self.exact else "–"

    @property
    def note(self) -> str:
        """One Swedish sentence for captions and reports ('' when exact)."""
        if self.exact:
            return ""
        return (
            f"Antalen är avrundade till närmaste {fmt_number(self.base)}-tal och antal under "
            f"{fmt_number(self.smallest)} visas som ”{self.fewer}”, så att ingen enskild händelse kan pekas ut."
        )

    # -- floors -----------------------------------------------------------------------

    def floor(self, sel: Selection, today: date) -> Floored:
        """The selection clamped to whole, complete calendar months (at least `min_months`),
        compared with as many whole months just before; unchanged when exact."""
        if not self.min_months:
            return Floored(sel, sel.params(), "")
        end = sel.end if _is_month_end(sel.end) and sel.end < today else sel.end.replace(day=1) - timedelta(days=1)
        start = sel.start.replace(day=1)
        last_month = end.replace(day=1)
        if _months(start, last_month) + 1 < self.min_months:
            start = _add_months(last_month, 1 - self.min_months)
        floored = replace(sel, preset="anpassad", start=start, end=end)
        prev_start = _add_months(start, -(_months(start, last_month) + 1))
        params = floored.params() | {"prev_start": datetime.combine(prev_start, time())}
        if (start, end) == (sel.start, sel.end):
            return Floored(floored, params, "")
        note = (
            f"I den publika visningen gäller siffrorna hela kalendermånader: {fmt_period(start, end)}, "
            f"jämfört med {fmt_period(prev_start, start - timedelta(days=1))}."
        )
        return Floored(floored, params, note)

    def cell_size(self, size_m: int) -> int:
        """The map's cell size in metres, at least `min_cell_m`."""
        return max(size_m, self.min_cell_m)


def captions(rule: Rule, floored: Floored) -> str:
    """What a reader of the counts must know, in Swedish ('' when they are exact)."""
    return " ".join(t for t in (floored.note, rule.note) if t)


def rule_for(mode: str, min_count: int) -> Rule:
    """The rule of a mode: public rounds and floors, internal and meeting show exact counts."""
    return Rule.public(min_count) if mode == "public" else Rule()


# -- coarser time detail (pure aggregations, then `rule.apply`) -------------------------


def time_blocks(
    weekday_hour: pd.DataFrame, columns: list[str] | tuple[str, ...], by: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Counts per weekday (0 = Monday) and hour summed into day type × six-hour band:
    `by` columns, day_type ('Vardag'/'Helg'), band ('00–06', …), then the count
    columns; all 8 blocks of every `by` group, 0 where nothing happened."""
    day_type = {d: name for name, days in DAY_TYPES.items() for d in days}
    band = {h: name for name, hours in PUBLIC_HOUR_BANDS.items() for h in hours}
    keyed = weekday_hour.assign(day_type=weekday_hour["weekday"].map(day_type), band=weekday_hour["hour"].map(band))
    sums = keyed.groupby([*by, "day_type", "band"])[list(columns)].sum()
    blocks = pd.MultiIndex.from_product([list(DAY_TYPES), list(PUBLIC_HOUR_BANDS)], names=["day_type", "band"])
    if by:
        groups = keyed[list(by)].drop_duplicates()
        blocks = pd.MultiIndex.from_frame(groups.merge(blocks.to_frame(index=False), how="cross"))
    return sums.reindex(blocks, fill_value=0).reset_index()


def whole_weeks(days: pd.DataFrame, start: date, end: date, column: str = "n") -> pd.DataFrame:
    """Counts per day (day, `column`) summed by calendar week (week: its Monday), only
    weeks lying wholly within start..end: weeks that do not overlap cannot be
    subtracted from each other the way rolling sums can."""
    first = start + timedelta(days=-start.weekday() % 7)
    mondays = pd.date_range(first, end - timedelta(days=6), freq="7D")
    day = pd.to_datetime(days["day"])
    week = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    sums = days[column].groupby(week).sum()
    return pd.DataFrame({"week": mondays, column: sums.reindex(mondays, fill_value=0).to_numpy()})


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _months(first: date, last: date) -> int:
    """Whole months from the month of `first` to the month of `last`."""
    return (last.year - first.year) * 12 + last.month - first.month


def _add_months(first_of_month: date, n: int) -> date:
    months = first_of_month.year * 12 + first_of_month.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)
