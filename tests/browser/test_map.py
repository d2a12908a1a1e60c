"""The hotspot map in headless Chromium with every outside request blocked:
Leaflet from the app itself, cells drawn, a click that shows the cell's details."""

from tests.browser.conftest import screenshot, wait_for_app

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

    cells.first.click()  # cells are drawn densest first
    wait_for_app(page, "Vald ruta")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("Senaste enskilda händelser").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "karta-cell")


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
