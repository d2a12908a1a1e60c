"""Charts the room reads: axes that show the period and nothing around it."""

import pandas as pd

from dashboard import charts


def _weeks(n: int) -> pd.DataFrame:
    starts = pd.date_range("2023-01-02", periods=n, freq="7D")
    return pd.DataFrame({"week": range(1, n + 1), "week_start": starts, "n": [3] * n})


def test_the_weekly_axis_spans_the_periods_weeks_only():
    two_years = charts.weekly_trend(_weeks(105), _weeks(104)).layout.xaxis
    assert list(two_years.range) == [0.5, 105.5]  # no week "−3" or "109"
    assert two_years.dtick == 13 and two_years.tick0 == 1
    quarter = charts.weekly_trend(_weeks(13), None).layout.xaxis
    assert list(quarter.range) == [0.5, 13.5] and quarter.dtick == 1
    assert charts.weekly_trend(_weeks(52), None).layout.xaxis.dtick == 4
