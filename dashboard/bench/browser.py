"""What a person waits for: every page opened from a link, and a filter
changed, in Debian's headless Chromium, until the page is painted.

Each page is visited twice in one browser context: a first visit (a fresh
context, so an empty HTTP cache: Streamlit loads a JS chunk per element kind
the page uses) and a returning visit (the same link opened again: the hashed
static files are cached `immutable`, as for a person whose app is already
open in the meeting). Both are opened and their period changed in the
sidebar; by the returning visit the server's caches hold the selection, so
its change shows what the browser adds. Then, on a page with one
(`FRAGMENT_CONTROLS`), one of its own controls is changed: that reruns only
the page's `st.fragment`.

Painted means: Streamlit is idle (its script state "notRunning", no running
indicator, no skeleton), every
plotly chart has its SVG, every Leaflet map in an iframe has drawn its shapes,
and nothing in the page or its frames has changed for STABLE_MS. The time is
taken in the browser: from the navigation's start (a link opened) or from the
click on the new period (a filter change) to the last change of the page
before it settled. Beside the app, in the same run, the floor: a one-line
Streamlit page (`floor_app.py`) opened and its one selectbox changed the same
way; and, up to `runner.NAIVE_MAX_INCIDENTS`, the naive reference as a page
(`naive_app.py`). Every request to another address is blocked and counted.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

from dashboard import PROJECT_ROOT, filters
from dashboard.bench import measure
from dashboard.ui import navigation

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
#: Every host but the app's resolves to nothing: no request leaves the machine.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
APPS = {
    "app": PROJECT_ROOT / "dashboard" / "app.py",
    "floor": Path(__file__).with_name("floor_app.py"),
    "naive": Path(__file__).with_name("naive_app.py"),
}
#: A page is painted once nothing in it has changed for this long.
STABLE_MS = 600
#: Seconds one page may take to paint (the naive reference loads every incident first).
PAINT_TIMEOUT_S = 300
#: The floor is measured before each selection; the median is the floor.
#: (selection label, URL query, the period a filter change switches to)
SELECTIONS = (
    ("one municipality, a quarter", "one", "kvartal", "ar"),
    ("all municipalities, 12 months", "all", "ar", "kvartal"),
    ("whole pledge period", "all", "lofte", "ar"),
)
#: Per page, the visible label of a button group (pills or a segmented
#: control) inside the page's st.fragment; its first option not chosen is
#: pressed. By label, not position: the pages change while this stays.
FRAGMENT_CONTROLS = {"karta": "Veckodag", "indikatorer": "Händelser räknas per"}
#: What each visit times, in order; the floor is timed the same way but for the fragment.
KINDS = ("open", "change", "open_warm", "change_warm")
#: The floor's figure each kind is compared with.
FLOOR_KIND = {kind: kind for kind in KINDS} | {"fragment": "change_warm"}

# Runs in every document, frames included, before its own scripts: the last
# change anywhere in the page, whether a run was seen, and the last click, as
# epoch milliseconds (comparable across frames).
_OBSERVE = """(() => {
  let top; try { top = window.top; void top.document; } catch (e) { return; }
  const now = () => performance.timeOrigin + performance.now();
  const running = () => !!top.document.querySelector(
    '[data-testid="stApp"][data-test-script-state="running"], [data-testid="stStatusWidgetRunningIcon"]');
  new MutationObserver(() => {
    top.__lbLast = Math.max(top.__lbLast || 0, now());
    if (running()) top.__lbRun = now();
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  if (window === top) document.addEventListener('click', () => { top.__lbClick = now(); }, true);
})();"""

_SNAPSHOT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const idle = !!main && main.innerText.trim().length > 0
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(p => p.querySelector('svg.main-svg'));
  const maps = [...document.querySelectorAll('iframe')].every(f => {
    let d; try { d = f.contentDocument; } catch (e) { return true; }
    const map = d && d.querySelector('.leaflet-container');
    return !map || d.querySelectorAll('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas').length > 0;
  });
  return {ready: idle && plots && maps, now: performance.timeOrigin + performance.now(),
          origin: performance.timeOrigin, last: window.__lbLast || 0, run: window.__lbRun || 0,
          click: window.__lbClick || 0, height: main ? main.scrollHeight : 0,
          nodes: document.getElementsByTagName('*').length};
}"""


def available() -> str | None:
    """Why the browser phase cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


class Server:
    """`streamlit run SCRIPT` on 127.0.0.1 (a free port unless given) with `env`
    added to the environment; its peak memory when stopped. The browser tests start the app with it too."""

    def __init__(self, script: Path, env: dict, log: Path, port: int | None = None, args: tuple[str, ...] = ()):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        command = [
            sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(self.port),
            "--server.address", "127.0.0.1", "--server.headless", "true", *args,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=os.environ | env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait()

    def _wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {self.log.name}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                return
            time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start within {timeout} s")

    def stop(self) -> int | None:
        """Stop the server; its peak resident memory in bytes (None where unknown)."""
        hwm = measure.proc_value(f"/proc/{self.process.pid}/status", "VmHWM")
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        return int(hwm.split()[0]) * 1024 if hwm else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(name: str, data_dir: Path, log_dir: Path):
    server = Server(APPS[name], {"LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_MODE": "internal"},
                    Path(log_dir) / f"streamlit-bench-{name}.log")  # fmt: skip
    peak = {}
    try:
        yield server, peak
    finally:
        peak["bytes"] = server.stop()


class Tab:
    """A browser page that may only reach `url`'s host; counts what it blocked and what it received."""

    def __init__(self, browser, url: str):
        host = urlparse(url).hostname
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
        self.context.add_init_script(_OBSERVE)
        self.blocked: list[str] = []
        self.received = 0
        self.page = self.context.new_page()
        # Other hosts do not resolve in this browser (OFFLINE_ARGS); a request to one is counted here.
        # Not Playwright's routing: it turns off the HTTP cache, which a returning visit relies on.
        self.page.on("request", lambda r: self._elsewhere(r.url, host))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _elsewhere(self, url: str, host: str) -> None:
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname != host:
            self.blocked.append(url)

    def _count(self, payload) -> None:
        self.received += len(payload)

    def painted(self, since: str) -> dict:
        """Wait until painted; seconds from `since` ('origin': navigation start, 'click') to then."""
        deadline = time.monotonic() + PAINT_TIMEOUT_S
        while time.monotonic() < deadline:
            s = self.page.evaluate(_SNAPSHOT)
            started = s[since]
            settled = s["last"] > started and s["now"] - s["last"] >= STABLE_MS
            if s["ready"] and settled and (since == "origin" or s["run"] > started or s["now"] - started > 3000):
                return {"seconds": (s["last"] - started) / 1000, "height_px": s["height"], "nodes": s["nodes"]}
            self.page.wait_for_timeout(50)
        raise TimeoutError(f"not painted within {PAINT_TIMEOUT_S} s: {self.page.url}")

    def open(self, url: str) -> dict:
        before = self.received
        self.page.goto(url)
        return self.painted("origin") | {"received_bytes": self.received - before}

    def change_period(self, preset: str) -> dict:
        """Choose another period in the sidebar's selectbox, as a person would."""
        before = self.received
        box = self.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Period")
        box.click()
        self.page.get_by_role("option", name=filters.PRESETS[preset], exact=True).click()
        return self.painted("click") | {"received_bytes": self.received - before}

    def press_option(self, label: str) -> dict:
        """Press the first option not chosen of the button group labelled `label`."""
        before = self.received
        group = self.page.locator(f'[data-testid="stButtonGroup"] [aria-label="{label}"]')
        if not group.count():
            raise LookupError(f"no button group labelled {label!r} on {self.page.url} (browser.FRAGMENT_CONTROLS)")
        group.first.locator("button:not([aria-pressed='true']):not([aria-checked='true'])").first.click()
        return self.painted("click") | {"received_bytes": self.received - before}

    def close(self) -> None:
        self.context.close()


def _query(kommun_kods: list[str], which: str, preset: str) -> str:
    kommuner = kommun_kods[:1] if which == "one" else kommun_kods
    return urlencode({"kommun": ",".join(kommuner), "period": preset})


def _path(name: str) -> str:
    return "" if name == next(iter(navigation.PAGES)) else name


def _visit(browser, url: str, change_to: str, returning: bool = True, control: str | None = None) -> dict:
    """Open `url` in a fresh context and change its period; when `returning`,
    open it again in the same context and change its period again; then press
    an option of the button group labelled `control`. Each timed."""
    tab = Tab(browser, url)
    try:
        visit = {"open": tab.open(url), "change": tab.change_period(change_to)}
        if returning:
            visit |= {"open_warm": tab.open(url), "change_warm": tab.change_period(change_to)}
        if control:
            visit["fragment"] = _fragment(tab, control)
        return visit | {"blocked": len(tab.blocked)}
    finally:
        tab.close()


def _fragment(tab: Tab, label: str) -> dict:
    """The page's own control changed; a control not found is an error entry, the rest of the run goes on."""
    try:
        return tab.press_option(label)
    except LookupError as exc:
        return {"error": str(exc)}


def measure_pages(data_dir: Path, kommun_kods: list[str], log_dir: Path, naive: bool, selections=SELECTIONS) -> dict:
    """Every page under every selection, the floor before each selection, and
    (when `naive`) the naive reference's page; see the module's doc."""
    from playwright.sync_api import sync_playwright

    result = {"floor": [], "pages": {}, "selections": [label for label, *_ in selections]}
    result["controls"] = {name: FRAGMENT_CONTROLS[name] for name in navigation.PAGES if name in FRAGMENT_CONTROLS}
    with sync_playwright() as p, serving("floor", data_dir, log_dir) as (floor, _), \
            serving("app", data_dir, log_dir) as (app, app_peak):  # fmt: skip
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS)
        for name in navigation.PAGES:  # imports and reference queries, as on a server that is up
            _visit(browser, f"{app.url}/{_path(name)}?{_query(kommun_kods, 'all', '30d')}", "kvartal", returning=False)
        for label, which, preset, change_to in selections:
            result["floor"].append(_visit(browser, floor.url, change_to))
            for name in navigation.PAGES:
                url = f"{app.url}/{_path(name)}?{_query(kommun_kods, which, preset)}"
                visit = _visit(browser, url, change_to, control=FRAGMENT_CONTROLS.get(name))
                result["pages"].setdefault(name, []).append({"selection": label} | visit)
        if naive:
            result["naive"] = _naive(browser, data_dir, log_dir)
        browser.close()
    result["app_peak_bytes"] = app_peak.get("bytes")
    result["floor_median"] = {kind: statistics.median(f[kind]["seconds"] for f in result["floor"]) for kind in KINDS}
    return result


def _naive(browser, data_dir: Path, log_dir: Path) -> dict:
    """The naive page on a first visit only: its figure is far off either way."""
    with serving("naive", data_dir, log_dir) as (server, peak):
        visit = _visit(browser, server.url, "ar", returning=False)
    return visit | {"peak_bytes": peak.get("bytes")}


def ratios(browser_result: dict) -> dict:
    """Per page, the slowest of each kind over the selections, and each as a
    ratio to the floor's same kind (the fragment's to the floor's returning
    change); a fragment control that was not found as `fragment_error`."""
    floor = browser_result["floor_median"]
    out = {}
    for name, visits in browser_result["pages"].items():
        timed = [kind for kind in FLOOR_KIND if all("seconds" in v.get(kind, {}) for v in visits)]
        slowest = {kind: max(v[kind]["seconds"] for v in visits) for kind in timed}
        out[name] = slowest | {f"{kind}_ratio": slowest[kind] / floor[FLOOR_KIND[kind]] for kind in timed}
        if errors := [v["fragment"]["error"] for v in visits if "error" in v.get("fragment", {})]:
            out[name]["fragment_error"] = errors[0]
    return out
