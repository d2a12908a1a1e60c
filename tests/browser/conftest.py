"""Browser tests: the real app in Debian's headless Chromium, offline.

`app_url` starts `streamlit run` on a free local port with the demo data;
`offline_page` gives a Playwright page whose every request to any other host
is blocked and recorded in `page.blocked` (asserted empty after each test);
`offline_pages(*origins)` gives fresh pages (own cookies) that may reach
those origins only.
Screenshots go to test-artifacts/screenshots/. Playwright's own browser
download cannot work on our machines: we launch /usr/bin/chromium (or
$CHROMIUM). Without it the browser tests are skipped, except under CI.
"""

from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard import PROJECT_ROOT
from dashboard.bench.browser import Server, free_port

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium for the browser tests; none at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


class AppServer(Server):
    """A `streamlit run` of the app (or of another `script`) on 127.0.0.1 with its own data dir and mode."""

    def __init__(
        self,
        data_dir: Path,
        mode: str = "internal",
        env: dict | None = None,
        script: Path | None = None,
        port: int | None = None,
        args: tuple[str, ...] = (),
    ):
        environ = {"LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_MODE": mode} | (env or {})
        port = port or free_port()
        log = PROJECT_ROOT / "test-artifacts" / f"streamlit-{mode}-{port}.log"
        super().__init__(script or PROJECT_ROOT / "dashboard" / "app.py", environ, log, port, args)


@pytest.fixture(scope="session")
def start_app():
    """start_app(data_dir, mode="internal", env=None) -> AppServer; stopped after the session."""
    (PROJECT_ROOT / "test-artifacts").mkdir(exist_ok=True)
    servers = {}

    def _start(data_dir: Path, mode: str = "internal", env: dict | None = None) -> AppServer:
        key = (str(data_dir), mode, tuple(sorted((env or {}).items())))
        if key not in servers:
            servers[key] = AppServer(data_dir, mode, env)
        return servers[key]

    yield _start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def app_url(start_app, demo_dir) -> str:
    return start_app(demo_dir).url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def _offline(browser, allowed):
    """A page in its own context; requests whose URL `allowed` refuses are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.blocked = []

    def route(r):
        if r.request.url.startswith(("data:", "blob:")) or allowed(r.request.url):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    yield page
    context.close()
    assert page.blocked == [], f"requests to other hosts were attempted: {page.blocked}"


@pytest.fixture
def offline_page(browser):
    """A page that may only talk to 127.0.0.1/localhost; others are blocked and recorded."""
    with _offline(browser, lambda url: urlparse(url).hostname in ("127.0.0.1", "localhost")) as page:
        yield page


@pytest.fixture
def offline_pages(browser):
    """offline_pages(*origins) -> a new page, with its own cookies, that may reach exactly these origins."""
    with ExitStack() as pages:
        yield lambda *origins: pages.enter_context(_offline(browser, lambda url: origin(url) in origins))


def wait_for_app(page, text: str, timeout: float = 30_000) -> None:
    """Wait until the app shows `text` in its main area and has finished running."""
    page.locator("[data-testid='stMain']").get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
              && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')""",
        timeout=timeout,
    )
    page.wait_for_timeout(300)  # let charts finish their first paint


#: Text nodes on the screen (HTML and the charts' SVG) with their computed font size and
#: colour; with `painted`, only those the browser hits where they are drawn (not
#: clipped away for screen readers, not under another element).
_VISIBLE_TEXT = """(painted) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || ['STYLE', 'SCRIPT', 'TITLE'].includes(el.tagName)) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter(b => b.width > 0 && b.height > 0)
      .filter(b => b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth);
    const hit = b => {
      const at = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      return at && (at === el || el.contains(at) || at.contains(el));
    };
    if (!boxes.some(b => !painted || (b.width >= 2 && b.height >= 2 && hit(b)))) continue;
    const style = getComputedStyle(el);
    found.push({text: node.textContent.trim(), px: parseFloat(style.fontSize), color: style.color});
  }
  return found;
}"""


def visible_text(page, painted: bool = False) -> list[dict]:
    """[{text, px, color}] of the text the page shows on the screen now."""
    return page.evaluate(_VISIBLE_TEXT, painted)


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its own container, so the
    window is made as tall as the content for the shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0; }"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
