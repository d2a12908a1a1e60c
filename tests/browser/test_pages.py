"""Every page in headless Chromium with the demo data, with no outside request."""

import pytest

from tests.browser.conftest import screenshot, wait_for_app

PAGES = [
    ("", "Översikt", "Händelser"),
    ("karta", "Var och när?", "Veckodag och timme"),
    ("loften", "Håller vi våra löften?", "Polisen"),
    ("indikatorer", "Fungerar det?", "Upplevd trygghet"),
]


@pytest.mark.parametrize(("path", "title", "content"), PAGES)
def test_page_renders_offline(offline_page, app_url, path, title, content):
    offline_page.goto(f"{app_url}/{path}")
    wait_for_app(offline_page, content)
    main = offline_page.locator("[data-testid='stMain']")
    assert main.get_by_role("heading", name=title).is_visible()
    assert offline_page.locator("[data-testid='stException']").count() == 0
    shot = screenshot(offline_page, f"page-{path or 'oversikt'}")
    assert shot.stat().st_size > 20_000  # a blank page is a few kilobytes
