"""records: ids made from content, typed ids checked, checks that need no data
directory, and the refusal of a write. The checks through the forms are in
tests/test_follow_up.py, through the import in tests/test_import_commitments.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboard import records
from tests.datasets import TODAY

KNOWN = records.Known(
    pledge_ends={"p1": TODAY}, commitments=frozenset({"c1"}), meetings=frozenset(),
    kommun_kods=frozenset({"1462"}), focus_names={"narkotika": "Narkotika"}, indicators=frozenset(),
)  # fmt: skip
FORM = records.Where("meetings")


def test_commitment_id_depends_on_actor_and_text_only():
    made = records.commitment_id_for("p1", "polisen", "Fler kvällsvandringar")
    assert made == records.commitment_id_for("p1", "polisen", "  Fler kvällsvandringar ")
    assert made.startswith("p1_") and len(made) == len("p1_") + 8
    assert made != records.commitment_id_for("p1", "kommunen", "Fler kvällsvandringar")


def test_pledge_id_is_ascii_from_the_title_and_unique():
    assert records.pledge_id_for("Medborgarlöfte Ale 2027", []) == "medborgarlofte_ale_2027"
    assert records.pledge_id_for("Medborgarlöfte Ale 2027", ["medborgarlofte_ale_2027"]) == "medborgarlofte_ale_2027_2"
    assert records.pledge_id_for("???", []) == "lofte"


@pytest.mark.parametrize(("value", "ok"), [("c_1.a-b", True), (None, True), ("åtagande", False), ("a" * 101, False)])
def test_typed_ids_are_checked(value, ok):
    problems = records.check_id(records.Where("f.csv", 2), {"commitment_id": value}, "commitment_id")
    assert (problems == []) is ok


def test_meeting_in_the_future_and_unknown_values_are_problems_with_both_languages():
    rec = {"kind": "bra", "held_on": TODAY + timedelta(days=1), "kommun_kods": ["9999"], "focus_areas": []}
    problems = records.check_meeting(rec, KNOWN, FORM, TODAY)
    assert [(p.column, p.reason_en) for p in problems] == [
        ("held_on", "lies in the future"), ("kommun_kods", "unknown municipality"),
    ]  # fmt: skip
    assert records.Invalid(problems).swedish() == [
        "Datum: ett möte kan inte registreras i förväg (datum i framtiden)",
        "Kommuner: okänt värde för kommun",
    ]


def test_require_refuses_a_write_the_author_may_not_make():
    records.require(True)
    with pytest.raises(records.NotAllowed) as caught:
        records.require(False)
    assert isinstance(caught.value, PermissionError)
    assert "behörighet" in caught.value.swedish
