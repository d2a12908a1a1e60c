"""Meeting mode in the real browser, at a projector's 1920×1080: a presentation
of one kommun and one focus area driven by the clicker's keys to the end and
back. Every step keeps the selection, fits the screen without scrolling, and
shows no text under 20 px."""

from tests.browser.conftest import wait_for_app
from tests.browser.presenting import VIEWPORT, check_slide, press, step, summary

SELECTION = "/?kommun=1462&fokus=narkotika&period=ar"
SUMMARY = "Lilla Edet · Narkotika · "


def test_a_presentation_keeps_its_selection_and_fits_every_step(offline_page, start_app, demo_dir):
    page = offline_page
    page.set_viewport_size(VIEWPORT)
    page.goto(start_app(demo_dir, mode="meeting").url + SELECTION)
    wait_for_app(page, "Steg 1 av 4")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    steps = [step(page)]
    check_slide(page, "meeting-01", SUMMARY)
    page.locator(".lb-summary").click()  # keys go to the page, not to a widget
    while page.locator(".st-key-presenter_next").count():
        steps.append(press(page, "PageDown"))
        check_slide(page, f"meeting-{len(steps):02d}", SUMMARY)
    assert steps[-1].startswith("Steg 4 av 4"), steps
    assert any("Steg 2 av 4: Karta · 2/2" in s for s in steps), steps  # the map page has sub-steps
    back = [steps[-1]]
    while page.locator(".st-key-presenter_prev").count():
        back.append(press(page, "PageUp"))
        assert summary(page).startswith(SUMMARY), back[-1]
    assert back == steps[::-1]  # back through the same sub-steps to the start
    font_px = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert font_px >= 22


def test_space_and_arrows_step_and_esc_ends_a_presentation(offline_page, app_url):
    page = offline_page
    page.set_viewport_size(VIEWPORT)
    page.goto(app_url + SELECTION)
    wait_for_app(page, "Översikt")
    page.get_by_role("button", name="Presentera (mötesläge)").click()
    wait_for_app(page, "Steg 1 av 4")
    page.locator(".lb-summary").click()
    assert press(page, "Space").startswith("Steg 2 av 4: Karta · 1/2")
    assert press(page, "ArrowRight").startswith("Steg 2 av 4: Karta · 2/2")
    assert press(page, "ArrowLeft").startswith("Steg 2 av 4: Karta · 1/2")
    assert summary(page).startswith(SUMMARY)
    page.keyboard.press("Escape")
    page.locator("[data-testid='stSidebar']").wait_for(state="visible", timeout=30_000)
    wait_for_app(page, "Var och när?")
    assert page.locator(".lb-step").count() == 0
    assert summary(page).startswith(SUMMARY)  # the internal view keeps it too
