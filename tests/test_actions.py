"""Actions (a meeting's decisions): checked like commitments, stored under the
file lock, followed up by append-only updates, late by the one rule, and shown
at the next meeting with their status; meetings recorded again keep one version."""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from dashboard import actions, db, follow_up, meetings, records
from dashboard.roles import Author
from tests.datasets import TODAY, stored, write_tables
from tests.processes import run_together

EDITOR = Author("redaktör@kommun.se")
LAST_TIME = TODAY - timedelta(days=30)

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def data(tmp_path) -> Path:
    write_tables(
        tmp_path,
        meetings=pd.DataFrame(
            [{"meeting_id": "m1", "kind": "lagesbild", "held_on": LAST_TIME, "kommun_kods": ["1462"], "focus_areas": []}]
        ),
    )
    return tmp_path


def decide(data_dir, text="Kvällsvandring vid Torget", actor="kommunen", due=TODAY + timedelta(days=10), **more):
    return follow_up.record_action(data_dir, EDITOR, more.pop("meeting_id", "m1"), text, actor, due, **more)


def load(data_dir, today=TODAY, kommun=("1462",), focus=()) -> actions.Actions:
    con = db.connect(data_dir)
    try:
        run = functools.partial(db.run_query, con)
        return actions.load(run, {"kommun_kods": list(kommun), "focus_areas": list(focus)}, today)
    finally:
        con.close()


def test_a_decision_is_stored_with_who_when_and_where(data):
    aid = decide(data, owner=" Fältgruppen ", focus_area="narkotika", place="Torget, Lilla Edet")
    row = load(data).current.set_index("action_id").loc[aid]
    assert row[["meeting_id", "actor", "owner", "focus_area", "place", "created_by"]].tolist() == [
        "m1", "kommunen", "Fältgruppen", "narkotika", "Torget, Lilla Edet", "redaktör@kommun.se",
    ]  # fmt: skip
    assert (row["status"], row["progress"], row["is_late"]) == ("ej_paborjad", 0, False)
    assert pd.isna(row["area_id"])  # an area once areas exist; a place in words until then
    assert row["meeting_held_on"] == pd.Timestamp(LAST_TIME)


INVALID_ACTIONS = [
    (dict(meeting_id="okänt"), "meeting_id", "okänt värde för möte"),
    (dict(text="  "), "text", "Beslutet saknas"),
    (dict(actor="brandkåren"), "actor", "okänt värde för aktör"),
    (dict(due="snart"), "due_date", "klart senast saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)"),
    (dict(focus_area="fiske"), "focus_area", "okänt värde för fokusområde"),
    (dict(owner="x" * 201), "owner", "Ansvarig är längre än 200 tecken"),
    (dict(area_id="område 1"), "area_id", "id får bara innehålla a–z, siffror, _, - och . (högst 100 tecken)"),
]


@pytest.mark.parametrize(("change", "column", "swedish"), INVALID_ACTIONS)
def test_invalid_decisions_are_refused_with_a_swedish_reason_and_nothing_written(data, change, column, swedish):
    with pytest.raises(records.Invalid) as caught:
        decide(data, **change)
    assert [(p.column, p.reason_sv) for p in caught.value.problems] == [(column, swedish)]
    assert caught.value.swedish()[0].startswith(records.FIELD_LABELS[column] + ": ")
    assert stored(data, "actions").empty


def test_only_an_author_who_may_edit_records_decisions_and_updates(data):
    aid = decide(data)
    viewer = Author("läsare", may_edit=False)
    with pytest.raises(records.NotAllowed):
        follow_up.record_action(data, viewer, "m1", "Mer ljus", "kommunen", TODAY)
    with pytest.raises(records.NotAllowed):
        follow_up.record_action_update(data, viewer, aid, "pagar", 10)
    assert list(load(data).current["action_id"]) == [aid]


def test_updates_are_appended_and_the_latest_is_the_status(data, backend):
    aid = decide(data)
    first = follow_up.record_action_update(data, EDITOR, aid, "pagar", 30, "Två vandringar gjorda")
    with pytest.raises(records.Invalid) as caught:
        follow_up.record_action_update(data, EDITOR, aid, "forsenad", 30, "")
    assert caught.value.swedish() == ["Anteckning: skriv i anteckningen varför insatsen är försenad"]
    second = follow_up.record_action_update(data, EDITOR, aid, "genomford", 100, "", "m1")
    assert len(stored(data, "action_updates")) == 2
    if backend == "parquet":
        assert len(list((data / "action_updates").glob("update-*.parquet"))) == 2
    decided = load(data)
    assert list(decided.history_of(aid)["update_id"]) == [second, first]  # newest first, nothing replaced
    assert decided.current.set_index("action_id").loc[aid, ["status", "progress", "updates"]].tolist() == [
        "genomford", 100, 2,
    ]  # fmt: skip


