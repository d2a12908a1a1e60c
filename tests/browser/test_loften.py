"""Löften in headless Chromium: an editor records an update through the form
(opened from the commitment's card), sees it in the commitment's history and
the form emptied; meeting mode shows no forms."""

import shutil

import pytest

from tests.browser.conftest import screenshot, wait_for_app

NOTE = "Kvällsvandring med föreningslivet genomförd, nästa i december"


@pytest.fixture(scope="module")
def editable_app(start_app, demo_dir, tmp_path_factory):
    """The app on a private copy of the demo data: this test writes."""
    copy = shutil.copytree(demo_dir, tmp_path_factory.mktemp("loften") / "demo")
    return start_app(copy)


def test_editor_records_an_update_and_sees_it_in_the_history(offline_page, editable_app):
    page = offline_page
    page.goto(f"{editable_app.url}/loften?kommun=1462")
    wait_for_app(page, "Sedan förra mötet")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_role("button", name="Spara uppföljning").count() == 0  # built when asked for
    main.get_by_role("button", name="Ny uppföljning").first.click()
    form = main.locator("[data-testid='stForm']").filter(has=page.get_by_role("button", name="Spara uppföljning"))
    form.wait_for()
    form.get_by_label("Anteckning").fill(NOTE)
    form.get_by_role("button", name="Spara uppföljning").click()
    wait_for_app(page, "Uppföljningen är sparad.")
    assert form.get_by_label("Anteckning").input_value() == ""  # the open form is ready for the next update
    main.locator("[data-testid='stExpander'] summary").filter(has_text="Historik").first.click()  # built when opened
    main.locator("[data-testid='stExpander'] [data-testid='stTable']").filter(has_text=NOTE).wait_for()
    history = main.locator("[data-testid='stTable']").filter(has_text=NOTE)
    assert history.count() >= 1  # the commitment's history (and "sedan förra mötet")
    first_row = history.first.locator("tbody tr").first
    assert NOTE in first_row.inner_text() and "lokal användare" in first_row.inner_text()
    assert main.get_by_text("Senaste uppföljning", exact=False).filter(has_text=NOTE).count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    history.last.scroll_into_view_if_needed()
    shot = screenshot(page, "loften-update-recorded")
    assert shot.stat().st_size > 50_000


def test_meeting_mode_shows_status_without_forms_or_notes(offline_page, start_app, demo_dir):
    page = offline_page
    page.goto(f"{start_app(demo_dir, 'meeting').url}/loften?kommun=1462")
    wait_for_app(page, "Status per aktör")
    main = page.locator("[data-testid='stMain']")
    page.locator(".lb-summary").click()
    badges = 0
    while page.locator(".lb-step").inner_text().startswith("Steg 3"):  # every sub-step of Löften
        wait_for_app(page, "Håller vi våra löften?")
        badges += main.locator(".lb-status").count()
        assert main.get_by_role("button", name="Spara uppföljning").count() == 0
        assert main.get_by_role("button", name="Ny uppföljning").count() == 0
        assert main.get_by_text("Kommunpolis").count() == 0  # no authors or notes on the wall
        if "Sedan förra mötet" in page.locator(".lb-step").inner_text():
            screenshot(page, "loften-meeting-mode-since")
        before = page.locator(".lb-step").inner_text()
        page.keyboard.press("PageDown")
        page.wait_for_function("(b) => document.querySelector('.lb-step')?.innerText !== b", arg=before)
    assert badges >= 6  # a status badge per commitment, one actor's cards at a time
    page.keyboard.press("PageUp")
    wait_for_app(page, "Håller vi våra löften?")
    screenshot(page, "loften-meeting-mode")
