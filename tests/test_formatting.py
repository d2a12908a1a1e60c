from datetime import date

from dashboard.formatting import change_delta, fmt_date_long, fmt_number, fmt_percent_change, fmt_signed

NBSP = "\u00a0"


def test_swedish_thousands_and_decimal_comma():
    assert fmt_number(1234.5, 1) == f"1{NBSP}234,5"
    assert fmt_number(1234567) == f"1{NBSP}234{NBSP}567"
    assert fmt_number(-3.25, 2) == "\u22123,25"
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan")) == "–"


def test_signed_changes_and_percentages():
    assert fmt_signed(12) == "+12"
    assert fmt_signed(-4) == "\u22124"
    assert fmt_signed(0) == "0"
    assert fmt_percent_change(110, 100) == f"+10{NBSP}%"
    assert fmt_percent_change(5, 0) == "–"


def test_metric_delta_arrow_follows_the_sign():
    assert change_delta(231, 252) == (f"\u221221 (\u22128{NBSP}%)", "down")
    assert change_delta(10, 5)[1] == "up"
    assert change_delta(5, 5)[1] == "off"


def test_long_dates_are_swedish():
    assert fmt_date_long(date(2026, 11, 24)) == "24 november 2026"
