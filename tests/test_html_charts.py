"""Charts the room reads, drawn as HTML and SVG: axes that show the period and
nothing around it, every mark's figures on hover, unpublished counts left blank."""

import re

import numpy as np
import pandas as pd

from dashboard import html_charts
from dashboard.theme import SEQUENTIAL


def _weeks(n: int, counts=None) -> pd.DataFrame:
    starts = pd.date_range("2023-01-02", periods=n, freq="7D")
    return pd.DataFrame({"week": range(1, n + 1), "week_start": starts, "n": counts if counts is not None else [3.0] * n})


def _ticks(svg: str) -> list[str]:
    """The x axis's labels (one <tspan> each)."""
    return re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)


def test_the_weekly_axis_spans_the_periods_weeks_only():
    two_years = html_charts.weekly_trend(_weeks(105), _weeks(104))
    assert _ticks(two_years) == [str(w) for w in range(1, 106, 13)]  # no week "−3" or "109"
    assert _ticks(html_charts.weekly_trend(_weeks(13), None)) == [str(w) for w in range(1, 14)]
    assert _ticks(html_charts.weekly_trend(_weeks(52), None)) == [str(w) for w in range(1, 53, 4)]


def test_every_week_carries_its_figures_and_an_unpublished_week_breaks_the_line():
    svg = html_charts.weekly_trend(_weeks(4, [1200.0, np.nan, 1.0, 5.0]), _weeks(4))
    assert "Vald period, vecka 1 (från 2023-01-02): 1\u00a0200 händelser" in svg
    assert "Vald period, vecka 3 (från 2023-01-16): 1 händelse<" in svg
    assert "vecka 2 (från 2023-01-09)" in svg and "Vald period, vecka 2" not in svg  # only the period before's
    blue = re.search(rf'<path d="([^"]*)" fill="none" stroke="{html_charts.BLUE}"', svg).group(1)
    assert blue.count("M") == 2  # weeks 1, and 3–4
    assert "Föregående period" in svg and "Föregående period" not in html_charts.weekly_trend(_weeks(4), None)


def test_the_matrix_shades_counts_leaves_unpublished_ones_blank_and_keys_its_shades():
    matrix = pd.DataFrame([[0.0, 9.0], [np.nan, 4.0]], index=["Vardag", "Helg <b>"], columns=["00–06", "06–12"])
    table = html_charts.heat_table(matrix)
    assert "Helg &lt;b&gt;" in table and "<b>" not in table
    cells = re.findall(r"<td[^>]*>[^<]*</td>", table)
    assert cells[0] == '<td title="Vardag kl. 00–06: 0 händelser">0</td>'  # nothing happened: white, and said
    assert f"background:{SEQUENTIAL[-1]}" in cells[1] and ">9</td>" in cells[1]
    assert cells[2] == "<td></td>"  # not published: blank
    assert "Antal händelser:" in table and f"{SEQUENTIAL[-1]}\"></i>9<" in table  # the darkest shade: 9


def test_hours_are_bars_with_their_counts():
    hours = pd.DataFrame({"label": [f"{h:02d}" for h in range(24)], "n": [float(h) for h in range(24)]})
    svg = html_charts.hour_bars(hours)
    assert svg.count("<rect") == 24 and "<title>kl. 23: 23 händelser</title>" in svg
    assert _ticks(svg)[:3] == ["00", "02", "04"]


def _y_ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


def test_rounded_counts_get_ticks_in_their_rounding_and_nothing_shown_gets_no_scale():
    assert _y_ticks(html_charts.weekly_trend(_weeks(3, [10.0, 20.0, 10.0]), None, unit=10)) == ["0", "10", "20"]
    assert _y_ticks(html_charts.weekly_trend(_weeks(3, [1.0, 2.0, 9.0]), None)) == ["0", "5", "10"]
    assert _y_ticks(html_charts.weekly_trend(_weeks(3, [np.nan] * 3), None, unit=10)) == ["0"]


def test_a_table_is_text_with_its_figures_whole():
    frame = pd.DataFrame({"Plats": ["<img src=x onerror=alert(1)>"], "Nu": ["1\u00a0234"]})
    markup = html_charts.table(frame)
    assert "<img" not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert '<th scope="col">Plats</th><th scope="col">Nu</th>' in markup and "<td>1\u00a0234</td>" in markup
    assert "max-height:240px" in html_charts.table(frame, max_height=240)
