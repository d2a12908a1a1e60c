"""Population by kommun and year: the denominator of per-100 000 figures.

A value is divided by the population of its own year (`population` table,
SCB's Folkmängd on 31 December). Where that year is not known the nearest
known year is used (the earlier one on a tie), and where no year is known for
the kommun at all, `municipalities.population` (the latest figure, without a
year). Every substitution is kept with the value (`population_year`, NaN for
the yearless fallback), so a chart or table can say "befolkning 2024 använd
för 2025".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from dashboard.hotspots import Runner


@dataclass(frozen=True)
class Populations:
    #: kommun_kod, year, population: one row per kommun and year.
    by_year: pd.DataFrame
    #: kommun_kod -> the latest population without a year (municipalities.population).
    latest: dict[str, float]

    @classmethod
    def load(cls, run: Runner) -> Populations:
        munis = run("municipalities", {}).dropna(subset=["population"])
        return cls(run("population_by_year", {}), dict(zip(munis["kommun_kod"], munis["population"].astype(float))))

    @classmethod
    def constant(cls, latest: dict[str, float]) -> Populations:
        """The same population for every year (no yearly figures)."""
        return cls(pd.DataFrame({"kommun_kod": [], "year": [], "population": []}), latest)

    def lookup(self, kommun_kods: pd.Series, years: pd.Series) -> pd.DataFrame:
        """Per row (same index): `population` and `population_year`, the year it is of."""
        wanted = pd.DataFrame({"kommun_kod": kommun_kods.astype(str), "year": years.astype("int64")})
        known = self.by_year.dropna(subset=["population"]).astype({"kommun_kod": str, "year": "int64"})
        known = known.assign(population_year=known["year"]).sort_values("year")
        found = pd.merge_asof(
            wanted.reset_index().sort_values("year"),
            known[["kommun_kod", "year", "population", "population_year"]],
            on="year", by="kommun_kod", direction="nearest",
        ).set_index("index").reindex(wanted.index)  # fmt: skip
        fallback = wanted["kommun_kod"].map(self.latest)
        return pd.DataFrame(
            {
                "population": found["population"].astype(float).fillna(fallback),
                "population_year": found["population_year"].astype(float),
            },
            index=wanted.index,
        )


def substitutions(values: pd.DataFrame, kommun_names: dict[str, str]) -> list[str]:
    """Swedish lines for the values divided by another year's population:
    'befolkning 2024 använd för 2025, 2026 (Lilla Edet, Trollhättan)'.

    `values` has kommun_kod, period_start, population and population_year (see
    `Populations.lookup`); rows without a population were not divided, rows
    without a value (gaps) need no note.
    """
    if "population_year" not in values:
        return []
    divided = values[values["population"].notna() & values["value"].notna()]
    year = pd.to_datetime(divided["period_start"]).dt.year
    used = divided["population_year"]
    other = divided[used.isna() | (used != year)].assign(for_year=year, used=used.fillna(-1).astype(int))
    per_kommun = (
        other.groupby(["used", "kommun_kod"])["for_year"]
        .agg(lambda years: ", ".join(map(str, sorted(set(years)))))
        .reset_index()
    )
    lines = []
    for (used_year, years), rows in per_kommun.groupby(["used", "for_year"], sort=True):
        what = f"befolkning {used_year}" if used_year >= 0 else "senast kända befolkning (utan årtal)"
        names = ", ".join(kommun_names.get(k, k) for k in rows["kommun_kod"])
        lines.append(f"{what} använd för {years} ({names})")
    return lines