def test_next_meeting_sees_every_decision_done_under_way_or_late(data):
    done, going, late = (decide(data, f"Beslut {i}", due=TODAY - timedelta(days=d)) for i, d in enumerate((5, -20, 3)))
    follow_up.record_action_update(data, EDITOR, done, "genomford", 100)
    follow_up.record_action_update(data, EDITOR, going, "pagar", 40)
    follow_up.record_action_update(data, EDITOR, late, "pagar", 60)
    follow_up.record_meeting(data, EDITOR, TODAY, "lagesbild", ["1462"], [])  # another meeting, no decisions
    decided = load(data)
    empty = pd.DataFrame(columns=["commitment_id", "at", "status", "update_id", "due_date", "is_late", "pledge_start"])
    changes = meetings.changes_since(LAST_TIME, TODAY, empty, empty, decided.decided_at("m1"))
    assert set(changes.decisions["action_id"]) == {done, going, late}
    assert actions.summary(changes.decisions)["genomford"] == 1
    assert {s: actions.summary(changes.decisions)[s] for s in ("pagar", "forsenad")} == {"pagar": 1, "forsenad": 1}
    row = next(changes.decisions[changes.decisions["action_id"] == late].itertuples())
    due = (TODAY - timedelta(days=3)).isoformat()
    assert f"Försenad (förfallodag {due} passerad)" in actions.item_html(row, TODAY)
    # Before the due date the same action is not late: late is counted against today.
    assert not load(data, today=TODAY - timedelta(days=4)).current.set_index("action_id").loc[late, "is_late"]


def test_hostile_text_is_escaped_in_the_card(data):
    decide(data, "<script>alert(1)</script>", owner="<b>x</b>", place="<img src=x>")
    html = actions.item_html(next(load(data).current.itertuples()), TODAY)
    assert "<script>" not in html and "<b>x" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_a_meeting_recorded_again_keeps_one_latest_version(data):
    mid = follow_up.record_meeting(data, EDITOR, TODAY, "lagesbild", ["1462"], [], present=["Polisen"])
    follow_up.record_meeting(
        data, EDITOR, TODAY, "lagesbild", ["1462"], ["narkotika"], present=["Polisen", " Socialtjänsten "],
        agenda=["oversikt", "karta"], period=(TODAY - timedelta(days=29), TODAY), meeting_id=mid,
    )  # fmt: skip
    con = db.connect(data)
    try:
        listed = db.run_query(con, "meeting_list", {"kommun_kods": ["1462"]}).set_index("meeting_id")
    finally:
        con.close()
    assert sorted(listed.index) == ["m1", mid]
    assert list(listed.loc[mid, "present"]) == ["Polisen", "Socialtjänsten"]
    assert list(listed.loc[mid, "agenda"]) == ["oversikt", "karta"]
    assert list(listed.loc[mid, "focus_areas"]) == ["narkotika"]
    with pytest.raises(records.Invalid):
        follow_up.record_meeting(data, EDITOR, TODAY, "lagesbild", ["1462"], [], meeting_id="finns_inte")


WORKERS = 6
DECIDE = """
from pathlib import Path
from datetime import date
from dashboard import follow_up
from dashboard.roles import command_line_author
data, worker = Path(sys.argv[2]), sys.argv[3]
aid = follow_up.record_action(data, command_line_author(), "m1", f"Beslut {worker}", "polisen", date(2030, 1, 1))
print(aid, follow_up.record_action_update(data, command_line_author(), aid, "pagar", 10))
"""


def test_decisions_from_several_processes_at_once_are_all_kept(data, tmp_path):
    outputs = run_together(DECIDE, [(data, w) for w in range(WORKERS)], tmp_path)
    ids = [out.split()[0] for out in outputs]
    rows = stored(data, "actions")
    assert sorted(rows["action_id"]) == sorted(ids) and len(ids) == WORKERS
    assert set(rows["text"]) == {f"Beslut {w}" for w in range(WORKERS)}
    assert set(load(data).current["updates"]) == {1}
