"""The hotspot map in headless Chromium with every outside request blocked:
Leaflet from the app itself, cells drawn, a click that shows the cell's details."""

import shutil

import pytest
import shapely

from dashboard import cli, geography
from tests.browser.conftest import screenshot, wait_for_app
from tests.mbtiles import write_mbtiles

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def test_map_draws_offline_and_a_clicked_cell_shows_its_details(offline_page, app_url):
    page = offline_page
    page.set_viewport_size({"width": 1600, "height": 2200})  # map and details in one screenshot
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(f"{app_url}/karta?kommun=1488")
    wait_for_app(page, "Största platserna")
    leaflet = page.frame_locator(MAP_FRAME)
    cells = leaflet.locator(".leaflet-container .leaflet-overlay-pane path.leaflet-interactive")
    cells.first.wait_for()
    assert cells.count() >= 5
    assert leaflet.locator(".lb-legend").inner_text().startswith("Händelser per ruta")
    assert f"{app_url}/app/static/vendor/leaflet/leaflet.js" in loaded
    assert screenshot(page, "karta-map").stat().st_size > 50_000

    assert "Leaflet" not in leaflet.locator("body").inner_text()  # no credits without tiles
    page.locator(MAP_FRAME).content_frame.locator("body").evaluate("() => { window.lbDrawn = true; }")

    cells.first.click()  # cells are drawn densest first
    wait_for_app(page, "Vald ruta")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("Senaste enskilda händelser").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    # The click changed nothing on the map: the same drawn map, not a new frame.
    assert page.locator(MAP_FRAME).count() == 1
    assert page.locator(MAP_FRAME).content_frame.locator("body").evaluate("() => window.lbDrawn") is True
    screenshot(page, "karta-cell")


def test_on_the_wall_a_clicked_cell_keeps_the_slide_without_scrolling(offline_page, start_app, demo_dir):
    page = offline_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{start_app(demo_dir, 'meeting').url}/karta?kommun=1488&period=ar")
    wait_for_app(page, "Största platserna")
    leaflet = page.frame_locator(MAP_FRAME)
    cells = leaflet.locator(".leaflet-container .leaflet-overlay-pane path.leaflet-interactive")
    cells.first.wait_for()
    legend_px = leaflet.locator(".lb-legend").evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
    assert legend_px >= 20  # read from four metres
    cells.first.click()
    wait_for_app(page, "Vald ruta")
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m.scrollHeight - m.clientHeight; }"
    )
    assert overflow <= 2, f"{overflow} px below the screen"
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "karta-meeting-cell")


def test_compare_redraws_the_map_as_change(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/karta?kommun=1488")
    wait_for_app(page, "Största platserna")
    page.get_by_text("Jämför med föregående period").click()
    # The new map is built in a new frame before the old one goes.
    legend = page.locator(MAP_FRAME).last.content_frame.locator(".lb-legend")
    legend.get_by_text("Förändring per ruta").wait_for()
    wait_for_app(page, "Största platserna")
    assert page.locator(MAP_FRAME).count() == 1
    assert "Ökning" in legend.inner_text() and "Minskning" in legend.inner_text()
    screenshot(page, "karta-compare")


def _show_areas(page, query: str) -> None:
    page.goto(f"{page.app_url}/karta?{query}")
    wait_for_app(page, "Största platserna")
    page.locator("[data-testid='stMain']").get_by_text("Områden", exact=True).click()
    wait_for_app(page, "Största områdena")


@pytest.mark.parametrize(
    ("name", "query", "kommuner"),
    [("lilla-edet", "kommun=1462", ["Lilla Edet"]), ("stenungsund-orust-tjorn", "kommun=1415,1421,1419",
                                                      ["Stenungsund", "Orust", "Tjörn"])],
)  # fmt: skip
def test_outlines_names_and_areas_draw_offline(offline_page, app_url, name, query, kommuner):
    page = offline_page
    page.app_url = app_url
    page.set_viewport_size({"width": 1600, "height": 1300})
    page.goto(f"{app_url}/karta?{query}")
    wait_for_app(page, "Största platserna")
    leaflet = page.frame_locator(MAP_FRAME)
    leaflet.locator(".lb-kommun").first.wait_for()
    assert sorted(leaflet.locator(".lb-kommun").all_inner_texts()) == sorted(kommuner)
    assert leaflet.locator(".leaflet-control-scale-line").count() == 1  # metric only: no miles
    screenshot(page, f"karta-{name}")
    _show_areas(page, query)
    leaflet = page.locator(MAP_FRAME).last.content_frame
    leaflet.locator(".lb-legend").get_by_text("Händelser per område").wait_for()
    assert leaflet.locator(".lb-area").count() >= 3
    assert leaflet.locator(".lb-area >> visible=true").count() >= 1  # named where there is room
    screenshot(page, f"karta-{name}-omraden")


@pytest.fixture(scope="module")
def basemap_url(start_app, demo_dir, tmp_path_factory):
    """The demo data with an offline base map over Lilla Edet imported from an MBTiles file."""
    data_dir = tmp_path_factory.mktemp("basemap") / "data"
    shutil.copytree(demo_dir, data_dir)
    mbtiles = data_dir.parent / "lilla-edet.mbtiles"
    write_mbtiles(mbtiles, tuple(shapely.bounds(geography.boundary("1462"))))
    assert cli.main(["--data-dir", str(data_dir), "basemap", "import", str(mbtiles)]) == 0
    return start_app(data_dir).url


def test_the_map_loads_imported_tiles_from_the_apps_own_address(offline_page, basemap_url):
    page = offline_page
    tiles = []
    page.on("response", lambda r: tiles.append((r.url, r.status)) if "/app/static/basemap/" in r.url else None)
    page.goto(f"{basemap_url}/karta?kommun=1462")
    wait_for_app(page, "Största platserna")
    leaflet = page.frame_locator(MAP_FRAME)
    leaflet.locator(".leaflet-tile-loaded").first.wait_for()
    assert tiles and all(url.startswith(f"{basemap_url}/app/static/basemap/") for url, _ in tiles)
    assert any(status == 200 for _, status in tiles)
    assert leaflet.locator(".leaflet-control-attribution").inner_text().strip() == "© Testkommunen"  # no "Leaflet"
    screenshot(page, "karta-basemap")
    # offline_page asserts that no request to another host was attempted.
