"""Kolada, the municipal key-figure database (api.kolada.se, API v2 and v3).

A data response is a JSON object with `values` and `count`; each item has
`kpi`, `municipality` (4 characters), `period` (the year, a number or a
string) and `values`, one per gender `T` (total), `K`, `M`, each with a
`value` that may be null. The total `T` is stored, for the indicator whose
source ids record `kolada:<KPI>`. Null values (v3 status "Missing") and
values v3 marks `isdeleted` are skipped and counted, never stored as 0; the
country (`0000`), regions (`00LL`) and groups (`G…`) are skipped as totals.
Pages link to the next one with `next_page` (v2) or `next_url` (v3).

`fetch` asks the configured server (`LAGESBILD_KOLADA_URL`, default
https://api.kolada.se/v3) for the installation's kommuner, follows the pages,
and stores what is new or changed.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

from dashboard.imports.skipped import DELETED, NO_VALUE, Text
from dashboard.imports.sources import (
    Figure,
    IndicatorMap,
    Reading,
    SourceResult,
    kommun,
    no_indicator_message,
    served_kommuner,
    store,
)  # fmt: skip
from dashboard.roles import Author
from dashboard.validation import ImportRejected, Problem

DEFAULT_URL = "https://api.kolada.se/v3"
#: Kolada v3 takes at most 25 ids in one path segment.
MAX_IDS = 25
MAX_PAGES = 1000
TIMEOUT_S = 60
SYSTEM = "kolada"


def base_url() -> str:
    return os.environ.get("LAGESBILD_KOLADA_URL", DEFAULT_URL).rstrip("/")


def looks_like(payload) -> bool:
    """A Kolada data response (either version)."""
    return isinstance(payload, dict) and isinstance(payload.get("values"), list) and "count" in payload


def next_page(payload: dict) -> str | None:
    """The next page's URL, or None at the end (v2 leaves it out, v3 sends null or "")."""
    return payload.get("next_url") or payload.get("next_page") or None


def read(payload, source: str, served: set[str]) -> Reading:
    """The figures of one response page."""
    reading = Reading(source)
    if not looks_like(payload):
        reading.problem(None, None, None, "not a Kolada data response (no 'values' list and 'count')",
                        "inte ett svar från Koladas data-API (saknar 'values' och 'count')")  # fmt: skip
        return reading
    for number, item in enumerate(payload["values"], start=1):
        _read_item(item, number, reading, served)
    return reading


def _read_item(item, number: int, reading: Reading, served: set[str]) -> None:
    where = f"values[{number}]"
    if not isinstance(item, dict) or not {"kpi", "municipality", "period", "values"} <= item.keys():
        reading.problem(None, where, None, "an item without kpi, municipality, period and values",
                        "en post utan kpi, municipality, period och values")  # fmt: skip
        return
    code, skipped = kommun(str(item["municipality"]), served)
    if skipped:
        reading.skips.add(skipped, str(item["municipality"]))
        return
    year = _year(item["period"])
    if year is None:
        reading.problem(None, f"{where}.period", item["period"], "not a year", "inte ett år")
        return
    total = next((v for v in item["values"] or [] if isinstance(v, dict) and v.get("gender") == "T"), None)
    if total is None or total.get("value") is None:
        reading.skips.add(NO_VALUE, f"{item['kpi']} {code} {year}")
        return
    if total.get("isdeleted"):
        reading.skips.add(DELETED, f"{item['kpi']} {code} {year}")
        return
    if not isinstance(total["value"], (int, float)) or isinstance(total["value"], bool):
        reading.problem(None, f"{where}.value", total["value"], "not a number", "inte ett tal")
        return
    statistic = f"{SYSTEM}:{item['kpi']}"
    reading.figures.append(Figure(statistic, code, date(year, 1, 1), "year", float(total["value"]), column=where))


def _year(period) -> int | None:
    text = str(period).strip()
    return int(text) if text.isdigit() and 1900 < int(text) < 2200 else None


# --- a saved response ----------------------------------------------------------------


def read_file(path: Path, served: set[str]) -> Reading:
    """One saved response page (`import indicators FILE`)."""
    path = Path(path)
    try:
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRejected([Problem(str(path), None, None, None, f"not valid JSON ({exc})", "inte giltig JSON")])
    reading = read(payload, str(path), served)
    if looks_like(payload) and next_page(payload):
        reading.notes.append(Text(
            f"{path.name} is one page of several: the next is {next_page(payload)}; "
            "'python -m dashboard fetch kolada' follows the pages",
            f"{path.name} är en sida av flera; nästa är {next_page(payload)} (kommandot fetch kolada hämtar alla)",
        ))  # fmt: skip
    return reading


# --- fetching ------------------------------------------------------------------------


class FetchFailed(Exception):
    """The server could not be reached or answered with something unusable."""


def urls(kpis: list[str], kommun_kods: list[str], years: list[int], base: str) -> list[str]:
    """The data URLs for these KPIs, kommuner and years, at most MAX_IDS ids per segment."""
    year_part = f"/year/{','.join(map(str, years))}" if years else ""
    return [
        f"{base}/data/kpi/{','.join(some_kpis)}/municipality/{','.join(some_kommuner)}{year_part}"
        for some_kpis in _chunks(kpis)
        for some_kommuner in _chunks(kommun_kods)
    ]


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + MAX_IDS] for i in range(0, len(ids), MAX_IDS)]


def get_json(url: str):
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "lagesbild"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.loads(response.read().decode("utf-8-sig"))
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchFailed(f"{url}: {getattr(exc, 'reason', exc)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchFailed(f"{url}: not a JSON response ({exc})") from None


def fetch_pages(url: str, served: set[str]) -> Reading:
    """Every page from `url` on, following next_page / next_url."""
    reading, seen = Reading(url), set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise FetchFailed(f"{url}: the pages do not end (a page links back, or more than {MAX_PAGES})")
        seen.add(url)
        payload = get_json(url)
        if not looks_like(payload):
            raise FetchFailed(f"{url}: not a Kolada data response (no 'values' list and 'count')")
        reading.extend(read(payload, url, served))
        url = next_page(payload)
    return reading


def fetch(kpis: list[str], data_dir: Path, author: Author, years: list[int] | None = None) -> SourceResult:
    """Fetch the KPIs for the installation's kommuner and store what is new or changed.

    Every KPI must be recorded by an indicator first (nothing is fetched otherwise).
    """
    kpis = list(dict.fromkeys(k.strip().upper() for k in kpis))
    indicators = IndicatorMap.of(data_dir)
    missing = [k for k in kpis if not indicators.targets(f"{SYSTEM}:{k}")]
    if missing:
        raise ImportRejected(
            [Problem(base_url(), None, "--kpi", k, *no_indicator_message(f"{SYSTEM}:{k}")) for k in missing]
        )
    served = served_kommuner(data_dir)
    reading = Reading(base_url())
    for url in urls(kpis, sorted(served), sorted(years or []), base_url()):
        reading.extend(fetch_pages(url, served))
    return store(reading, data_dir, author)
