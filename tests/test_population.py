"""Population by year: per-capita figures divide by the population of the value's year."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import pytest

from dashboard import db, indicators
from dashboard.filters import Selection
from dashboard.population import Populations, substitutions
from tests.datasets import TODAY, write_tables

NAMES = {"1462": "Lilla Edet", "1488": "Trollhättan"}
#: Lilla Edet known for 2022 and 2024 (2023 missing), Trollhättan for no year at all.
BY_YEAR = pd.DataFrame({"kommun_kod": ["1462", "1462"], "year": [2022, 2024], "population": [14_000, 14_400]})
POPULATIONS = Populations(BY_YEAR, {"1462": 99_999.0, "1488": 60_000.0})


def _values(*rows):
    """Count values from (kommun_kod, period_start, value)."""
    frame = pd.DataFrame(rows, columns=["kommun_kod", "period_start", "value"])
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]))
    return frame.assign(indicator_id="count", period_type="year", target=math.nan)


CATALOG = pd.DataFrame({"unit": ["antal"], "per_capita": [False]}, index=pd.Index(["count"], name="indicator_id"))


def test_the_values_own_year_then_the_nearest_then_the_latest_without_a_year():
    found = POPULATIONS.lookup(pd.Series(["1462", "1462", "1462", "1462", "1462", "1488"]),
                               pd.Series([2022, 2024, 2023, 2026, 2019, 2024]))  # fmt: skip
    assert found["population"].tolist() == [14_000, 14_400, 14_000, 14_400, 14_000, 60_000]
    # 2023 lies as near 2022 as 2024: the earlier year is taken.
    assert found["population_year"].tolist()[:5] == [2022, 2024, 2022, 2024, 2022]
    assert math.isnan(found["population_year"].iloc[5])


def test_per_capita_uses_the_population_of_each_values_year():
    values = _values(("1462", "2022-01-01", 140.0), ("1462", "2024-01-01", 144.0), ("1462", "2025-01-01", 72.0))
    _, converted = indicators.to_per_capita(CATALOG, values, POPULATIONS)
    assert converted["value"].tolist() == pytest.approx([1000.0, 1000.0, 500.0])
    assert converted["population_year"].tolist() == [2022, 2024, 2024]


def test_the_substitution_is_said_in_swedish():
    values = _values(
        ("1462", "2023-01-01", 1.0), ("1462", "2024-01-01", 1.0), ("1462", "2025-01-01", 1.0),
        ("1462", "2026-01-01", 1.0), ("1488", "2025-01-01", 1.0), ("1488", "2026-01-01", math.nan),
    )  # fmt: skip
    _, converted = indicators.to_per_capita(CATALOG, values, POPULATIONS)
    assert substitutions(converted, NAMES) == [
        "senast kända befolkning (utan årtal) använd för 2025 (Trollhättan)",  # 2026 is a gap: nothing to say
        "befolkning 2022 använd för 2023 (Lilla Edet)",
        "befolkning 2024 använd för 2025, 2026 (Lilla Edet)",
    ]


def test_no_note_when_every_year_is_known():
    values = _values(("1462", "2022-01-01", 140.0), ("1462", "2024-01-01", 144.0))
    _, converted = indicators.to_per_capita(CATALOG, values, POPULATIONS)
    assert substitutions(converted, NAMES) == []
    assert substitutions(values, NAMES) == []  # not converted at all


def test_indicator_trends_per_capita_by_year_from_the_data_directory(tmp_path):
    """The Indikatorer page's loader reads the population table; the missing year is named."""
    data = write_tables(
        tmp_path,
        indicators=pd.DataFrame({"indicator_id": ["stod"], "name_sv": ["Stöd"], "unit": ["antal"],
                                 "direction": ["increase"], "focus_area": ["narkotika"], "period_type": ["year"]}),
        indicator_values=pd.DataFrame({"indicator_id": "stod", "kommun_kod": "1462", "period_type": "year",
                                       "period_start": pd.to_datetime(["2022-01-01", "2023-01-01", "2024-01-01"]),
                                       "value": [70.0, 70.0, 72.0]}),
        population=BY_YEAR,
    )  # fmt: skip
    sel = Selection(("1462",), (), "anpassad", pd.Timestamp("2022-01-01").date(), TODAY)
    with db.connect(data) as con:
        trends = indicators.load(partial(db.run_query, con), sel.params(), per_capita=True)
    values = trends.values.set_index("period_start")["value"]
    assert values.tolist() == pytest.approx([500.0, 500.0, 500.0])
    note = "Per 100 000 invånare: befolkning 2022 använd för 2023 (Lilla Edet)."
    assert trends.population_note(NAMES, "stod") == note
