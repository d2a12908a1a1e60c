"""A kommun outside the seeds, set up from nothing: `init` for Uppsala, then
through the app's forms a pledge, commitments of polisen and kommunen, a new
indicator with its Kolada id, a desired effect followed by it, and two more
kommuner for the pledge; plus the rules those forms share with `follow_up`."""

from __future__ import annotations

import json
from datetime import date
from functools import partial

import pyarrow.parquet as pq
import pytest

from dashboard import PROJECT_ROOT, db, follow_up, geography, init_data, records, shapes
from dashboard.roles import Author
from tests.conftest import open_expanders, page_text

EDITOR = Author("redaktör")
PLEDGE = "Medborgarlöfte Uppsala 2027–2028"


@pytest.fixture
def uppsala(tmp_path, editor):
    path = tmp_path / "data"
    init_data.init_data_dir(path, ["0380"])
    return path


def click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def outline_names(at) -> str:
    """The Karta map's drawing instructions (the outlines and their labels)."""
    return " ".join(json.loads(c.proto.json_args).get("script", "") for c in at.get("component_instance"))


def test_an_editor_builds_the_pledge_for_uppsala_through_the_forms(uppsala, render):
    at = render(uppsala, "karta", query={"kommun": "0380"})
    assert not at.exception
    assert "Uppsala" in outline_names(at)

    open_expanders(at.switch_page(str(PROJECT_ROOT / "pages" / "loften.py")).run(), "l_form_")  # every form
    at.text_input(key="p_None_title").input(PLEDGE)
    at.text_input(key="p_None_lpo").input("Uppsala")
    at.multiselect(key="p_None_focus_areas").set_value(["narkotika", "trygghet_offentlig_miljo"])
    at.text_area(key="p_None_follow_up").input("Följs upp i lokala BRÅ varje halvår.")
    assert "Löftet är sparat." in [s.value for s in click(at, "Spara löftet").success]

    for actor, text in (("polisen", "Polisen patrullerar Vaksala torg fredagskvällar."),
                        ("kommunen", "Kommunen förbättrar belysningen i Gränby.")):  # fmt: skip
        at.selectbox(key="c_None_actor").set_value(actor)
        at.text_area(key="c_None_text").input(text)
        at.multiselect(key="c_None_focus_areas").set_value(["trygghet_offentlig_miljo"])
        assert "Åtagandet är sparat." in [s.value for s in click(at, "Spara åtagandet").success]

    at.text_input(key="i_None_name_sv").input("Anmälda våldsbrott")
    at.text_input(key="i_None_unit").input("antal/100 000 inv.")
    at.selectbox(key="i_None_direction").set_value("decrease")
    at.text_input(key="i_None_source").input("Kolada")
    at.text_input(key="i_None_source_ids").input("kolada:N07403")
    at.selectbox(key="i_None_focus_area").set_value("trygghet_offentlig_miljo")
    assert "Indikatorn är sparad." in [s.value for s in click(at, "Spara indikatorn").success]

    at.text_area(key="e_None_text").input("Våldsbrotten i centrala Uppsala ska minska.")
    at.selectbox(key="e_None_indicator_id").set_value("anmalda_valdsbrott")
    at.text_input(key="e_None_follow_up_source").input("Kolada")
    assert "Den önskade effekten är sparad." in [s.value for s in click(at, "Spara effekten").success]

    at.multiselect(key="k_kommun_kods").set_value(["0381", "0330"])
    assert "Kommunerna är tillagda i löftet." in [s.value for s in click(at, "Lägg till kommunerna").success]

    text = page_text(at)
    assert "**Kommuner** Enköping, Knivsta, Uppsala" in text.replace("\\", "")
    assert "Polisen patrullerar Vaksala torg fredagskvällar." in text + " ".join(h.proto.body for h in at.html)
    assert {"Polisen", "Kommunen"} <= {s.value for s in at.subheader}
    assert "Våldsbrotten i centrala Uppsala ska minska\\." in text
    assert any("Anmälda våldsbrott" in link.proto.label for link in at.get("page_link"))
    assert at.multiselect(key="f_kommun").options == ["Enköping", "Knivsta", "Uppsala"]

    at.switch_page(str(PROJECT_ROOT / "pages" / "indikatorer.py")).run()
    assert not at.exception
    text = page_text(at)
    assert "Löftenas önskade effekter" in text
    assert "Följs med **Anmälda våldsbrott** (uppföljning: Kolada)" in text
    assert "Inga värden ännu för löftets kommuner." in text

    stored = pq.read_table(uppsala / "indicators.parquet").to_pylist()
    assert [(i["indicator_id"], i["direction"], i["source_ids"]) for i in stored] == [
        ("anmalda_valdsbrott", "decrease", ["kolada:N07403"])
    ]
    with db.connect(uppsala) as con:
        run = partial(db.run_query, con)
        outlines = run("kommun_outlines", {"kommun_kods": ["0330", "0380", "0381"]})
        assert list(outlines["kommun"]) == ["Enköping", "Knivsta", "Uppsala"]
        assert shapes.served_boundaries(run)["0381"].equals(geography.boundary("0381"))


def test_a_failed_save_keeps_what_was_typed_and_says_why_per_field(uppsala, render):
    at = open_expanders(render(uppsala, "loften", query={"kommun": "0380"}), "l_form_indicator")
    at.text_input(key="i_None_source_ids").input("kolada:N07403")
    click(at, "Spara indikatorn")
    assert [e.value for e in at.error] == ["Namn: Namnet saknas"]
    assert at.text_input(key="i_None_source_ids").value == "kolada:N07403"
    assert pq.read_table(uppsala / "indicators.parquet").num_rows == 0


