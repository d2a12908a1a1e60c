"""Commitments: current state from the latest update, lateness, which pledges
show, "sedan förra mötet" on a hand-made fixture, and the Löften page."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs

import pandas as pd
import pytest

from dashboard import commitments, db, meetings
from dashboard.filters import Selection
from dashboard.vocab import ACTORS
from tests.conftest import open_expanders, page_text
from tests.datasets import TODAY, write_tables


def ago(days: int, hour: int = 12) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days), time(hour))


def day(days: int) -> date:
    return TODAY + timedelta(days=days)


def commitment(cid, pledge, actor, due, focus=("narkotika",), created_at=None):
    return {
        "commitment_id": cid, "pledge_id": pledge, "actor": actor, "text": f"Åtagande {cid}",
        "focus_areas": list(focus), "due_date": due, "indicator_ids": [], "created_at": created_at,
    }  # fmt: skip


def update(uid, cid, at, status, progress, note=None, meeting_id=None):
    return {
        "update_id": uid, "commitment_id": cid, "at": at, "status": status, "progress": progress,
        "note": note, "author": "Test", "meeting_id": meeting_id,
    }  # fmt: skip


def meeting(mid, held_on, kommun="1462", recorded_at=None):
    return {
        "meeting_id": mid, "kind": "lagesbild", "held_on": held_on, "kommun_kods": [kommun], "focus_areas": [],
        "notes": None, "recorded_by": "Test", "recorded_at": recorded_at,
    }  # fmt: skip


@pytest.fixture
def follow_up_dir(tmp_path):
    """Two pledges (one running, one long ended), commitments with known histories.

    Updates are split over two part files, the later update in the first file,
    so that "latest" must come from `at`, not from file order.
    """
    pledges = pd.DataFrame(
        [
            {"pledge_id": "now", "title": "Löfte nu", "kommun_kods": ["1462"], "lpo": "Östra Fyrbodal",
             "period_start": day(-400), "period_end": day(400), "focus_areas": ["narkotika", "trafik"]},
            {"pledge_id": "old", "title": "Löfte förr", "kommun_kods": ["1488"], "lpo": "Östra Fyrbodal",
             "period_start": day(-1500), "period_end": day(-800), "focus_areas": ["narkotika"]},
        ]
    )  # fmt: skip
    commitment_rows = pd.DataFrame(
        [
            commitment("done", "now", "polisen", day(-10)),
            commitment("late", "now", "kommunen", day(-5)),
            commitment("future", "now", "gemensamt", day(100), focus=("trafik",)),
            commitment("none", "now", "ovrig", day(100)),
            commitment("tie", "now", "polisen", day(100)),
            commitment("new", "now", "kommunen", day(100), created_at=ago(2)),
            commitment("old_c", "old", "polisen", day(-900)),
        ]
    )
    first = pd.DataFrame(
        [
            update("u1", "done", ago(100), "pagar", 30, meeting_id="m1"),
            update("u3", "future", ago(3), "pagar", 40, note="Senare"),
            update("t1", "tie", ago(50), "pagar", 20),
            update("t2", "tie", ago(50), "forsenad", 20, note="Samma tid, högre id"),
            update("o1", "old_c", ago(1000), "pagar", 10),
        ]
    )
    second = pd.DataFrame(
        [
            update("u2", "done", ago(20), "genomford", 100),
            update("u4", "future", ago(30), "pagar", 10, note="Tidigare"),
            update("l1", "late", ago(60), "pagar", 50),
        ]
    )
    meeting_rows = pd.DataFrame(
        [meeting("m1", day(-40)), meeting("m2", day(-80)), meeting("m_old", day(-850), kommun="1488")]
    )
    write_tables(
        tmp_path, pledges=pledges, commitments=commitment_rows, commitment_updates=first, meetings=meeting_rows
    )
    write_tables(tmp_path, commitment_updates=second)
    return tmp_path


def params(focus=(), include_earlier=False) -> dict:
    sel = Selection(("1462", "1488"), tuple(focus), "anpassad", day(-90), TODAY)
    return commitments.pledge_params(sel.params(), include_earlier)


def run(data_dir, name: str, query_params: dict) -> pd.DataFrame:
    con = db.connect(data_dir)
    try:
        return db.run_query(con, name, query_params)
    finally:
        con.close()


def status(data_dir, **kwargs) -> pd.DataFrame:
    return commitments.with_late(run(data_dir, "commitment_status", params(**kwargs)), TODAY).set_index("commitment_id")


def test_current_status_is_the_latest_update_by_time(follow_up_dir):
    frame = status(follow_up_dir)
    assert frame.loc["future", ["status", "progress", "note", "updates"]].tolist() == ["pagar", 40, "Senare", 2]
    assert frame.loc["done", ["status", "progress"]].tolist() == ["genomford", 100]
    assert frame.loc["tie", "status"] == "forsenad"  # same time: the higher update id is the later
    assert frame.loc["none", ["status", "progress", "updates"]].tolist() == ["ej_paborjad", 0, 0]
    assert pd.isna(frame.loc["none", "updated_at"])


def test_late_means_due_date_passed_and_not_done_or_reported_late(follow_up_dir):
    frame = status(follow_up_dir)
    assert frame["is_late"].to_dict() == {
        "done": False, "late": True, "future": False, "none": False, "tie": True, "new": False,
    }  # fmt: skip
    texts = {cid: commitments.late_text(row, TODAY) for cid, row in frame.iterrows()}
    assert texts["late"] == f"försenad (förfallodag {day(-5).isoformat()} passerad)"
    assert texts["tie"] == "försenad (rapporterad som försenad)" and texts["future"] == ""
    assert commitments.late_caption(2, TODAY).startswith(f"▲ Försenade per {TODAY.isoformat()}: 2 ")
    shown = commitments.effective_status(frame.reset_index()).tolist()
    assert dict(zip(frame.index, shown))["late"] == "forsenad"
    counts = commitments.status_counts(frame.reset_index())
    assert list(counts.index) == ["polisen", "kommunen", "gemensamt", "ovrig"]
    assert counts.loc["kommunen"].to_dict() == {"ej_paborjad": 1, "pagar": 0, "genomford": 0, "forsenad": 1, "avbruten": 0}
    assert counts.loc["polisen", "genomford"] == 1 and counts.loc["polisen", "forsenad"] == 1


def test_ended_pledges_show_only_when_asked_for(follow_up_dir):
    assert "old_c" not in status(follow_up_dir).index
    assert list(run(follow_up_dir, "pledge_list", params())["pledge_id"]) == ["now"]
    earlier = status(follow_up_dir, include_earlier=True)
    assert earlier.loc["old_c", ["status", "is_late"]].tolist() == ["pagar", True]
    assert list(run(follow_up_dir, "pledge_list", params(include_earlier=True))["pledge_id"]) == ["now", "old"]


def test_focus_filter_keeps_matching_commitments(follow_up_dir):
    assert list(status(follow_up_dir, focus=["trafik"]).index) == ["future"]


def test_load_reads_the_selections_pledges_with_their_commitments_history_and_meetings(follow_up_dir):
    sel = Selection(("1462", "1488"), (), "anpassad", day(-90), TODAY)
    con = db.connect(follow_up_dir)
    try:
        data = commitments.load(functools.partial(db.run_query, con), sel.params(), TODAY)
        earlier = commitments.load(functools.partial(db.run_query, con), sel.params(), TODAY, include_earlier=True)
    finally:
        con.close()
    assert list(data.pledges["pledge_id"]) == ["now"]
    assert list(earlier.pledges["pledge_id"]) == ["now", "old"]
    assert set(data.current["commitment_id"]) == {"done", "late", "future", "none", "tie", "new"}
    assert list(data.commitments_of("old")["commitment_id"]) == []
    assert sorted(data.history_of("future")["update_id"]) == ["u3", "u4"]
    assert "o1" not in set(data.history["update_id"]) and "o1" in set(earlier.history["update_id"])
    assert set(data.meetings["meeting_id"]) == {"m1", "m2", "m_old"}  # meetings follow the municipalities only
    assert data.effects.empty


def test_presented_commitments_are_cut_into_slides_that_fit_the_screen(follow_up_dir):
    from dashboard.ui import pledge_view

    con = db.connect(follow_up_dir)
    try:
        data = commitments.load(functools.partial(db.run_query, con), Selection(("1462",), (), "anpassad", day(-90), TODAY).params(), TODAY)
    finally:
        con.close()
    data.current.loc[data.current["commitment_id"] == "tie", "text"] = "Ett mycket långt åtagande. " * 20
    slides = pledge_view.commitment_slides(data)
    shown = [c for part in slides for c in part.rows["commitment_id"]]
    assert sorted(shown) == sorted(data.current["commitment_id"])  # each card once
    for part in slides:  # one actor a slide, its cards within the room a 1920×1080 slide has for them
        assert part.rows["actor"].nunique() == 1 and part.label.startswith(ACTORS[part.actor])
        heights = part.rows.apply(pledge_view.card_height, axis=1)
        fits = heights.sum() + pledge_view.CARD_GAP_PX * (len(heights) - 1) <= pledge_view.CARDS_ROOM_PX
        assert fits or len(heights) == 1, part.label
    long_card = next(p for p in slides if "tie" in set(p.rows["commitment_id"]))
    assert len(long_card.rows) == 1 and long_card.label == "Polisen (2/2)"  # on its own


def test_since_meeting_shows_updates_status_changes_new_and_late(follow_up_dir):
    current = status(follow_up_dir).reset_index()
    history = run(follow_up_dir, "commitment_history", {"commitment_ids": list(current["commitment_id"])})
    changes = meetings.changes_since(day(-40), TODAY, current, history)
    assert sorted(changes.updates["update_id"]) == ["u2", "u3", "u4"]
    moved = changes.status_changes.set_index("commitment_id")[["from_status", "status"]]
    assert moved.to_dict("index") == {
        "done": {"from_status": "pagar", "status": "genomford"},
        "future": {"from_status": "ej_paborjad", "status": "pagar"},
    }
    assert list(changes.new_commitments["commitment_id"]) == ["new"]
    assert list(changes.became_late["commitment_id"]) == ["late"]
    assert not changes.nothing
    # Right after today's updates nothing has changed.
    assert meetings.changes_since(TODAY, TODAY, current, history).nothing


def test_history_has_the_status_before_each_update(follow_up_dir):
    history = run(follow_up_dir, "commitment_history", {"commitment_ids": ["done", "future"]})
    assert list(history["update_id"]) == ["u3", "u2", "u4", "u1"]  # newest first
    before = dict(zip(history["update_id"], history["previous_status"]))
    assert before["u2"] == "pagar" and pd.isna(before["u1"])
    assert history.set_index("update_id").loc["u1", "meeting_held_on"] == pd.Timestamp(day(-40))


def test_default_meeting_is_the_latest_before_today_and_updates_go_to_todays(follow_up_dir):
    listed = run(follow_up_dir, "meeting_list", params())
    assert list(listed["meeting_id"]) == ["m1", "m2", "m_old"]
    assert meetings.default_meeting(listed, TODAY) == "m1"
    today = pd.concat([listed, pd.DataFrame([meeting("today", TODAY)])], ignore_index=True)
    assert meetings.default_meeting(today, TODAY) == "m1"  # today's meeting is the one in progress
    assert (meetings.held_on_day(today, TODAY), meetings.held_on_day(listed, TODAY)) == ("today", None)
    assert meetings.default_meeting(listed.iloc[0:0], TODAY) is None


def test_history_table_escapes_notes_and_hides_them_outside_internal(follow_up_dir):
    history = run(follow_up_dir, "commitment_history", {"commitment_ids": ["future"]})
    history.loc[0, "note"] = "![spår](https://example.com/x.png) <b>fet</b>"
    internal = commitments.history_table(history, with_notes=True)
    # the word joiner after "https" keeps the address from becoming a link
    assert internal.loc[0, "Anteckning"] == r"\!\[spår\]\(https" + "\u2060" + r"\://example\.com/x\.png\) \<b\>fet\</b\>"
    assert internal.loc[0, "Status"] == "◐ Pågår" and internal.loc[0, "Framsteg"] == "40\u00a0%"
    assert list(commitments.history_table(history, with_notes=False).columns) == ["Tid", "Status", "Framsteg", "Möte"]


def test_status_bars_carry_symbol_count_and_colour_per_actor():
    counts = pd.DataFrame({"pagar": [3, 0], "genomford": [6, 2]}, index=["polisen", "kommunen"])
    bars = commitments.status_bars_html(counts)
    assert bars.index("<b>Polisen</b>") < bars.index("<b>Kommunen</b>")
    assert '<span style="flex:3;background:#0072B2" title="3 pågår">◐&nbsp;3</span>' in bars
    assert 'style="width:100%"' in bars and 'style="width:22%"' in bars  # 9 and 2 of 9
    assert bars.count("◐&nbsp;") == 1  # no empty segment
    assert all(commitments.badge_html(s) in bars for s in ("ej_paborjad", "avbruten"))  # the legend


def test_badges_carry_symbol_text_and_colour():
    assert commitments.badge_html("forsenad") == '<span class="lb-status" style="background:#D55E00">▲ Försenad</span>'
    assert "&lt;script&gt;" in commitments.item_html("<script>", "pagar", TODAY, "Trafik")


# --- the page, on the demo data (read only) --------------------------------------------


def test_page_shows_pledge_actors_and_since_last_meeting(demo_dir, render):
    at = render(demo_dir, "loften")
    assert not at.exception
    text = page_text(at)
    assert "Håller vi våra löften?" in text
    assert {"Polisen", "Gemensamt"} <= {s.value for s in at.subheader}
    assert "Medborgarlöfte Lilla Edet 2025–2026" in [e.label for e in at.expander]
    meeting_choice = at.selectbox(key="l_meeting")
    assert "Lilla Edet" in meeting_choice.format_func(meeting_choice.value)
    new_updates = next(m for m in at.metric if m.label == "Nya uppföljningar")
    assert int(new_updates.value) >= 1  # the demo has updates after the last Lilla Edet meeting
    assert "Ny uppföljning" in [b.label for b in at.button]


def _update_forms(at) -> set[str]:
    return {b.form_id for b in at.button if b.label == "Spara uppföljning"}


def _cards(at) -> int:
    return len(at.get("progress"))  # one progress bar a commitment or action card


def test_pledges_decided_actions_and_forms_are_built_only_when_opened(demo_dir, render):
    """Many pledges cost the page a title each: a pledge's cards, the decided actions and
    the editors' forms are built while their expander is open; a pledge shown alone is open."""
    at = render(demo_dir, "loften", query={"kommun": "1462"})
    assert [e.label for e in at.expander][0] == "Medborgarlöfte Lilla Edet 2025–2026"
    assert _cards(at) == 6  # its six commitments
    at = render(demo_dir, "loften")
    at.toggle(key="l_earlier").set_value(True).run()
    assert {"Medborgarlöfte Kungsör 2024", "Alla beslutade insatser (15)"} <= {e.label for e in at.expander}
    assert _cards(at) == 0 and "Ny uppföljning" not in [b.label for b in at.button]
    assert not {"Spara mötet", "Spara löftet", "Spara åtagandet"} & {b.label for b in at.button}
    at.session_state["l_pledge_kungsor_2024"] = True
    at.run()
    assert _cards(at) == 6 and [b.label for b in at.button].count("Ny uppföljning") == 6
    assert "Gemensamt" in [s.value for s in at.subheader]  # under their actor, as before
    assert _cards(open_expanders(at, "l_actions")) == 6 + 15
    forms = open_expanders(at, "l_form_meeting", "l_form_pledge")
    assert {"Spara mötet", "Spara löftet"} <= {b.label for b in forms.button}


