"""Issue #15's walk-through for a kommun outside the seeds (Uppsala): `init`,
a pledge with commitments through the app's forms, population, areas and an
offline base map imported, then Karta in Chromium shows Uppsala's outline,
its areas and the imported tiles with no request leaving the machine.
Each step's seconds are printed (run with -s to see them)."""

from __future__ import annotations

import time

import shapely

from dashboard import PROJECT_ROOT, cli, geography
from dashboard.imports import statistics  # noqa: F401  registers the population format, which `import population` alone does not yet
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_map import MAP_FRAME
from tests.conftest import open_expanders
from tests.mbtiles import write_mbtiles
from tests.test_areas import feature, write_geojson

SCB_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "sources" / "scb_BE0101N1_pxweb.csv"
#: Around Uppsala's centre, Gränby and Gottsunda.
AREAS = {
    "Centrum": ("centrum", shapely.box(17.625, 59.852, 17.655, 59.865)),
    "Gränby": ("bostadsomrade", shapely.box(17.670, 59.870, 17.695, 59.882)),
    "Gottsunda": ("stadsdel", shapely.box(17.595, 59.800, 17.625, 59.812)),
}


class Steps:
    """Times the steps of the walk-through."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str):
        self.name, self.started = name, time.perf_counter()
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.seconds[self.name] = time.perf_counter() - self.started
        print(f"walk-through: {self.name}: {self.seconds[self.name]:.1f} s")


def _population_file(path):
    """The SCB Folkmängd fixture (ISO-8859-1, as PxWeb saves it) with Uppsala's row."""
    text = SCB_FIXTURE.read_bytes().decode("latin-1")
    text = text.replace('"1462 Lilla Edet",14151,14208', '"0380 Uppsala",240857,242140')
    path.write_bytes(text.encode("latin-1"))
    return path


def _forms(data_dir, render) -> None:
    """An editor creates the pledge and the commitments of polisen and kommunen in the app."""
    at = open_expanders(render(data_dir, "loften", query={"kommun": "0380"}), "l_form_pledge", "l_form_commitment")
    at.text_input(key="p_None_title").input("Medborgarlöfte Uppsala 2027–2028")
    at.multiselect(key="p_None_focus_areas").set_value(["trygghet_offentlig_miljo"])
    next(b for b in at.button if b.label == "Spara löftet").click().run()
    for actor in ("polisen", "kommunen"):
        at.selectbox(key="c_None_actor").set_value(actor)
        at.text_area(key="c_None_text").input(f"{actor.title()} är på plats på Vaksala torg fredagskvällar.")
        at.multiselect(key="c_None_focus_areas").set_value(["trygghet_offentlig_miljo"])
        next(b for b in at.button if b.label == "Spara åtagandet").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Åtagandet är sparat."]


def test_uppsala_from_nothing_to_its_map(tmp_path, render, editor, start_app, offline_page):
    step, data_dir = Steps(), tmp_path / "data"
    with step("init --kommun 0380"):
        assert cli.main(["--data-dir", str(data_dir), "init", "--kommun", "0380"]) == 0
    with step("pledge and two commitments through the forms (AppTest)"):
        _forms(data_dir, render)
    with step("import population (SCB Folkmängd)"):
        population = _population_file(tmp_path / "folkmangd.csv")
        assert cli.main(["--data-dir", str(data_dir), "import", "population", str(population)]) == 0
    with step("import areas (GeoJSON)"):
        areas = write_geojson(tmp_path / "omraden.geojson", *(feature(n, k, g) for n, (k, g) in AREAS.items()))
        assert cli.main(["--data-dir", str(data_dir), "import", "areas", str(areas)]) == 0
    with step("basemap import (MBTiles)"):
        mbtiles = tmp_path / "uppsala.mbtiles"
        write_mbtiles(mbtiles, tuple(shapely.bounds(geography.boundary("0380"))), zooms=range(6, 11))
        assert cli.main(["--data-dir", str(data_dir), "basemap", "import", str(mbtiles)]) == 0
    with step("Karta in Chromium: outline, areas, tiles"):
        url = start_app(data_dir).url
        page, tiles = offline_page, []
        page.on("response", lambda r: tiles.append(r.url) if "/app/static/basemap/" in r.url else None)
        page.goto(f"{url}/karta?kommun=0380")
        wait_for_app(page, "Största platserna")
        leaflet = page.frame_locator(MAP_FRAME)
        leaflet.locator(".leaflet-tile-loaded").first.wait_for()
        assert leaflet.locator(".lb-kommun").all_inner_texts() == ["Uppsala"]
        page.locator("[data-testid='stMain']").get_by_text("Områden", exact=True).click()
        wait_for_app(page, "Största områdena")
        leaflet = page.locator(MAP_FRAME).last.content_frame
        leaflet.locator(".lb-legend").get_by_text("Händelser per område").wait_for()
        assert leaflet.locator(".lb-area").count() == len(AREAS)
        assert tiles and all(t.startswith(f"{url}/app/static/basemap/") for t in tiles)
    screenshot(page, "karta-uppsala-walkthrough")
    print(f"walk-through: total {sum(step.seconds.values()):.1f} s")
    # offline_page asserts that no request to another host was attempted.

