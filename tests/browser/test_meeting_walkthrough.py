"""The lägesbildsmöte from start to follow-up, in the real browser at 1920×1080,
for Lilla Edet and for Stenungsund + Orust + Tjörn: the presenter steps through
every step and sub-step with PageDown alone; each keeps the selection, fits the
screen and is readable (presenting.check_slide). The recorder starts the
meeting in the panel, records three decisions on three slides and ends it; the
minutes come out in one click. Forty days later, at the next meeting, "Beslut
vid mötet" lists the three decisions with their status. Screenshots of every
step go to test-artifacts/screenshots/walk-*."""

import re
import shutil
import time
from datetime import timedelta

import pytest

from tests.browser.conftest import SCREENSHOTS, wait_for_app
from tests.browser.presenting import (
    VIEWPORT, check_slide, close_panel, panel, press, record_decision, start_meeting, step, summary, wait_in,
)  # fmt: skip
from tests.datasets import TODAY

PRESENT = ("Kommunpolis", "Trygghetssamordnare")
#: What the meeting decides, one decision on each of Karta, Löften and Indikatorer: (text, owner, place).
DECISIONS = (
    ("Kvällsvandringar kring stationen fredag och lördag", "Fältgruppen", "Stationsområdet"),
    ("Polisen och socialtjänsten går igenom orosanmälningarna varje månad", "Socialtjänsten", ""),
    ("Ny trygghetsmätning i skolorna före sommaren", "Trygghetssamordnaren", "Skolorna"),
)
#: 'Steg 2 av 4: Karta · 1/2 Karta och platser' -> page number, sub-step and sub-step count.
STEP = re.compile(r"Steg (\d) av 4: [^·]+(?:· (\d+)/(\d+))?")
WALKS = [
    pytest.param("kommun=1462&fokus=narkotika", ("Lilla Edet",), id="lilla-edet"),
    # Their pledge ran 2023–2024: the meeting looks back over its whole period.
    pytest.param(
        "kommun=1415,1421,1419&period=lofte", ("Stenungsund", "Orust", "Tjörn"), id="stenungsund-orust-tjorn"
    ),
]


def _present(page, url: str) -> str:
    """Open the selection in the internal view and start presenting it; its summary line."""
    page.goto(url)
    wait_for_app(page, "Översikt")
    page.get_by_role("button", name="Presentera (mötesläge)").click()
    wait_for_app(page, "Steg 1 av 4")
    return summary(page)


def _every_sub_step(steps: list[str]) -> None:
    """Every page was shown, each through all of its sub-steps, in order."""
    seen = [STEP.match(s).groups() for s in steps]
    assert [int(p) for p, _, _ in seen] == sorted(int(p) for p, _, _ in seen), steps
    for number in "1234":
        subs = [(int(i or 1), int(n or 1)) for p, i, n in seen if p == number]
        assert subs == [(i, subs[0][1]) for i in range(1, subs[0][1] + 1)], (number, steps)


@pytest.mark.parametrize(("query", "kommuner"), WALKS)
def test_a_meeting_run_from_the_keyboard_with_three_decisions_followed_up(
    offline_page, start_app, demo_dir, tmp_path, request, query, kommuner
):
    started = time.monotonic()
    walk = request.node.callspec.id
    data = shutil.copytree(demo_dir, tmp_path / "demo")
    page = offline_page
    page.set_viewport_size(VIEWPORT)
    selection = _present(page, f"{start_app(data).url}/?{query}")
    assert sorted(selection.split(" · ")[0].split(", ")) == sorted(kommuner)
    start_meeting(page, PRESENT)
    close_panel(page)

    steps, decisions = [step(page)], iter(DECISIONS)
    check_slide(page, f"walk-{walk}-01", selection)
    page.locator(".lb-summary").click()  # keys go to the page, not to a widget
    while page.locator(".st-key-presenter_next").count():
        steps.append(press(page, "PageDown"))
        check_slide(page, f"walk-{walk}-{len(steps):02d}", selection)
        if steps[-1][:11] != steps[-2][:11]:  # the first slide of Karta, Löften, Indikatorer
            record_decision(page, *next(decisions))
            page.screenshot(path=str(SCREENSHOTS / f"walk-{walk}-{len(steps):02d}-panel.png"))
            close_panel(page)
            assert step(page) == steps[-1]  # the slide stayed
    _every_sub_step(steps)
    assert next(decisions, None) is None

    page.get_by_role("button", name="Möte och beslut").click()
    popover = panel(page)
    popover.get_by_role("button", name="Spara mötet").click()
    wait_in(popover, "Mötet är sparat med dagordning och beslut.")
    with page.expect_download() as download:  # the minutes: one click
        popover.get_by_role("button", name="Minnesanteckningar (HTML, för utskrift)").click()
    minutes = tmp_path / download.value.suggested_filename
    download.value.save_as(minutes)
    assert minutes.name.startswith(f"minnesanteckningar-{TODAY.isoformat()}-") and minutes.suffix == ".html"
    text = minutes.read_text(encoding="utf-8")
    assert "Beslut (3)" in text and all(d[0] in text for d in DECISIONS)
    assert all(k in text for k in kommuner) and ", ".join(PRESENT) in text
    assert "Översikt → Karta → Löften → Indikatorer" in text
    page.set_content(text)
    page.screenshot(path=str(SCREENSHOTS / f"walk-{walk}-minutes.png"), full_page=True)

    later = TODAY + timedelta(days=40)
    selection = _present(page, f"{start_app(data, env={'LAGESBILD_TODAY': later.isoformat()}).url}/?{query}")
    page.locator(".lb-summary").click()
    followed = [step(page)]
    while "Beslut vid mötet" not in followed[-1]:
        followed.append(press(page, "PageDown"))
        check_slide(page, f"walk-{walk}-next-{len(followed):02d}", selection)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(f"Beslut vid mötet {TODAY.isoformat()}").is_visible()
    due = (TODAY + timedelta(days=30)).isoformat()  # the panel's default: a month
    for what, _, _ in DECISIONS:
        item = main.locator("[data-testid='stHtml']").filter(has_text=what)
        assert item.count() == 1 and item.is_visible(), what
        assert f"Försenad (förfallodag {due} passerad)" in item.inner_text(), what  # 40 days on, 10 days late
    elapsed = time.monotonic() - started
    print(f"{walk}: {len(steps)} slides, 3 decisions, minutes, next meeting: {elapsed:.0f} s")
