"""Meeting mode in the real browser: large type, no sidebar, driven by the clicker keys."""

from tests.browser.conftest import screenshot, wait_for_app

STEPS = ["Översikt", "Var och när?", "Håller vi våra löften?", "Fungerar det?"]


def test_a_meeting_is_driven_from_the_keyboard(offline_page, start_app, demo_dir):
    page = offline_page
    page.goto(start_app(demo_dir, mode="meeting").url)
    wait_for_app(page, "Steg 1 av 4")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.get_by_text("Alla kommuner · Alla fokusområden").is_visible()
    screenshot(page, "meeting-1")
    for number, title in enumerate(STEPS[1:], start=2):
        page.locator("[data-testid='stMain']").click(position={"x": 5, "y": 5})
        page.keyboard.press("PageDown")
        wait_for_app(page, title)  # the page's own heading: the frame's step line comes first
        assert page.get_by_text(f"Steg {number} av 4").is_visible()
        screenshot(page, f"meeting-{number}")
    page.keyboard.press("PageUp")
    wait_for_app(page, STEPS[2])
    assert page.get_by_text("Steg 3 av 4").is_visible()
    font_px = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert font_px >= 22