def test_update_forms_are_built_only_for_the_commitment_asked_for(demo_dir, render):
    """The page does not grow with the commitments: one update form at most, whichever card asks."""
    at = render(demo_dir, "loften")
    at.toggle(key="l_earlier").set_value(True).run()
    open_expanders(at, "l_pledge_", "l_actions")
    openers = [b for b in at.button if b.label == "Ny uppföljning"]
    assert len(openers) > 30  # every commitment and decided action of every pledge has a card
    assert _update_forms(at) == set()
    first, second = openers[0].key, openers[-1].key
    at.button(key=first).click().run()
    assert not at.exception
    assert len(_update_forms(at)) == 1 and at.button(key=first).label == "Stäng formuläret"
    at.button(key=second).click().run()  # another card: its form replaces the first
    assert [f.removesuffix("_utan_mote_form") for f in _update_forms(at)] == [f"u_{second.removeprefix('l_open_')}"]
    assert at.button(key=first).label == "Ny uppföljning"
    at.button(key=second).click().run()  # closed again
    assert _update_forms(at) == set()


def test_histories_and_meetings_are_built_only_when_opened(demo_dir, render):
    at = render(demo_dir, "loften")
    at.toggle(key="l_earlier").set_value(True).run()
    histories = [e for e in open_expanders(at, "l_pledge_", "l_actions").expander if e.label.startswith("Historik")]
    assert len(histories) > 30
    tables = len(at.table)
    assert tables <= 2  # "sedan förra mötet": its follow-ups and nothing per commitment
    at.session_state["l_history_lilla_edet_2025_c1"] = True
    at.session_state["l_meetings"] = True
    assert len(at.run().table) == tables + 2


