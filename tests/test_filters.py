from datetime import date

import pytest

from dashboard import filters

KOMMUNER = ["1415", "1419", "1421", "1462", "1488", "1494", "1960"]
FOCUS = ["narkotika", "trafik", "bedrageri"]
TODAY = date(2026, 11, 24)
PLEDGES = {"1462": (date(2025, 1, 1), date(2026, 12, 31)), "1494": (date(2021, 1, 1), date(2021, 12, 31))}


def parse(query):
    return filters.from_query_params(query, TODAY, KOMMUNER, FOCUS, PLEDGES)


@pytest.mark.parametrize(
    "sel",
    [
        filters.Selection(("1462",), (), "30d", date(2026, 10, 26), TODAY),
        filters.Selection(("1415", "1419", "1421"), ("narkotika", "trafik"), "kvartal", date(2026, 8, 26), TODAY),
        filters.Selection(("1488",), ("bedrageri",), "anpassad", date(2022, 1, 1), date(2022, 6, 30)),
        filters.Selection(("1462",), (), "lofte", date(2025, 1, 1), TODAY),
    ],
)
def test_url_round_trip_reproduces_the_selection(sel):
    assert parse(filters.to_query_params(sel)) == sel


def test_defaults_are_every_kommun_every_focus_area_last_quarter():
    sel = parse({})
    assert sel.kommun_kods == tuple(KOMMUNER)
    assert sel.focus_areas == ()
    assert (sel.preset, sel.start, sel.end) == ("kvartal", date(2026, 8, 26), TODAY)


def test_unknown_values_in_a_link_are_dropped_not_trusted():
    sel = parse({"kommun": "1462,9999,'; DROP TABLE x", "fokus": "narkotika,<script>", "period": "evig"})
    assert sel.kommun_kods == ("1462",)
    assert sel.focus_areas == ("narkotika",)
    assert sel.preset == "kvartal"


def test_custom_period_with_bad_dates_falls_back_to_default():
    sel = parse({"period": "anpassad", "fran": "2025-02-30", "till": "2025-03-01"})
    assert sel.preset == "kvartal"


def test_custom_period_dates_in_wrong_order_are_swapped():
    sel = parse({"period": "anpassad", "fran": "2025-03-01", "till": "2025-01-01"})
    assert (sel.start, sel.end) == (date(2025, 1, 1), date(2025, 3, 1))


@pytest.mark.parametrize(
    ("fran", "till", "start", "end"),
    [
        ("0001-01-01", "9999-12-31", filters.EARLIEST, TODAY),
        ("2026-11-01", "2026-11-25", date(2026, 11, 1), TODAY),  # tomorrow
        ("2030-01-01", "2031-01-01", TODAY, TODAY),
        ("0001-01-01", "0001-01-02", filters.EARLIEST, filters.EARLIEST),
    ],
)
def test_custom_period_outside_the_possible_range_is_cut_to_fit_and_said(fran, till, start, end):
    sel = parse({"period": "anpassad", "fran": fran, "till": till})
    assert (sel.preset, sel.start, sel.end, sel.adjusted) == ("anpassad", start, end, True)
    assert sel.params()["prev_start"].year >= 1900  # the previous period is a date too
    assert filters.adjusted_note(sel) == (
        f"Perioden i länken sträckte sig utanför 1990-01-01 – i dag; visar {start.isoformat()} – {end.isoformat()}."
    )


def test_custom_period_inside_the_range_is_not_adjusted():
    assert not parse({"period": "anpassad", "fran": "2025-01-01", "till": "2026-11-24"}).adjusted
    assert not parse({"period": "30d"}).adjusted


@pytest.mark.parametrize(
    "query",
    [
        {"kommun": ",,,", "fokus": " , "},
        {"kommun": "1462" * 10_000, "period": "anpassad" * 100},
        {"period": "anpassad", "fran": "2025-01-01T00:00", "till": "\x00"},
        {"period": "anpassad", "fran": "99999-01-01", "till": "2025-01-01"},
        {"period": "", "fran": "", "till": ""},
    ],
)
def test_garbage_in_a_link_gives_the_default_selection(query):
    sel = parse(query)
    assert (sel.kommun_kods, sel.focus_areas, sel.preset, sel.adjusted) == (tuple(KOMMUNER), (), "kvartal", False)


def test_pledge_period_spans_the_selected_kommuners_pledges_and_ends_today_at_latest():
    sel = parse({"kommun": "1462,1494", "period": "lofte"})
    assert (sel.start, sel.end) == (date(2021, 1, 1), TODAY)
    ended = parse({"kommun": "1494", "period": "lofte"})
    assert (ended.start, ended.end) == (date(2021, 1, 1), date(2021, 12, 31))


def test_pledge_period_without_a_pledge_falls_back_to_twelve_months():
    sel = parse({"kommun": "1960", "period": "lofte"})
    assert (sel.start, sel.end) == (date(2025, 11, 25), TODAY)


def test_previous_period_has_equal_length_and_ends_the_day_before():
    sel = filters.Selection(("1462",), (), "anpassad", date(2026, 3, 1), date(2026, 3, 31))
    prev = sel.previous()
    assert (prev.start, prev.end) == (date(2026, 1, 29), date(2026, 2, 28))
    assert prev.days == sel.days == 31


def test_sql_params_are_half_open_timestamps():
    sel = filters.Selection(("1462",), ("narkotika",), "anpassad", date(2026, 3, 1), date(2026, 3, 31))
    p = sel.params()
    assert p["start"].isoformat() == "2026-03-01T00:00:00"
    assert p["end"].isoformat() == "2026-04-01T00:00:00"
    assert p["prev_start"].isoformat() == "2026-01-29T00:00:00"
    assert p["kommun_kods"] == ["1462"] and p["focus_areas"] == ["narkotika"]


MEETINGS = {
    "1462": [("lagesbild", date(2026, 9, 10)), ("bra", date(2026, 10, 1)), ("lagesbild", date(2026, 11, 3))],
    "1488": [("lagesbild", date(2026, 11, 20))],
}


def test_since_the_last_meeting_of_the_chosen_kind_runs_from_the_day_after_it():
    parse_m = lambda q: filters.from_query_params(q, TODAY, KOMMUNER, FOCUS, PLEDGES, MEETINGS)  # noqa: E731
    sel = parse_m({"kommun": "1462", "period": "mote_lagesbild"})
    assert (sel.preset, sel.start, sel.end) == ("mote_lagesbild", date(2026, 11, 4), TODAY)
    prev = sel.previous()  # compared with the same length just before
    assert (prev.start, prev.end, prev.days) == (date(2026, 10, 14), date(2026, 11, 3), sel.days)
    assert parse_m({"kommun": "1462", "period": "mote_bra"}).start == date(2026, 10, 2)
    # another kommun's meetings count only when it is chosen
    assert parse_m({"kommun": "1462,1488", "period": "mote_lagesbild"}).start == date(2026, 11, 21)
    assert parse_m(filters.to_query_params(sel)) == sel


def test_since_the_last_meeting_ignores_todays_meeting_and_falls_back_without_one():
    today_meeting = [("lagesbild", date(2026, 10, 1)), ("lagesbild", TODAY)]
    assert filters.resolve_period("mote_lagesbild", TODAY, meeting_days=today_meeting) == (date(2026, 10, 2), TODAY)
    fallback = filters.resolve_period("kvartal", TODAY)
    assert filters.resolve_period("mote_styrgrupp", TODAY, meeting_days=today_meeting) == fallback
