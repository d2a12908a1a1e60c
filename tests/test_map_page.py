"""The Karta page under AppTest: what it shows, its own filters, details of a
clicked cell per mode, and hostile incident text kept inert."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.formatting import escape_markdown
from tests.conftest import page_text, rerun_fragments
from tests.html_tables import table_rows
from tests.test_hotspots import CENTRUM, HOSTILE, PLACES, write_hotspot_data

MARCH = {"kommun": "1488", "period": "anpassad", "fran": "2025-03-01", "till": "2025-03-31"}
HOSTILE_PLACE = "**[klicka](http://example.invalid)** <script>alert(3)</script>"


@pytest.fixture
def hostile_dir(tmp_path):
    places = PLACES.assign(name=[HOSTILE_PLACE, "Kronogården"])
    return write_hotspot_data(tmp_path, description=HOSTILE, places=places)


@pytest.fixture
def tripled_dir(tmp_path):
    """Every incident three times, so that public mode has counts to publish (see tests.test_hotspots.tripled)."""
    places = PLACES.assign(name=[HOSTILE_PLACE, "Kronogården"])
    return write_hotspot_data(tmp_path, description=HOSTILE, places=places, copies=3)


def click(at, point=CENTRUM):
    """What a click on the map leaves behind (the component itself does not run under AppTest)."""
    at.session_state["karta_punkt"] = {"lat": point[0], "lng": point[1]}
    return at.run()


def frames(at) -> list[pd.DataFrame]:
    """The page's tables, in order: the plain ones (top list, a cell's categories), then the grids."""
    plain = []
    for body in (h.proto.body for h in at.get("html") if 'class="lb-table"' in h.proto.body):
        head, *rows = (cells for _, cells in table_rows(body))
        plain.append(pd.DataFrame(rows, columns=head))
    return plain + [d.value for d in at.dataframe]


def charts(at) -> list[str]:
    """What the drawn charts are (plain HTML and SVG, no chart script): the time matrix, the week trend, the hours."""
    names = {'class="lb-heat"': "matrix", 'aria-label="Händelser per vecka"': "trend", "per tid på dygnet": "hours"}
    bodies = [h.proto.body for h in at.get("html")] + [m.value for m in at.markdown]
    return sorted(name for body in bodies for mark, name in names.items() if mark in body)


def test_the_page_shows_map_table_matrix_and_trend(render, demo_dir):
    at = render(demo_dir, "karta")
    assert not at.exception
    text = page_text(at)
    for heading in ("Var och när?", "Största platserna", "Veckodag och timme", "Händelser per vecka"):
        assert heading in text
    assert "saknar exakt plats" in text and "Klicka på en ruta" in text
    top = frames(at)[0]
    assert list(top.columns) == ["Plats", "Nu"] and 0 < len(top) <= 10  # the period before only when comparing
    assert charts(at) == ["matrix", "trend"]
    at.toggle(key="karta_jamfor").set_value(True).run()
    assert list(frames(at)[0].columns) == ["Plats", "Nu", "Före", "Förändring"]
    assert "föregående period ligger på samma axel" in page_text(at)


def test_the_period_before_is_read_only_when_comparing(render, hostile_dir, queries_run):
    at = click(render(hostile_dir, "karta", query=MARCH))
    reads = [params for name, params in queries_run if name in ("hotspot_summary", "area_counts", "incident_cell_list")]
    assert len(reads) >= 3 and all(params["prev_start"] == params["start"] for params in reads)
    assert [m.label for m in at.metric] == ["Under vald period"]
    assert list(frames(at)[1].columns) == ["Kategori", "Nu"]
    queries_run.clear()
    at.toggle(key="karta_jamfor").set_value(True).run()
    reads = [params for name, params in queries_run if name in ("hotspot_summary", "area_counts", "incident_cell_list")]
    assert len(reads) >= 3 and all(params["prev_start"] < params["start"] for params in reads)
    assert [m.label for m in at.metric] == ["Under vald period", "Föregående period"]


def test_counts_and_the_page_filters(render, hostile_dir):
    at = render(hostile_dir, "karta", query=MARCH)
    assert "Kartan visar 5 händelser" in page_text(at) and "2 händelser saknar exakt plats" in page_text(at)
    at.multiselect(key="karta_kategori").select("Rattfylleri").run()
    assert "Kartan visar 2 händelser" in page_text(at)
    assert list(frames(at)[0]["Nu"]) == ["1", "1"]


def test_the_pages_own_controls_rerun_the_map_part_only(render, hostile_dir, queries_run):
    at = render(hostile_dir, "karta", query=MARCH)
    queries_run.clear()
    at.multiselect(key="karta_kategori").select("Rattfylleri")
    rerun_fragments(at)
    assert not at.exception
    assert "Kartan visar 2 händelser" in page_text(at)
    # Neither the frame's filter choices nor the page's category list and place names are read again.
    names = {name for name, _ in queries_run}
    assert names <= {"kommun_outlines", "hotspot_summary", "area_list", "area_counts"}
    assert "hotspot_summary" in names
    click(at)  # a click on the map: the same part, now with the cell's details
    assert at.subheader[1].value.startswith("Vald ruta")


def test_a_clicked_cell_lists_its_incidents_as_inert_text_in_internal_mode(render, hostile_dir):
    at = click(render(hostile_dir, "karta", query=MARCH))
    assert not at.exception
    assert at.subheader[1].value == f"Vald ruta: {escape_markdown(HOSTILE_PLACE)}"
    assert charts(at) == ["hours", "matrix", "trend"]
    categories, listed = frames(at)[1], frames(at)[2]
    assert dict(zip(categories["Kategori"], categories["Nu"])) == {"Narkotikabrott": "3", "Rattfylleri": "1"}
    # The hostile description is data in a grid, not markup on the page.
    assert list(listed["Beskrivning"]) == [HOSTILE] * 4
    shown = [e.value for kind in ("markdown", "caption", "subheader", "title") for e in getattr(at, kind)]
    assert not any("<script>" in v or "<img" in v or "](http" in v for v in shown)


@pytest.mark.parametrize("mode", ["meeting", "public"])
def test_single_incidents_never_reach_the_page_outside_internal_mode(render, tripled_dir, mode):
    at = click(render(tripled_dir, "karta", mode=mode, query=MARCH))
    assert not at.exception
    assert all("Beskrivning" not in frame.columns for frame in frames(at))
    assert "alert(1)" not in str([frame.to_dict() for frame in frames(at)])
    assert "Enskilda händelser visas bara i internt läge." in page_text(at)


def test_public_mode_rounds_and_leaves_out_small_cells(render, tripled_dir):
    at = render(tripled_dir, "karta", mode="public", query=MARCH)
    at.toggle(key="karta_jamfor").set_value(True).run()
    assert not at.exception
    top = frames(at)[0]
    assert list(top["Nu"]) == ["10"] and list(top["Före"]) == ["10"]  # 12 and 6; NORTH (3 now) is not listed
    text = page_text(at)
    assert "Kartan visar 20 händelser" in text and "Rutor med färre än 5 händelser visas inte." in text
    assert "avrundade till närmaste 10-tal" in text
    assert at.pills(key="karta_timmar").options == ["00–06", "06–12", "12–18", "18–24"]
    assert at.pills(key="karta_dagar").options == ["Vardag", "Helg"]
    drawn = " ".join(m.value for m in at.markdown if m.value.startswith("<svg"))
    weekly = re.findall(r"\): ([\d\u00a0]+) händelse", drawn)  # a week's hover text
    assert weekly and all(int(n.replace("\u00a0", "")) % 10 == 0 for n in weekly)
    assert "Klicka på en ruta" in page_text(click(at, point=(58.3110, 12.2890)))  # where NORTH would be
    at = click(at)
    assert [m.value for m in at.metric] == ["10", "10"]
    assert frames(at)[1].to_dict("records") == [{"Kategori": "Narkotikabrott", "Nu": "10", "Före": "10"}]


def test_public_mode_lists_only_categories_with_published_counts(render, hostile_dir, tripled_dir, monkeypatch):
    # Both periods: Narkotikabrott 5, Rattfylleri 7; tripled 15 and 21.
    assert render(hostile_dir, "karta", query=MARCH).multiselect(key="karta_kategori").options == [
        "Narkotikabrott", "Rattfylleri",
    ]  # fmt: skip
    assert render(hostile_dir, "karta", mode="public", query=MARCH).multiselect(key="karta_kategori").options == [
        "Narkotikabrott", "Rattfylleri",
    ]  # fmt: skip
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", "16")  # a = 25: 'färre än 25'
    at = render(tripled_dir, "karta", mode="public", query=MARCH)
    assert at.multiselect(key="karta_kategori").options == []


def test_areas_rank_in_the_top_list_and_a_clicked_area_narrows_the_charts(render, demo_dir):
    at = render(demo_dir, "karta", query={"kommun": "1462"})
    at.toggle(key="karta_jamfor").set_value(True)
    at.button_group(key="karta_visa").set_value("Områden").run()
    assert not at.exception
    top = frames(at)[0]
    assert "Största områdena" in page_text(at) and list(top.columns) == ["Område", "Nu", "Före", "Förändring"]
    assert "Lilla Edets centrum" in set(top["Område"])
    at = click(at, point=(58.1335, 12.1245))  # inside Lilla Edets centrum
    assert at.subheader[1].value == "Valt område: Lilla Edets centrum"
    assert charts(at) == ["matrix", "trend"]


def test_in_a_presentation_the_maps_own_controls_keep_the_sub_step(render, demo_dir):
    at = render(demo_dir, "karta", mode="meeting")
    at.session_state["presenter_position"] = ("karta", 1)
    at.run()
    category = at.multiselect(key="karta_kategori")
    category.select(category.options[0])
    rerun_fragments(at)
    assert not at.exception
    assert at.session_state["presenter_position"] == ("karta", 1)
    assert at.session_state["presenter_labels"] == ["Karta och platser", "Veckodag och timme"]
    headings = [s.value for s in at.subheader]
    assert "Veckodag och timme" in headings and "Största platserna" not in headings


def test_in_a_presentation_a_clicked_cell_takes_the_top_lists_place(render, hostile_dir):
    """Beside the map, not under it: the slide must not scroll (checked in Chromium in tests/browser/test_map.py)."""
    at = render(hostile_dir, "karta", mode="meeting", query=MARCH)
    assert "Största platserna" in [s.value for s in at.subheader]
    at = click(at)
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert headings[0] == f"Vald ruta: {escape_markdown(HOSTILE_PLACE)}" and "Största platserna" not in headings
    assert [m.label for m in at.metric] == ["Under vald period"]  # the period before only when comparing
