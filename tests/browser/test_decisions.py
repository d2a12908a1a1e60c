"""A decision recorded during a meeting, in the real browser: the presenter
starts the meeting from the panel, records a decision on the Karta slide,
downloads the minutes, and at the next meeting (a later "today") the
decision shows under "Sedan förra mötet" with its status."""

import shutil
from datetime import timedelta

from tests.browser.conftest import SCREENSHOTS, screenshot, wait_for_app
from tests.browser.presenting import VIEWPORT, close_panel, panel, record_decision, start_meeting, wait_in
from tests.datasets import TODAY

DECISION = "Kvällsvandringar vid busstationen varje fredag"


def test_a_decision_of_one_meeting_is_followed_up_at_the_next(offline_page, start_app, demo_dir, tmp_path):
    data = shutil.copytree(demo_dir, tmp_path / "demo")
    page = offline_page
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{start_app(data).url}/?kommun=1462&fokus=narkotika")
    wait_for_app(page, "Översikt")
    page.get_by_role("button", name="Presentera (mötesläge)").click()
    wait_for_app(page, "Steg 1 av 4")
    start_meeting(page)
    close_panel(page)
    page.keyboard.press("PageDown")
    wait_for_app(page, "Steg 2 av 4")
    record_decision(page, DECISION, owner="Fältgruppen", place="Busstationen")
    popover = panel(page)
    assert popover.get_by_text(DECISION).count() == 1
    assert page.get_by_text("Steg 2 av 4").is_visible()  # the slide stayed
    page.screenshot(path=str(SCREENSHOTS / "meeting-panel-decision.png"))
    popover.get_by_role("button", name="Spara mötet").click()
    wait_in(popover, "Mötet är sparat med dagordning och beslut.")
    with page.expect_download() as download:
        popover.get_by_role("button", name="Minnesanteckningar (HTML, för utskrift)").click()
    minutes = tmp_path / download.value.suggested_filename
    download.value.save_as(minutes)
    assert minutes.name == f"minnesanteckningar-{TODAY.isoformat()}-lilla_edet.html"
    text = minutes.read_text(encoding="utf-8")
    assert DECISION in text and "Översikt → Karta" in text and "<script" not in text
    page.set_content(text)
    page.screenshot(path=str(SCREENSHOTS / "minutes.png"), full_page=True)

    later = start_app(data, env={"LAGESBILD_TODAY": (TODAY + timedelta(days=40)).isoformat()})
    page.goto(f"{later.url}/loften?kommun=1462")
    wait_for_app(page, "Sedan förra mötet")
    main = page.locator("[data-testid='stMain']")
    wait_for_app(page, f"Beslut vid mötet {TODAY.isoformat()}")
    item = main.locator(".lb-item").filter(has_text=DECISION)
    assert item.count() >= 1  # in "sedan förra mötet" and as an action card
    due = (TODAY + timedelta(days=30)).isoformat()
    assert main.get_by_text(f"Försenad (förfallodag {due} passerad)").count() >= 1  # due 30 days after, now 40
    main.get_by_text(f"Beslut vid mötet {TODAY.isoformat()}").scroll_into_view_if_needed()
    screenshot(page, "next-meeting-decisions")
    assert page.locator("[data-testid='stException']").count() == 0
