"""Meeting mode in the real browser, at a projector's 1920×1080: a presentation
of one kommun and one focus area driven by the clicker's keys to the end and
back. Every step keeps the selection, fits the screen without scrolling, and
shows no text under 20 px."""

from tests.browser.conftest import SCREENSHOTS, wait_for_app

SELECTION = "/?kommun=1462&fokus=narkotika&period=ar"
SUMMARY = "Lilla Edet · Narkotika · "
VIEWPORT = {"width": 1920, "height": 1080}
MIN_FONT_PX = 20
#: The element a step exists for, by sub-step label (default: the page's first chart or card).
MAIN = {
    "Karta och platser": "[data-testid='stCustomComponentV1'], iframe",
    "Sedan förra mötet": "[data-testid='stMetric']",
    "Status per aktör": ".js-plotly-plot .main-svg",
    "Veckodag och timme": ".js-plotly-plot .main-svg",
}
FALLBACK_MAIN = "[data-testid='stMain'] [data-testid='stMetric'], .lb-item, .js-plotly-plot .main-svg, [data-testid='stTable']"

#: Visible text nodes (HTML and the charts' SVG) with their computed font size, colour and box.
VISIBLE_TEXT = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || ['STYLE', 'SCRIPT', 'TITLE'].includes(el.tagName)) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter(b => b.width > 0 && b.height > 0);
    if (!boxes.some(b => b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth)) continue;
    const style = getComputedStyle(el);
    found.push({text: node.textContent.trim().slice(0, 40), px: parseFloat(style.fontSize), color: style.color});
  }
  return found;
}"""


def _step(page) -> str:
    return page.locator(".lb-step").inner_text()


def _wait_painted(page, label: str) -> None:
    """The run has ended and the step's main element is drawn (not a skeleton)."""
    wait_for_app(page, "Steg ")
    page.locator(MAIN.get(label, FALLBACK_MAIN)).first.wait_for(state="visible", timeout=30_000)
    if label == "Karta och platser":  # the map's own document: its cells are drawn
        page.frame_locator("iframe").first.locator("svg path").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)


def _press(page, key: str) -> str:
    before = _step(page)
    page.keyboard.press(key)
    page.wait_for_function("(b) => document.querySelector('.lb-step')?.innerText !== b", arg=before, timeout=30_000)
    return _step(page)


def _check_slide(page, name: str) -> None:
    step = _step(page)
    label = step.split("/", 1)[1].split(" ", 1)[1] if "·" in step else ""
    _wait_painted(page, label)
    assert page.locator(".lb-summary").inner_text().startswith(SUMMARY), step
    main = page.locator(MAIN.get(label, FALLBACK_MAIN)).first.bounding_box()
    assert main and main["y"] >= 0 and main["y"] + main["height"] <= VIEWPORT["height"], (step, main)
    assert main["x"] >= 0 and main["x"] + main["width"] <= VIEWPORT["width"], (step, main)
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m.scrollHeight - m.clientHeight; }"
    )
    assert overflow <= 2, f"{step}: {overflow} px below the screen"
    texts = page.evaluate(VISIBLE_TEXT)
    small = [t for t in texts if t["px"] < MIN_FONT_PX]
    assert not small, f"{step}: text under {MIN_FONT_PX} px: {small[:8]}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_presentation_keeps_its_selection_and_fits_every_step(offline_page, start_app, demo_dir):
    page = offline_page
    page.set_viewport_size(VIEWPORT)
    page.goto(start_app(demo_dir, mode="meeting").url + SELECTION)
    wait_for_app(page, "Steg 1 av 4")
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    steps = [_step(page)]
    _check_slide(page, "meeting-01")
    page.locator(".lb-summary").click()  # keys go to the page, not to a widget
    while page.locator(".st-key-presenter_next").count():
        steps.append(_press(page, "PageDown"))
        _check_slide(page, f"meeting-{len(steps):02d}")
    assert steps[-1].startswith("Steg 4 av 4"), steps
    assert any("Steg 2 av 4: Karta · 2/2" in s for s in steps), steps  # the map page has sub-steps
    back = [steps[-1]]
    while page.locator(".st-key-presenter_prev").count():
        back.append(_press(page, "PageUp"))
        assert page.locator(".lb-summary").inner_text().startswith(SUMMARY), back[-1]
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
    assert _press(page, "Space").startswith("Steg 2 av 4: Karta · 1/2")
    assert _press(page, "ArrowRight").startswith("Steg 2 av 4: Karta · 2/2")
    assert _press(page, "ArrowLeft").startswith("Steg 2 av 4: Karta · 1/2")
    assert page.locator(".lb-summary").inner_text().startswith(SUMMARY)
    page.keyboard.press("Escape")
    page.locator("[data-testid='stSidebar']").wait_for(state="visible", timeout=30_000)
    wait_for_app(page, "Var och när?")
    assert page.locator(".lb-step").count() == 0
    assert page.locator(".lb-summary").inner_text().startswith(SUMMARY)  # the internal view keeps it too
