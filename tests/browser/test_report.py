"""The meeting report in headless Chromium with no network: the HTML file
opens from disk, draws its map, matrix and sparklines, prints to A4, and the
download buttons hand it over from a running app."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

import pytest

from dashboard import db, storage
from dashboard.filters import Selection
from dashboard.report import build as report
from dashboard.report import html as report_html
from tests.browser.conftest import SCREENSHOTS, AppServer, screenshot
from tests.datasets import TODAY

SECTIONS = {
    "nyckeltal": "Nyckeltal",
    "platser": "Var: största platserna",
    "veckodag-timme": "När: veckodag och timme",
    "loften": "Löften och åtaganden",
    "indikatorer": "Indikatorer",
}


def last_quarter() -> Selection:
    return Selection(("1462", "1488"), (), "anpassad", TODAY - timedelta(days=90), TODAY)


@pytest.fixture
def file_page(browser):
    """A page for local files: every request that is not file: or data: is recorded
    (and blocked where the browser lets it be routed); none may happen."""
    context = browser.new_context(viewport={"width": 1000, "height": 1300}, locale="sv-SE")
    page = context.new_page()
    page.outside = []

    def outside(url: str) -> bool:
        return not url.startswith(("file:", "data:"))

    page.on("request", lambda r: page.outside.append(r.url) if outside(r.url) else None)
    context.route(re.compile(r"^(?!file:|data:)"), lambda r: r.abort())
    yield page
    context.close()
    assert page.outside == [], f"the report asked for: {page.outside}"


@pytest.fixture
def report_file(demo_dir, tmp_path):
    """report_file(mode) -> the demo report of the last quarter as an HTML file."""
    run = partial(db.run_query, db.connect(demo_dir))

    def _write(mode: str):
        built = report.build(run, last_quarter(), mode)
        return storage.write_bytes_atomic(tmp_path / f"rapport-{mode}.html", report_html.render(built).encode("utf-8"))

    return _write


@pytest.mark.parametrize("mode", ["internal", "public"])
def test_the_report_opens_offline_draws_its_charts_and_prints_on_a4(file_page, report_file, mode):
    page = file_page
    page.goto(report_file(mode).as_uri())
    for ident, title in SECTIONS.items():
        assert page.locator(f"#{ident} h2").inner_text() == title
    assert page.locator("#platser svg rect").count() > (20 if mode == "internal" else 3)  # cells of the static map
    assert page.locator("#platser svg").bounding_box()["height"] > 200
    now = [int(n.replace("\u00a0", "")) for n in page.locator("#platser table").first.locator("tbody td:nth-child(3)").all_inner_texts()]
    assert len(now) == 10 if mode == "internal" else 0 < len(now) <= 10 and min(now) >= 10  # public: rounded, 10 or more
    rows, columns = (7, 24) if mode == "internal" else (2, 4)  # public: weekday/weekend × six-hour bands
    assert page.locator("#veckodag-timme tbody tr").count() == rows
    assert page.locator("#veckodag-timme tbody td").count() == rows * (columns + 1)
    sparks = page.locator("#indikatorer img")
    assert sparks.count() > 5
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator(".lb-status").first.is_visible()  # status badges with symbol and text
    screenshot(page, f"report-{mode}")
    for ident in ("nyckeltal", "platser", "veckodag-timme"):
        page.locator(f"#{ident}").screenshot(path=SCREENSHOTS / f"report-{mode}-{ident}.png")

    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / f"report-{mode}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3
    page.emulate_media(media="print")
    assert page.locator("#platser svg").bounding_box()["height"] < 95 / 25.4 * 96 + 2  # fits under the key numbers


def test_the_public_report_says_what_it_leaves_out(file_page, report_file):
    page = file_page
    page.goto(report_file("public").as_uri())
    assert page.locator(".version").inner_text() == report.VERSIONS["public"]
    assert "Rutor med färre än 5 händelser visas inte" in page.locator("#platser").inner_text()
    assert page.locator(".note").count() == 0


def test_the_download_buttons_deliver_the_report_from_a_running_app(browser, demo_dir, tmp_path):
    """The buttons in a small app of their own (the frame adds them to the sidebar)."""
    script = tmp_path / "knappar.py"
    script.write_text(
        "from datetime import timedelta\n"
        "from dashboard import clock\n"
        "from dashboard.ui import report_buttons\n"
        "from dashboard.filters import Selection\n"
        "today = clock.today()\n"
        "report_buttons.download_buttons(Selection(('1462',), (), 'anpassad', today - timedelta(days=90), today))\n",
        encoding="utf-8",
    )
    server = AppServer(demo_dir, "public", script=script)
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(server.url)
        for label, suffix in (("Rapport (HTML, för utskrift)", ".html"), ("Rapport (Excel)", ".xlsx")):
            button = page.get_by_role("button", name=label)
            button.wait_for(timeout=30_000)
            with page.expect_download(timeout=60_000) as download:
                button.click()
            assert download.value.suggested_filename.endswith(suffix)
            data = open(download.value.path(), "rb").read()
            assert data.startswith(b"<!DOCTYPE html>" if suffix == ".html" else b"PK")
            if suffix == ".html":
                assert report.VERSIONS["public"].encode() in data
    finally:
        context.close()
        server.stop()