def test_desired_effects_link_to_their_indicator_keeping_the_filter(demo_dir, render):
    at = render(demo_dir, "loften", query={"kommun": "1462"})
    links = [link for link in at.get("page_link") if link.proto.label.startswith("Indikator")]
    assert len(links) == 6  # Lilla Edet's six desired effects
    query = parse_qs(links[0].proto.query_string)
    assert query["indikator"] == ["upplevd_trygghet"]
    assert query["kommun"] == ["1462"]


def test_earlier_pledges_toggle_shows_ended_pledges_as_late(demo_dir, render):
    at = render(demo_dir, "loften")
    assert "Medborgarlöfte Kungsör 2024" not in [e.label for e in at.expander]
    at.toggle(key="l_earlier").set_value(True).run()
    assert not at.exception
    titles = [e.label for e in at.expander]
    assert {"Medborgarlöfte Kungsör 2024", "Medborgarlöfte i Lidköpings kommun 2021"} <= set(titles)
    # Ended pledges' commitments that are not done are past their due date: late.
    assert any("▲ Försenad" in h.proto.body for h in at.html)


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_outside_internal_mode_no_forms_and_no_notes(demo_dir, render, mode):
    at = render(demo_dir, "loften", mode=mode)
    assert not at.exception
    assert not {"Spara uppföljning", "Ny uppföljning"} & {b.label for b in at.button}
    texts = [page_text(at)]
    if mode == "meeting":  # a presentation: every sub-step of the page, commitment cards from the third on
        for index in range(1, len(at.session_state["presenter_labels"])):
            at.session_state["presenter_position"] = ("loften", index)
            at.run()
            assert not {"Spara uppföljning", "Ny uppföljning"} & {b.label for b in at.button}
            texts.append(page_text(at))
    text = "\n".join(texts)
    assert "Senaste uppföljning" in text
    assert "Kommunpolis" not in text and "Trygghetssamordnare" not in text  # no authors, no notes
