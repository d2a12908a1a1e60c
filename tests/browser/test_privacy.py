"""What each audience's browser receives: meeting and public mode never get
incident text or internal notes, on any page, and a link cannot change the mode."""

import shutil
from datetime import datetime, time, timedelta

import pyarrow.parquet as pq
import pytest

from dashboard import follow_up
from dashboard.imports.incidents import import_file
from dashboard.roles import command_line_author
from dashboard.ui import access
from tests.browser.conftest import wait_for_app
from tests.datasets import TODAY

SECRET_NAME = "Kalle Karlsson"
HOSTILE = f"<img src=x onerror=\"window.__pwned=1\"> {SECRET_NAME} 19800101-1234"
NOTE = f"INTERN: tips från {SECRET_NAME}"
#: Markdown that a browser would fetch or follow if a title were rendered as markdown.
HOSTILE_TITLE = "Trygg i Lilla Edet ![x](http://evil.example/a.png) [klicka](http://evil.example/) http://evil.example/b"
PAGES = [("", "Händelser"), ("karta", "Största platserna"), ("loften", "Status per aktör"), ("indikatorer", "Fungerar det?")]


@pytest.fixture(scope="module")
def sensitive_dir(demo_dir, tmp_path_factory, monkeypatch_module):
    """The demo data plus an identifiable, hostile incident and an internal note."""
    data = tmp_path_factory.mktemp("sensitive") / "data"
    shutil.copytree(demo_dir, data)
    when = (datetime.combine(TODAY, time(12)) - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    csv = data.parent / "sensitive.csv"
    csv.write_text(
        "occurred_at,kommun_kod,category,lat,lon,description\n"
        f'{when},1462,Narkotikabrott,58.1335,12.1245,"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n',
        encoding="utf-8",
    )
    import_file(csv, data, command_line_author())
    monkeypatch_module.setenv("LAGESBILD_MODE", "internal")
    monkeypatch_module.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")
    follow_up.record_update(data, access.author(), "lilla_edet_2025_c1", "pagar", 50, NOTE)
    [pledge] = [p for p in pq.read_table(data / "pledges.parquet").to_pylist() if p["pledge_id"] == "lilla_edet_2025"]
    follow_up.save_pledge(data, access.author(), pledge | {"title": HOSTILE_TITLE})
    return data


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def everything_shown(page) -> str:
    """Text of the page and of every frame in it (the map lives in an iframe)."""
    return "\n".join(frame.locator("body").inner_text() for frame in page.frames if frame.url != "about:blank")


@pytest.mark.parametrize("mode", ["meeting", "public"])
@pytest.mark.parametrize(("path", "content"), PAGES)
def test_no_incident_text_or_internal_note_reaches_the_browser(offline_page, start_app, sensitive_dir, mode, path, content):
    page = offline_page
    page.goto(f"{start_app(sensitive_dir, mode).url}/{path}?kommun=1462&period=30d")
    wait_for_app(page, content)
    shown = everything_shown(page)
    assert SECRET_NAME not in shown
    assert "INTERN:" not in shown
    assert page.evaluate("() => window.__pwned") is None
    assert SECRET_NAME not in page.content()
    # The hostile pledge title stays text: no image, no link (the harness fails on any outside request).
    assert page.locator("[data-testid='stMain'] a[href*='evil.example'], [data-testid='stMain'] img[src*='evil']").count() == 0


def test_a_link_cannot_switch_public_mode_to_internal(offline_page, start_app, sensitive_dir):
    page = offline_page
    app = start_app(sensitive_dir, "public")
    page.goto(f"{app.url}/loften?kommun=1462&mode=internal&LAGESBILD_MODE=internal&presenting=true")
    wait_for_app(page, "Status per aktör")
    assert page.get_by_text("Publikt läge").is_visible()
    assert page.get_by_role("button", name="Spara uppföljning").count() == 0
    assert page.get_by_role("button", name="Ny uppföljning").count() == 0
    assert "INTERN:" not in everything_shown(page)


def test_internal_mode_shows_the_note_escaped(offline_page, start_app, sensitive_dir):
    """The control: the same data in internal mode does show the note, as text."""
    page = offline_page
    page.goto(f"{start_app(sensitive_dir, 'internal').url}/loften?kommun=1462&period=30d")
    wait_for_app(page, "Status per aktör")
    # The cards come after the status chart: on a busy machine "idle" can be seen between them.
    page.get_by_text(NOTE, exact=False).first.wait_for(timeout=30_000)
    assert NOTE in page.content()
    assert page.evaluate("() => window.__pwned") is None