@pytest.fixture
def pledge_dir(uppsala):
    indicator = {"name_sv": "Upplevd trygghet", "direction": "increase", "period_type": "year"}
    follow_up.save_indicator(uppsala, EDITOR, indicator)
    follow_up.save_pledge(uppsala, EDITOR, {
        "title": PLEDGE, "kommun_kods": ["0380"], "period_start": date(2027, 1, 1), "period_end": date(2028, 12, 31),
        "focus_areas": [],
    })  # fmt: skip
    return uppsala


def test_effects_are_numbered_per_pledge_and_refer_to_known_rows(pledge_dir):
    pid = "medborgarlofte_uppsala_2027_2028"
    effect = {"pledge_id": pid, "text": "Tryggheten ska öka.", "indicator_id": "upplevd_trygghet"}
    assert follow_up.save_effect(pledge_dir, EDITOR, effect) == f"{pid}_e1"
    assert follow_up.save_effect(pledge_dir, EDITOR, effect | {"text": "Fler ska känna sig trygga."}) == f"{pid}_e2"
    with pytest.raises(records.Invalid) as bad:
        follow_up.save_effect(pledge_dir, EDITOR, {"pledge_id": "okänt", "text": " ", "indicator_id": "nej"})
    assert bad.value.swedish() == [
        "Löfte: okänt värde för löfte",
        "Text: Den önskade effekten saknas",
        "Indikator: okänt värde för indikator",
    ]
    with pytest.raises(records.NotAllowed):
        follow_up.save_effect(pledge_dir, Author("läsare", may_edit=False), effect)


def test_an_indicator_gets_an_id_from_its_name_and_its_source_ids_as_a_list(pledge_dir):
    rec = {"name_sv": "Upplevd trygghet", "direction": "increase", "period_type": "year",
           "source_ids": "kolada:N07403; bra:Samtliga brott,\nN07403 "}  # fmt: skip
    assert follow_up.save_indicator(pledge_dir, EDITOR, rec) == "upplevd_trygghet_2"
    stored = {r["indicator_id"]: r for r in pq.read_table(pledge_dir / "indicators.parquet").to_pylist()}
    assert stored["upplevd_trygghet_2"]["source_ids"] == ["kolada:N07403", "bra:Samtliga brott", "N07403"]
    with pytest.raises(records.Invalid) as bad:
        follow_up.save_indicator(pledge_dir, EDITOR, {"name_sv": "", "direction": "upp", "period_type": "vecka",
                                                      "focus_area": "okänt"})  # fmt: skip
    assert bad.value.swedish() == [
        "Namn: Namnet saknas", "Önskad riktning: okänt värde för önskad riktning",
        "Periodtyp: okänt värde för periodtyp", "Fokusområde: okänt värde för fokusområde",
    ]  # fmt: skip


def test_a_pledge_grows_to_kommuner_the_installation_did_not_serve(pledge_dir):
    pid = "medborgarlofte_uppsala_2027_2028"
    assert follow_up.add_pledge_kommuner(pledge_dir, EDITOR, pid, ["0381"]) == ["0380", "0381"]
    assert follow_up.add_pledge_kommuner(pledge_dir, EDITOR, pid, ["0330", "0381"]) == ["0380", "0381", "0330"]
    with db.connect(pledge_dir) as con:
        served = con.execute("SELECT kommun_kod FROM municipalities ORDER BY 1").fetchall()
        assert served == [("0330",), ("0380",), ("0381",)]
        assert con.execute("SELECT count(*) FROM boundaries").fetchone() == (3,)
    with pytest.raises(records.Invalid) as bad:
        follow_up.add_pledge_kommuner(pledge_dir, EDITOR, pid, ["9999"])
    assert bad.value.swedish() == ["Kommuner: okänt värde för kommun"]


def test_adding_a_kommun_keeps_a_detailed_boundary_imported_before(pledge_dir):
    detailed = geography.boundary("0380").buffer(0.001)
    pq.write_table(geography.boundaries_table(["0380"], {"0380": detailed}), pledge_dir / "boundaries.parquet")
    init_data.add_kommuner(pledge_dir, ["0381"])
    with db.connect(pledge_dir) as con:
        kept = shapes.served_boundaries(partial(db.run_query, con))
    assert kept["0380"].equals(detailed) and kept["0381"].equals(geography.boundary("0381"))


def test_the_indicator_form_on_indikatorer_corrects_a_definition(pledge_dir, render):
    rec = {"name_sv": "Våld", "direction": "decrease", "period_type": "year", "source_ids": "kolada:N07403"}
    follow_up.save_indicator(pledge_dir, EDITOR, rec)
    at = render(pledge_dir, "indikatorer", query={"kommun": "0380"})
    assert "i_choice" not in [box.key for box in at.selectbox]  # the form is built when opened
    at.session_state["ind_form"] = True
    at.run()
    at.selectbox(key="i_choice").set_value("vald").run()
    assert at.text_input(key="i_vald_source_ids").value == "kolada:N07403"
    assert at.selectbox(key="i_vald_direction").value == "decrease"
    at.text_input(key="i_vald_name_sv").input("Anmälda våldsbrott")
    assert "Indikatorn är sparad." in [s.value for s in click(at, "Spara indikatorn").success]
    stored = {r["indicator_id"]: r for r in pq.read_table(pledge_dir / "indicators.parquet").to_pylist()}
    assert (stored["vald"]["name_sv"], stored["vald"]["source_ids"]) == ("Anmälda våldsbrott", ["kolada:N07403"])
    assert len(list((pledge_dir / "indicators_revisions").glob("*.parquet"))) == 1
