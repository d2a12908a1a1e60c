"""Helpers for driving a presentation and its meeting panel in the browser, at a
projector's 1920×1080: step with the clicker's keys, check that a slide keeps
the selection, fits the screen and shows no text under 20 px, and record
decisions in the meeting panel without leaving the slide."""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS, visible_text, wait_for_app

VIEWPORT = {"width": 1920, "height": 1080}
MIN_FONT_PX = 20
#: The element a step exists for, by sub-step label (default: the page's first chart or card).
MAIN = {
    "Karta och platser": "[data-testid='stCustomComponentV1'], iframe",
    "Sedan förra mötet": "[data-testid='stMetric']",
    "Uppföljningar sedan mötet": "[data-testid='stMain'] :is([data-testid='stTable'], [data-testid='stAlert'])",
    "Status per aktör": ".js-plotly-plot .main-svg",
    "Veckodag och timme": "table.lb-heat",
}
FALLBACK_MAIN = "[data-testid='stMain'] [data-testid='stMetric'], .lb-item, .js-plotly-plot .main-svg, [data-testid='stTable']"

def step(page) -> str:
    """The step bar's text: 'Steg 2 av 4: Karta · 1/2 Karta och platser'."""
    return page.locator(".lb-step").inner_text()


def summary(page) -> str:
    return page.locator(".lb-summary").inner_text()


def _wait_painted(page, label: str) -> None:
    """The run has ended and the step's main element is drawn (not a skeleton)."""
    wait_for_app(page, "Steg ")
    page.locator(MAIN.get(label, FALLBACK_MAIN)).first.wait_for(state="visible", timeout=30_000)
    if label == "Karta och platser":  # the map's own document: its cells are drawn
        page.frame_locator("iframe").first.locator("svg path").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)


def press(page, key: str) -> str:
    """Press a clicker key and wait for the step it leads to."""
    before = step(page)
    page.keyboard.press(key)
    page.wait_for_function("(b) => document.querySelector('.lb-step')?.innerText !== b", arg=before, timeout=30_000)
    # The step bar changes early in the run: wait for its end, so that the next key
    # meets the new step's key handler (stepping back pressed into a run and was lost).
    wait_for_app(page, "Steg ")
    return step(page)


def check_slide(page, name: str, selection: str) -> None:
    """The slide shown keeps the selection (its summary starts with `selection`),
    its main element lies inside the screen, nothing is below it, no visible
    text is under 20 px; a screenshot `name`.png of the screen."""
    now = step(page)
    label = now.split("/", 1)[1].split(" ", 1)[1] if "·" in now else ""
    _wait_painted(page, label)
    assert summary(page).startswith(selection), now
    main = page.locator(MAIN.get(label, FALLBACK_MAIN)).first.bounding_box()
    assert main and main["y"] >= 0 and main["y"] + main["height"] <= VIEWPORT["height"], (now, main)
    assert main["x"] >= 0 and main["x"] + main["width"] <= VIEWPORT["width"], (now, main)
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m.scrollHeight - m.clientHeight; }"
    )
    assert overflow <= 2, f"{now}: {overflow} px below the screen"
    small = [(t["text"][:40], t["px"]) for t in visible_text(page) if t["px"] < MIN_FONT_PX]
    assert not small, f"{now}: text under {MIN_FONT_PX} px: {small[:8]}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


# -- the meeting panel -------------------------------------------------------------------


def panel(page):
    """The meeting panel is a popover, drawn outside the main area."""
    return page.locator("[data-testid='stPopoverBody']")


def wait_in(popover, text: str) -> None:
    popover.get_by_text(text).first.wait_for(timeout=30_000)


def close_panel(page) -> None:
    """Close the panel by clicking beside it (Esc would end the presentation)."""
    page.locator("[data-testid='stMain']").click(position={"x": 5, "y": 5})
    panel(page).first.wait_for(state="hidden", timeout=30_000)


def start_meeting(page, present: tuple[str, ...] = ()) -> None:
    """Start the meeting from the panel on the step shown, with the roles `present`."""
    page.get_by_role("button", name="Starta möte").click()
    popover = panel(page)
    for role in present:
        popover.get_by_role("combobox", name="Närvarande").fill(role)
        page.keyboard.press("Enter")
    popover.get_by_text("Mötestyp").click()  # closes the list (Esc would end the presentation)
    popover.get_by_role("button", name="Starta mötet").click()
    wait_in(popover, "Mötet är startat.")


def record_decision(page, text: str, owner: str = "", place: str = "") -> None:
    """Open the panel on the step shown (once the step has run) and save a decision."""
    popover = panel(page)
    if not popover.get_by_label("Vad ska göras?").first.is_visible():  # it may still be open from a step before
        page.get_by_role("button", name="Möte och beslut").click()
    page.wait_for_function(  # the panel of the step before is gone once the new step has run
        "() => document.querySelectorAll('[data-testid=stPopoverBody] textarea').length === 1", timeout=30_000
    )
    popover.get_by_label("Vad ska göras?").fill(text)
    popover.get_by_label("Person eller enhet (valfritt)").fill(owner)
    popover.get_by_label("Område eller plats").fill(place)
    popover.get_by_role("button", name="Spara beslutet").click()
    wait_in(popover, "Beslutet är sparat som insats.")
    assert popover.get_by_label("Vad ska göras?").input_value() == ""  # the form is ready for the next one
