"""`python -m dashboard loadtest`: several people on two app servers at once.

Two app servers (`browser.Server`, as the benchmark starts them) run on
127.0.0.1 over one throwaway PostgreSQL (`pg_local.cluster()`, passed as
`LAGESBILD_DATABASE_URL`) and one data directory with demo data, as servers
behind a proxy share them. Simulated sessions (`session.Session`: Streamlit's
websocket protocol, no browser), each sticky to one server as the proxy keeps
them, repeat what a person does in a meeting for a bounded time: open a page
from a link, change the period, open Löften and save a follow-up on a
commitment (one session at a time per commitment). Each session does that at
least once. Afterwards the latest follow-up of every commitment saved on is
looked for on the other server, where its card shows it.

The report: sessions held to the end, p50/p95 seconds from a request to its
finished run (a page opened, a filter changed, a form saved), the errors (an
exception on a page, a save without its confirmation, a broken connection),
and the follow-ups saved on one server but missing on the other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from websockets.exceptions import WebSocketException

from dashboard import PROJECT_ROOT, filters, pg_local, seeds
from dashboard.bench import browser
from dashboard.bench.session import RunFailed, Session, click, opened, text
from dashboard.ui import navigation

SERVERS = 2
#: Demo incidents of the shared data directory: small, the load is the people.
DEFAULT_INCIDENTS = 20_000
#: The periods a session switches between (not the custom one, which asks for dates).
PERIODS = ("30d", "kvartal", "ar", "lofte")
SAVED = "Uppföljningen är sparad."
#: The page where follow-ups are saved, the button that opens a commitment's
#: form (built on demand), and the form field that carries each one's mark.
FOLLOW_UP_PAGE, OPEN_FORM, NOTE = "loften", "Ny uppföljning", "Anteckning"


@dataclass
class Tally:
    """What the sessions did: the time of every finished run by kind, the errors,
    and the notes saved in the order they were confirmed (server index, the
    selection's URL query, the commitment, the note)."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    saved: list[tuple[int, str, str, str]] = field(default_factory=list)
    held: int = 0
    #: Commitments a session is saving on now: one at a time each, so the last confirmed note is the latest.
    busy: set[str] = field(default_factory=set)

    def timed(self, kind: str, run) -> None:
        self.seconds.setdefault(kind, []).append(run.seconds)
        self.errors += [f"{kind}: {e}" for e in run.exceptions()]


def run(sessions: int, seconds: float, incidents: int = DEFAULT_INCIDENTS, seed: int = 1, log_dir: Path | None = None) -> dict:
    """The whole load test (see the module's doc); returns the report."""
    with tempfile.TemporaryDirectory(prefix="lagesbild-loadtest-") as tmp, pg_local.cluster() as database_url:
        work = Path(tmp)
        data_dir = work / "data"
        env = {"LAGESBILD_DATA_DIR": str(data_dir), "LAGESBILD_MODE": "internal", "LAGESBILD_DATABASE_URL": database_url}
        subprocess.run(
            [sys.executable, "-m", "dashboard", "demo", "--incidents", str(incidents), "--seed", str(seed)],
            cwd=PROJECT_ROOT, env=os.environ | env, check=True, capture_output=True,
        )  # fmt: skip
        queries = _queries()
        logs = Path(log_dir or work)
        with contextlib.ExitStack() as stack:
            servers = []
            for k in range(SERVERS):
                servers.append(browser.Server(browser.APPS["app"], env, logs / f"streamlit-loadtest-{k}.log"))
                stack.callback(servers[-1].stop)
            urls = [s.url for s in servers]
            _run(_warm_up(urls, queries[0]))
            tally = _run(_drive(urls, queries, sessions, seconds, random.Random(seed)))
            missing = _run(_missing_elsewhere(urls, tally.saved))
    return _report(sessions, seconds, incidents, tally, missing)


def _queries() -> list[str]:
    """The URL queries sessions open pages with: each of the demo's kommuner, and all of them."""
    kommuner = list(seeds.reference()["municipalities"]["kommun_kod"])
    return [urlencode({"kommun": k}) for k in kommuner] + [urlencode({"kommun": ",".join(kommuner)})]


async def _warm_up(urls: list[str], query: str) -> None:
    """Every page once per server, as on servers that are up: imports and reference data loaded."""
    for url in urls:
        async with Session(url) as s:
            for page in navigation.PAGES:
                await s.open(_path(page), query)


def _path(page: str) -> str:
    return "" if page == next(iter(navigation.PAGES)) else page


def _run(coroutine):
    """Run the sessions' event loop in a thread of its own: the caller may have a loop
    running already (a test process after Playwright's), where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def _drive(urls: list[str], queries: list[str], sessions: int, seconds: float, rng: random.Random) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    plans = [(k % len(urls), random.Random(rng.random())) for k in range(sessions)]
    await asyncio.gather(*(_person(k, urls, server, queries, deadline, r, tally) for k, (server, r) in enumerate(plans)))
    return tally


async def _person(number: int, urls: list[str], server: int, queries: list[str], deadline: float, rng, tally: Tally) -> None:
    """One person on one server, with the link of one selection: open a page,
    change the period, save a follow-up; again until the time is up. (The
    selection holds over page switches, so a follow-up is looked for on the
    other server under the same kommun and period.)"""
    query = rng.choice(queries)
    try:
        async with Session(urls[server]) as s:
            step = 0
            while step == 0 or time.monotonic() < deadline:
                opened = await s.open(_path(rng.choice(list(navigation.PAGES))), query)
                tally.timed("open", opened)
                period, preset = opened.widgets("selectbox", "Period")[0], rng.choice(PERIODS)
                tally.timed("filter", await s.change([text(period.id, filters.PRESETS[preset])]))
                selection = f"{query}&{urlencode({'period': preset})}"
                await _save_follow_up(s, f"Lasttest {number} {step} {rng.getrandbits(32)}", server, selection, rng, tally)
                step += 1
        tally.held += 1
    except (RunFailed, OSError, WebSocketException, IndexError) as exc:
        tally.errors.append(f"session {number}: {type(exc).__name__}: {exc}")


async def _save_follow_up(s: Session, note: str, server: int, selection: str, rng, tally: Tally) -> None:
    page, cards = await _cards_open(s, selection)
    tally.timed("open", page)
    buttons = {_commitment(b.id): b for b in page.widgets("button", OPEN_FORM)}
    free = sorted(buttons.keys() - tally.busy)
    if not free:
        return  # no commitment under this selection, or every one is being saved on
    cid = rng.choice(free)
    tally.busy.add(cid)
    try:
        form_run = await s.change([*cards, click(buttons[cid].id)])
        tally.timed("open form", form_run)
        form = form_run.widgets("text_area", NOTE)[0]
        saved = await s.change([*cards, *form_run.submit(form.form_id, **{NOTE: text(form.id, note)})])
    finally:
        tally.busy.discard(cid)
    tally.timed("save", saved)
    if SAVED in saved.alerts():
        tally.saved.append((server, selection, cid, note))
    else:
        tally.errors.append(f"save: no confirmation ({'; '.join(saved.alerts()) or 'no message'})")


async def _cards_open(s: Session, selection: str):
    """The Löften page of `selection` with every pledge and the decided actions open (their
    cards are built when opened), and those expanders' states, which every later rerun sends too."""
    page = await s.open(FOLLOW_UP_PAGE, selection)
    cards = [opened(i) for i in page.expanders if "-l_pledge_" in i or i.endswith("-l_actions")]
    return (await s.change(cards) if cards else page), cards


def _commitment(widget_id: str) -> str:
    """The commitment of a "Ny uppföljning" button: its widget key is `l_open_<id>`."""
    return widget_id.rsplit("l_open_", 1)[-1]


async def _missing_elsewhere(urls: list[str], saved: list[tuple[int, str, str, str]]) -> list[str]:
    """The latest note of every commitment saved on, where the other server's
    Löften page does not show it (a card shows its latest follow-up; the older
    ones are in its history, built only when opened)."""
    latest = {cid: (server, query, note) for server, query, cid, note in saved}
    missing = []
    for server, query in sorted({(server, query) for server, query, _ in latest.values()}):
        async with Session(urls[(server + 1) % len(urls)]) as s:
            page, _ = await _cards_open(s, query)
        missing += [note for k, q, note in latest.values() if (k, q) == (server, query) and not page.shows(note)]
    return missing


def _report(sessions: int, seconds: float, incidents: int, tally: Tally, missing: list[str]) -> dict:
    runs = {kind: _percentiles(times) for kind, times in tally.seconds.items()}
    every = [t for times in tally.seconds.values() for t in times]
    return {
        "servers": SERVERS, "incidents": incidents, "seconds": seconds,
        "sessions": sessions, "sessions_held": tally.held,
        "runs": len(every), "run_seconds": _percentiles(every), "by_kind": runs,
        "errors": len(tally.errors), "error_messages": sorted(set(tally.errors))[:20],
        "follow_ups_saved": len(tally.saved),
        "follow_ups_saved_by_server": [sum(k == server for k, *_ in tally.saved) for server in range(SERVERS)],
        "follow_ups_missing_on_other_server": missing,
    }  # fmt: skip


def _percentiles(times: list[float]) -> dict:
    """p50 and p95 by nearest rank (a few runs give honest, coarse figures)."""
    ranked = sorted(times)
    at = lambda q: ranked[max(0, math.ceil(q * len(ranked)) - 1)] if ranked else None  # noqa: E731
    return {"n": len(ranked), "p50": at(0.50), "p95": at(0.95), "max": ranked[-1] if ranked else None}


def table(report: dict) -> str:
    """The report as a few lines for the terminal."""
    fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
    lines = [
        f"{report['sessions_held']} of {report['sessions']} sessions held over {report['servers']} servers, "
        f"{report['seconds']:g} s, {report['incidents']:,} incidents",
        f"{'run':<8} {'n':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}",
    ]
    for kind, p in [*report["by_kind"].items(), ("all", report["run_seconds"])]:
        lines.append(f"{kind:<8} {p['n']:>5} {fmt(p['p50']):>7} {fmt(p['p95']):>7} {fmt(p['max']):>7}")
    lines.append(f"errors: {report['errors']}" + "".join(f"\n  {m}" for m in report["error_messages"]))
    lost = report["follow_ups_missing_on_other_server"]
    lines.append(f"follow-ups saved: {report['follow_ups_saved']}, missing on the other server: {len(lost)}")
    return "\n".join(lines)


def write(report: dict, out: Path) -> None:
    Path(out).write_text(json.dumps(report, indent=2), encoding="utf-8")
