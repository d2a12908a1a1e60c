"""Series derived from incidents: counted in DuckDB, checked against hand-made incidents."""

from datetime import date

import pandas as pd
import pytest

from dashboard import db, derived_indicators, indicators
from dashboard.disclosure import Rule
from dashboard.filters import Selection
from dashboard.population import Populations
from tests.datasets import FOCUS_AREAS, incidents, write_tables

FOCUS_NAMES = dict(zip(FOCUS_AREAS["focus_area"], FOCUS_AREAS["name_sv"]))
#: Ends mid-May: April is the last complete month, the first quarter the last complete quarter.
SEL = Selection(("1462", "1488"), (), "anpassad", date(2024, 4, 16), date(2024, 5, 15))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    here = (58.13, 12.12)
    return write_tables(
        tmp_path_factory.mktemp("derived"),
        incidents=incidents(
            *[("1462", "Narkotikabrott", "narkotika", "2024-01-05 22:00", *here)] * 3,
            ("1462", "Rattfylleri", "trafik", "2024-01-20 02:00", *here),
            *[("1462", "Narkotikabrott", "narkotika", "2024-03-31 23:59", *here)] * 2,
            ("1462", "Narkotikabrott", "narkotika", "2024-04-02 10:00", *here),
            ("1462", "Narkotikabrott", "narkotika", "2024-05-02 10:00", *here),  # May is not complete
            ("1488", "Rattfylleri", "trafik", "2024-02-10 10:00", 58.28, 12.29),  # Trollhättan's data start here
        ),
    )


def counts(data, grain, sel=SEL) -> dict:
    frame = db.run_query(db.connect(data), "indicator_derived", sel.params() | {"grain": grain})
    assert list(frame.columns) == ["kommun_kod", "focus_area", "period_start", "n"]  # counts only, no incidents
    return {
        (r.kommun_kod, r.focus_area if isinstance(r.focus_area, str) else None, pd.Timestamp(r.period_start).strftime("%Y-%m")): r.n
        for r in frame.itertuples()
    }


def test_monthly_counts_with_zeros_from_the_first_incident_on(data):
    assert counts(data, "month") == {
        ("1462", None, "2024-01"): 4, ("1462", None, "2024-02"): 0, ("1462", None, "2024-03"): 2, ("1462", None, "2024-04"): 1,
        ("1462", "narkotika", "2024-01"): 3, ("1462", "narkotika", "2024-02"): 0,
        ("1462", "narkotika", "2024-03"): 2, ("1462", "narkotika", "2024-04"): 1,
        ("1462", "trafik", "2024-01"): 1, ("1462", "trafik", "2024-02"): 0,
        ("1462", "trafik", "2024-03"): 0, ("1462", "trafik", "2024-04"): 0,
        # Trollhättan: nothing before its first incident (a gap, not zeros).
        ("1488", None, "2024-02"): 1, ("1488", None, "2024-03"): 0, ("1488", None, "2024-04"): 0,
        ("1488", "trafik", "2024-02"): 1, ("1488", "trafik", "2024-03"): 0, ("1488", "trafik", "2024-04"): 0,
    }  # fmt: skip


def test_quarterly_counts_only_complete_quarters(data):
    assert counts(data, "quarter") == {
        ("1462", None, "2024-01"): 6, ("1462", "narkotika", "2024-01"): 5, ("1462", "trafik", "2024-01"): 1,
        ("1488", None, "2024-01"): 1, ("1488", "trafik", "2024-01"): 1,
    }  # fmt: skip


def test_filters_on_municipality_and_focus_area(data):
    sel = Selection(("1462",), ("narkotika",), "anpassad", SEL.start, SEL.end)
    found = counts(data, "quarter", sel)
    assert found == {("1462", None, "2024-01"): 5, ("1462", "narkotika", "2024-01"): 5}


def test_counts_become_indicator_series(data):
    frame = db.run_query(db.connect(data), "indicator_derived", SEL.params() | {"grain": "month"})
    catalog, values = derived_indicators.series(frame, FOCUS_NAMES, "month", focus_selected=False)
    catalog = catalog.set_index("indicator_id")
    assert catalog.loc["handelser_alla", "name_sv"] == "Alla händelser"
    assert catalog.loc["handelser_narkotika", "name_sv"] == "Händelser: Narkotika"
    assert catalog.loc["handelser_narkotika", "direction"] == "increase"  # more detected drug offences is wanted
    assert catalog.loc["handelser_trafik", "direction"] == "none"
    assert set(catalog["unit"]) == {"antal"} and catalog["derived"].all()
    judged = indicators.judge(indicators.latest_pairs(values), catalog).set_index(["indicator_id", "kommun_kod"])
    narkotika = judged.loc[("handelser_narkotika", "1462")]
    assert (narkotika["latest"], narkotika["previous"], narkotika["verdict"]) == (1, 2, "bad")
    assert narkotika["period_start"] == pd.Timestamp("2024-04-01")


def test_derived_counts_per_capita(data):
    frame = db.run_query(db.connect(data), "indicator_derived", SEL.params() | {"grain": "quarter"})
    catalog, values = derived_indicators.series(frame, FOCUS_NAMES, "quarter", focus_selected=False)
    populations = Populations.constant({"1462": 14_000, "1488": 60_000})
    catalog, values = indicators.to_per_capita(catalog.set_index("indicator_id"), values, populations)
    rows = values.set_index(["indicator_id", "kommun_kod"])["value"]
    assert rows[("handelser_narkotika", "1462")] == pytest.approx(5 * 100_000 / 14_000)
    assert rows[("handelser_alla", "1488")] == pytest.approx(1 * 100_000 / 60_000)
    assert catalog.loc["handelser_alla", "unit"] == "antal per 100 000 inv."


def test_no_incidents_no_series(tmp_path):
    frame = db.run_query(db.connect(write_tables(tmp_path)), "indicator_derived", SEL.params() | {"grain": "month"})
    catalog, values = derived_indicators.series(frame, FOCUS_NAMES, "month", focus_selected=True)
    assert catalog.empty and values.empty


def test_public_series_are_rounded_alike_for_all_incidents_and_each_focus_area(data):
    frame = db.run_query(db.connect(data), "indicator_derived", SEL.params() | {"grain": "month"})
    _, values = derived_indicators.series(frame, FOCUS_NAMES, "month", focus_selected=False, rule=Rule.public(3))
    shown = values[(values["indicator_id"] == "handelser_narkotika") & (values["kommun_kod"] == "1462")]["value"]
    assert shown.isna().all()  # 3, 0, 2 and 1: 'färre än 5', gaps
    expected = pd.Series([Rule.public(3).count(n) for n in frame["n"]])
    assert values["value"].reset_index(drop=True).equals(expected)  # the total is rounded like its parts
    published = values["value"].dropna()
    assert (published % 10 == 0).all() and (published >= 10).all()
