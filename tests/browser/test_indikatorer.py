"""The Indikatorer page in headless Chromium, offline: a linked indicator with
its chart (gap included), the link from a desired effect, and an editor's upload."""

import shutil

import pandas as pd

from tests.browser.conftest import screenshot, wait_for_app

#: Streamlit scrolls inside its main area, so a full-page screenshot needs a tall window.
TALL = {"width": 1600, "height": 4200}


def test_linked_indicator_with_chart_and_gap(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/indikatorer?kommun=1462,1488&indikator=upplevd_trygghet")
    wait_for_app(page, "★ Upplevd trygghet")
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Önskad riktning: ↑ Ska öka").first.wait_for()
    main.get_by_text("Lilla Edet · 2025").first.wait_for()
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".scatterlayer .trace").first.wait_for()
    assert chart.locator(".scatterlayer .trace").count() == 3  # Lilla Edet, Trollhättan, their shared target
    assert chart.get_by_text("Löfte Lilla Edet").count() == 1  # the pledge period is shaded and named
    segments = chart.locator(".scatterlayer .trace").nth(1).locator("path.js-line")
    assert segments.count() == 2  # Trollhättan's line breaks at 2022 instead of bridging the gap
    assert chart.locator(".scatterlayer .trace").nth(0).locator("path.js-line").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    assert screenshot(page, "indikatorer-lankad").stat().st_size > 60_000


def test_effect_link_opens_its_indicator(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/indikatorer?kommun=1462")
    wait_for_app(page, "Löftenas önskade effekter")
    effect = page.locator("[data-testid='stHorizontalBlock']").filter(has_text="Andelen upptäckta narkotikabrott ska öka")
    effect.get_by_role("link", name="Visa diagrammet").click()
    wait_for_app(page, "★ Upptäckta narkotikabrott")
    assert "indikator=upptackta_narkotikabrott" in page.url
    assert "kommun=1462" in page.url  # the selection stays
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    screenshot(page, "indikatorer-fran-effekt")


def test_editor_uploads_values_and_sees_them(offline_page, start_app, demo_dir, tmp_path):
    data = shutil.copytree(demo_dir, tmp_path / "data")
    url = start_app(data).url
    page = offline_page
    page.goto(f"{url}/indikatorer?kommun=1462")
    wait_for_app(page, "Importera indikatorvärden")
    bad = tmp_path / "fel.csv"
    bad.write_text("indikator;kommun;period;värde\nUpplevd trygghet;Lilla Edet;2026;mycket\n", encoding="utf-8")
    upload(page, bad)
    wait_for_app(page, "Inget importerades")
    page.get_by_text("fel.csv, rad 2, kolumn värde: inte ett tal").wait_for()  # named row and column
    good = tmp_path / "nya.csv"
    good.write_text("indikator;kommun;period;värde;mål\nUpplevd trygghet;Lilla Edet;2026;88,8;75\n", encoding="utf-8")
    upload(page, good)
    wait_for_app(page, "1 värde importerat, 0 fanns redan.")
    table = page.locator(".lb-indicators tbody[data-indicator='upplevd_trygghet']")
    table.get_by_text("88,8\u00a0% (2026)").wait_for()  # the overview shows it at once
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Upplevd trygghet").click()
    page.get_by_text("Lilla Edet · 2026").first.wait_for()
    page.get_by_test_id("stMetricValue").filter(has_text="88,8").first.wait_for()
    stored = pd.read_parquet(data / "indicator_values.parquet")
    assert ((stored["kommun_kod"] == "1462") & (stored["value"] == 88.8)).sum() == 1
    mixed = tmp_path / "blandat.csv"
    mixed.write_text("indikator;kommun;period;värde\nUpplevd trygghet;Trollhättan;2026;70\nokänd;1462;2026;1\n", encoding="utf-8")
    upload(page, mixed, skip_invalid=True)
    wait_for_app(page, "1 fel: raderna med fel hoppades över.")
    page.get_by_text("blandat.csv, rad 3, kolumn indikator: okänd indikator").wait_for()
    page.get_by_role("button", name="Hämta de avvisade raderna (CSV)").wait_for()
    page.set_viewport_size(TALL)
    page.wait_for_timeout(800)
    screenshot(page, "indikatorer-import")


def upload(page, path, skip_invalid: bool = False) -> None:
    form = page.locator("[data-testid='stForm']")
    form.locator("input[type='file']").set_input_files(str(path))
    form.get_by_text(path.name).wait_for()
    if skip_invalid:
        form.get_by_text("Importera giltiga rader och hoppa över felaktiga").click()
    form.get_by_role("button", name="Importera").click()
