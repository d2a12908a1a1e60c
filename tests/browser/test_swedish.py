"""No English on any page, in the real browser: Streamlit's own texts in the
multiselect's list ("Select all", "No results"), the date picker, the
toolbar over tables and charts and the uploader are shown in Swedish
(dashboard/ui/style.py). The browser speaks Swedish, as the room's does:
the calendar's month and day names follow it."""

import re

import pytest

from tests.browser.conftest import screenshot, visible_text, wait_for_app

PERIOD = "kommun=1462&period=anpassad&fran=2026-10-01&till=2026-11-30"
PAGES = [
    ("", "Händelser"), ("karta", "Veckodag och timme"), ("loften", "Polisen"), ("indikatorer", "Upplevd trygghet"),
]  # fmt: skip
ENGLISH = re.compile(
    r"\b(Select|No results|Choose|Add:|Clear|Date range|Past|Search|Type to search|Download|Fullscreen|Show/hide"
    r"|Upload|Drag and drop|Browse|per file|January|February|March|June|July|August|October"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
SWEDISH_MONTH = re.compile(r"(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)$")


def painted(page) -> list[str]:
    return [t["text"] for t in visible_text(page, painted=True)]


def english(page, where: str) -> list[str]:
    page.wait_for_timeout(400)
    return [f"{where}: {t}" for t in painted(page) if ENGLISH.search(t)]


def shown_instead(page, selector: str) -> str:
    """The Swedish text drawn in place of Streamlit's own (style.SWEDISH)."""
    element = page.locator(selector).first
    element.wait_for(timeout=10_000)
    return element.evaluate("e => getComputedStyle(e, '::after').content").strip('"')


def _open_multiselect(page) -> list[str]:
    """The filter's kommun list open, then filtered to nothing."""
    box = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name="Kommun")
    box.click()
    assert shown_instead(page, "[data-key='__select_all__'] > div") == "Välj alla"
    found = english(page, "multiselect")
    box.type("zzz")
    assert shown_instead(page, "[role='listbox'] [role='option']:not([data-key]) > span") == "Inga träffar"
    found += english(page, "no match")
    page.keyboard.press("Escape")
    return found


def _open_date_picker(page) -> list[str]:
    page.locator("[data-testid='stSidebar'] [data-testid='stDateInput'] button").last.click()
    calendar = page.locator("[data-testid='stDateInputCalendar']")
    calendar.wait_for(timeout=10_000)
    assert any(SWEDISH_MONTH.match(t) for t in painted(page)), painted(page)  # the month shown
    found = english(page, "date picker")
    page.keyboard.press("Escape")
    return found


def _hover_toolbars(page) -> list[str]:
    """Every toolbar button of the first table and the first chart, and their tooltips."""
    found = []
    for element in ("[data-testid='stDataFrame']", "[data-testid='stPlotlyChart']"):
        target = page.locator(f"[data-testid='stMain'] {element}").first
        if not target.count():
            continue
        target.scroll_into_view_if_needed()
        target.hover()
        page.wait_for_timeout(800)
        buttons = page.locator("[data-testid='stElementToolbar'] button:visible")
        assert buttons.count() or element != "[data-testid='stDataFrame']"  # a chart may have none
        for i in range(buttons.count()):
            buttons.nth(i).hover()
            page.locator("[data-testid='stTooltipContent']").first.wait_for(timeout=10_000)
            found += english(page, f"toolbar {buttons.nth(i).get_attribute('aria-label')}")
        if element == "[data-testid='stDataFrame']":
            page.locator("[data-testid='stElementToolbar'] button[aria-label='Search']").click()
            page.get_by_test_id("search-input").wait_for(timeout=10_000)
            found += english(page, "table search")
            page.keyboard.press("Escape")
    return found


@pytest.mark.parametrize(("path", "content"), PAGES)
def test_no_english_on_the_page_with_its_lists_pickers_and_toolbars_open(offline_page, app_url, path, content):
    page = offline_page
    page.goto(f"{app_url}/{path}?{PERIOD}")
    wait_for_app(page, content)
    found = english(page, "page") + _open_multiselect(page) + _open_date_picker(page) + _hover_toolbars(page)
    screenshot(page, f"swedish-{path or 'oversikt'}")
    assert not found, found


def test_no_english_on_the_import_page(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/importera")
    wait_for_app(page, "Importera händelser")
    assert shown_instead(page, "[data-testid='stFileUploaderDropzone'] button p") == "Välj fil"
    assert not english(page, "import")
