"""The benchmark's results as figures: the machine, the comparison with the
naive reference, the issue's targets, and a table to read in a terminal."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib import metadata

from dashboard.bench import measure

#: The page the naive reference implements.
MAP_PAGE = "karta"
PACKAGES = ("streamlit", "duckdb", "pandas", "pyarrow", "folium", "streamlit-folium")
KB, MB, GB = 1024, 1024**2, 1024**3


def machine() -> dict:
    """What the figures were taken on."""
    memory = measure.proc_value("/proc/meminfo", "MemTotal")  # "24684084 kB"
    return {
        "cpu": measure.proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory_bytes": int(memory.split()[0]) * KB if memory else None,
        "os": platform.platform(),
        # Other work on the machine slows every figure down; this says how much there was.
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in PACKAGES},
    }


def machine_line(m: dict) -> str:
    memory = fmt_bytes(m["memory_bytes"]) if m["memory_bytes"] else "unknown memory"
    versions = ", ".join(f"{name} {version}" for name, version in m["packages"].items())
    load = f"; load average {m['load_average'][0]:.1f} at the start" if m["load_average"] else ""
    return f"Machine: {m['cpu']}, {m['cores']} cores, {memory}{load}; Python {m['python']}, {versions}"


# --- figures derived from one size's results ------------------------------------------


def _ok(part: dict | None) -> bool:
    return bool(part) and "error" not in part and "skipped" not in part


def pages(result: dict) -> dict:
    return result.get("app", {}).get("pages", {})


def warm_s(page: dict) -> float | None:
    """The slowest warm rerun of a page."""
    return max((w["seconds"] for w in page["warm"]), default=None)


def map_bytes(result: dict) -> int | None:
    """The largest map payload measured."""
    part = result.get("map")
    return max(case["bytes"] for case in part["cases"].values()) if _ok(part) else None


def comparison(result: dict) -> dict:
    """How the map page compares with the naive reference (ratios > 1: ours is better)."""
    page, ref = pages(result).get(MAP_PAGE), result.get("naive")
    if not _ok(ref) or not page or page["errors"] or not _ok(result.get("map")):
        return {"skipped": (ref or {}).get("skipped") or "naive reference or map page not measured"}
    return {
        "cold_speedup": ref["total_s"] / page["cold"]["seconds"],
        "warm_speedup": ref["rerun_s"] / warm_s(page),
        "payload_ratio": ref["html_bytes"] / result["map"]["cases"]["default"]["bytes"],
        "memory_ratio": ref["peak_bytes"] / result["app"]["peak_bytes"],
    }


#: The issue whose targets the bench checks; the earlier ones stay listed under theirs.
ISSUE = 18
EARLIER_ISSUE = 10


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    unit: str
    #: True: the value must be at most the limit; False: at least.
    at_most: bool = True
    #: The issue that set it.
    issue: int = ISSUE


#: Server-side targets, issue #18's first (at 10 million incidents), then issue #10's.
TARGETS = (
    Target("server rerun after a filter change, every page", 0.25, "s"),
    Target("map payload sent to the browser (bounded by its grid)", 300 * KB, "bytes"),
    Target("peak memory of the app", 1 * GB, "bytes"),
    Target("peak memory of demo (generating the data set)", 2 * GB, "bytes"),
    Target("peak memory of import of the size's incidents", 2 * GB, "bytes"),
    Target("cold first render, every page", 3.0, "s", issue=EARLIER_ISSUE),
    Target("map page faster than the naive reference (cold)", 20, "x", at_most=False, issue=EARLIER_ISSUE),
)


def _page_timings(result: dict) -> tuple[tuple[float | None, str], tuple[float | None, str]]:
    """(seconds, where) of the slowest warm rerun and cold render; not measured
    while a page fails (its time would not count)."""
    failed = [name for name, page in pages(result).items() if page["errors"]]
    if failed or not pages(result):
        return ((None, f"failing: {', '.join(failed)}" if failed else "pages"),) * 2
    warm = [(w["seconds"], f"{name}, {w['change']}") for name, page in pages(result).items() for w in page["warm"]]
    cold = [(page["cold"]["seconds"], name) for name, page in pages(result).items()]
    return max(warm), max(cold)


def _demo_peak(result: dict) -> tuple[float | None, str]:
    dataset = result["dataset"]
    how = "generated earlier, from its dataset.json" if dataset.get("reused") else "generated in this run"
    return dataset["generation"].get("peak_bytes"), f"{result['incidents']:,} incidents, {how}"


def _import_peak(result: dict) -> tuple[float | None, str]:
    """The import's peak, counted only when it imported (about) every incident of the size."""
    imp = result.get("import")
    if not _ok(imp):
        return None, "import"
    return imp["peak_bytes"], f"{imp['rows']:,} CSV rows"


def _target_values(result: dict) -> list[tuple[float | None, str]]:
    """(value, where) for each of TARGETS."""
    warm, cold = _page_timings(result)
    return [
        warm,
        (map_bytes(result), MAP_PAGE),
        (result.get("app", {}).get("peak_bytes"), "app"),
        _demo_peak(result),
        _import_peak(result),
        cold,
        (result.get("comparison", {}).get("cold_speedup"), MAP_PAGE),
    ]


def targets(result: dict) -> list[dict]:
    """Each target, its value and whether it was met (None: not measured)."""
    return [_judged(target, *value_where) for target, value_where in zip(TARGETS, _target_values(result))]


def _judged(target: Target, value: float | None, where: str) -> dict:
    passed = None if value is None else (value <= target.limit if target.at_most else value >= target.limit)
    return {
        "target": target.name, "limit": target.limit, "unit": target.unit, "at_most": target.at_most,
        "issue": target.issue, "value": value, "where": where, "passed": passed,
    }  # fmt: skip


# --- the table ---------------------------------------------------------------------


def fmt_bytes(n: float) -> str:
    for unit, size in (("GB", GB), ("MB", MB), ("KB", KB)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,.0f} B"


def fmt_value(value: float, unit: str) -> str:
    if unit == "bytes":
        return fmt_bytes(value)
    return f"{value:,.1f}×" if unit == "x" else f"{value:,.2f} s"


def _problem(part: dict | None) -> str | None:
    if not part:
        return "not measured"
    return part.get("error") or part.get("skipped")


def table(result: dict) -> str:
    """One size's results as lines of text."""
    lines = [f"\n== {result['incidents']:,} incidents ==", _dataset_line(result["dataset"])]
    if "app" not in result:
        return "\n".join(lines)
    lines += _page_lines(result) + _query_lines(result["queries"]) + _other_lines(result)
    lines += _target_lines(result["targets"])
    lines += browser_lines(result.get("browser"))
    return "\n".join(lines)


def _dataset_line(dataset: dict) -> str:
    generation = dataset["generation"]
    if "error" in generation:
        return f"Demo data: generation failed: {generation['error']}"
    how = "reused, generated earlier" if dataset["reused"] else "generated"
    return (
        f"Demo data: {dataset['data_dir']} ({how} in {generation['seconds']:,.1f} s, "
        f"peak memory {fmt_bytes(generation['peak_bytes'])}; last day {dataset['until']})"
    )


def _page_lines(result: dict) -> list[str]:
    app = result["app"]
    if problem := _problem(app):
        return [f"Pages: {problem}"]
    lines = [
        f"Default selection: {len(result['selection']['kommun_kods'])} municipalities, "
        f"{result['selection']['start']} to {result['selection']['end']}",
        f"{'':<14}{'cold: wall':>11}{'CPU':>7}{'queries':>9}{'warm: wall':>12}{'CPU':>7}{'queries':>9}{'sent':>11}",
    ]
    for name, page in app["pages"].items():
        if page["errors"]:
            lines.append(f"{name:<14}error: {page['errors'][0].splitlines()[0][:100]}")
            continue
        slowest = max(page["warm"], key=lambda w: w["seconds"])
        lines.append(f"{name:<14}{_timing(page['cold'], 11)}{_timing(slowest, 12)}{fmt_bytes(page['page_bytes']):>11}")
    changes = ", ".join(w["change"] for w in next(iter(app["pages"].values()))["warm"])
    lines.append(
        f"(seconds, medians of {measure.REPEATS} runs; warm: the slowest of the filter changes {changes}; "
        "sent: the page's elements, map included)"
    )
    lines.append(
        f"First render in a new process, imports included: {app['startup_s']:.2f} s; "
        f"app peak memory {fmt_bytes(app['peak_bytes'])}"
    )
    return lines


def _timing(t: dict, width: int) -> str:
    return f"{t['seconds']:>{width}.2f}{t['cpu_s']:>7.2f}{t['query_s']:>9.2f}"


def _query_lines(part: dict) -> list[str]:
    if problem := _problem(part):
        return [f"Queries: {problem}"]
    queries = part["queries"]
    timed = {name: q for name, q in queries.items() if "first_s" in q}
    lines = [f"{'Query':<32}{'first s':>9}{'median s':>10}{'rows':>9}"]
    for name, q in sorted(timed.items(), key=lambda item: -item[1]["median_s"]):
        lines.append(f"{name:<32}{q['first_s']:>9.3f}{q['median_s']:>10.3f}{q['rows']:>9,}")
    untimed = sorted(name for name, q in queries.items() if "skipped" in q)
    if untimed:
        lines.append(f"Not timed on their own (need a page's or the import's context): {', '.join(untimed)}")
    return lines


def _other_lines(result: dict) -> list[str]:
    lines = []
    if problem := _problem(result["map"]):
        lines.append(f"Map payload: n/a ({problem})")
    else:
        cases = result["map"]["cases"].items()
        shown = [f"{fmt_bytes(c['bytes'])} ({c['cells']:,} cells) {name.replace('_', ', ')}" for name, c in cases]
        lines.append("Map payload: " + "; ".join(shown))
    imp = result["import"]
    if problem := _problem(imp):
        lines.append(f"Import: n/a ({problem})")
    else:
        lines.append(
            f"Import: {imp['rows']:,} CSV rows ({fmt_bytes(imp['csv_bytes'])}, exported in {imp['export_s']:,.1f} s) "
            f"in {imp['seconds']:,.1f} s = "
            f"{imp['rows_per_s']:,.0f} rows/s ({imp['written']:,} written); peak memory {fmt_bytes(imp['peak_bytes'])}"
        )
    ref = result["naive"]
    if problem := _problem(ref):
        lines.append(f"Naive reference: n/a ({problem})")
    else:
        lines.append(
            f"Naive reference: load {ref['load_s']:,.2f} s + rerun {ref['rerun_s']:,.2f} s (map {ref['map_s']:,.2f} s) "
            f"for {ref['markers']:,} markers; HTML {fmt_bytes(ref['html_bytes'])}; "
            f"peak memory {fmt_bytes(ref['peak_bytes'])}"
        )
    cmp = result["comparison"]
    if "skipped" not in cmp:
        lines.append(
            f"Ours vs naive ({MAP_PAGE}): cold {cmp['cold_speedup']:,.1f}× faster, "
            f"warm {cmp['warm_speedup']:,.1f}× faster, "
            f"payload {cmp['payload_ratio']:,.1f}× smaller, peak memory {cmp['memory_ratio']:,.1f}× smaller"
        )
    return lines


def _target_lines(checked: list[dict]) -> list[str]:
    ours = [t for t in checked if t["issue"] == ISSUE]
    earlier = [t for t in checked if t["issue"] != ISSUE]
    lines = [f"Targets of issue #{ISSUE} (set for 10 000 000 incidents):", *map(_target_line, ours)]
    if earlier:
        lines.append(f"Earlier targets (issue #{EARLIER_ISSUE}; the naive comparison for 1 000 000 incidents):")
        lines += map(_target_line, earlier)
    return lines


def _target_line(t: dict) -> str:
    bound = f"{'<' if t['at_most'] else '≥'} {fmt_value(t['limit'], t['unit'])}"
    if t["passed"] is None:
        return f"  n/a   {t['target']} {bound}: not measured ({t['where']})"
    verdict = "PASS" if t["passed"] else "FAIL"
    return f"  {verdict:<5} {t['target']} {bound}: {fmt_value(t['value'], t['unit'])} ({t['where']}){_miss(t)}"


def _miss(t: dict) -> str:
    """By how much a target was missed."""
    if t["passed"]:
        return ""
    over = t["value"] - t["limit"] if t["at_most"] else t["limit"] - t["value"]
    return f", missed by {fmt_value(over, t['unit'])} ({over / t['limit']:.0%})"


# --- the browser phase -------------------------------------------------------------

#: Issue #18's targets for what a person waits for, each on a key of `browser.ratios`.
BROWSER_TARGETS = {
    "open_ratio": Target("every page painted within 2× the floor, first visit", 2.0, "x"),
    "open_warm_ratio": Target("every page painted within 2× the floor, returning visit", 2.0, "x"),
    "change": Target("every filter change painted within 1 s, first visit", 1.0, "s"),
    "change_warm": Target("every filter change painted within 1 s, returning visit", 1.0, "s"),
    "fragment": Target("every change of a page's own control painted within 1 s", 1.0, "s"),
}


#: The app server's own peak in the browser phase, judged like the AppTest process's.
SERVER_PEAK = Target("peak memory of the app server (browser phase)", 1 * GB, "bytes")


def browser_targets(part: dict) -> list[dict]:
    """Each browser target judged on the slowest page (a page whose own
    control was not found leaves the fragment target unmeasured), and the
    app server's peak memory."""
    ratios = part["ratios"]
    missing = [f"{page}: {r['fragment_error']}" for page, r in ratios.items() if "fragment_error" in r]
    out = []
    for key, target in BROWSER_TARGETS.items():
        if key == "fragment" and missing:
            out.append(_judged(target, None, "; ".join(missing)))
        else:
            measured = [(r[key], page) for page, r in ratios.items() if key in r]
            out.append(_judged(target, *max(measured, default=(None, "no page"))))
    return out + [_judged(SERVER_PEAK, part.get("app_peak_bytes"), "streamlit run, every page and selection")]


def browser_lines(part: dict | None) -> list[str]:
    """Painted times per page (the slowest of the selections), as ratios to the floor."""
    if problem := _problem(part):
        return [f"Browser: n/a ({problem})"]
    floor = part["floor_median"]
    lines = [
        "Browser (headless Chromium, painted; the slowest of: " + "; ".join(part["selections"]) + "):",
        f"{'':<14}{'first visit (empty cache)':^27}{'returning visit (cached)':^27}{'own control':>12}",
        f"{'':<14}{'open s':>8}{'× floor':>9}{'change s':>10}{'open s':>8}{'× floor':>9}{'change s':>10}"
        f"{'change s':>12}{'height px':>11}{'received':>11}",
        f"{'empty page':<14}{floor['open']:>8.2f}{1:>9.1f}{floor['change']:>10.2f}"
        f"{floor['open_warm']:>8.2f}{1:>9.1f}{floor['change_warm']:>10.2f}",
    ]
    for name, r in part["ratios"].items():
        visits = part["pages"][name]
        height = max(v["open"]["height_px"] for v in visits)
        received = max(v["open"]["received_bytes"] + v["change"]["received_bytes"] for v in visits)
        fragment = f"{r['fragment']:>12.2f}" if "fragment" in r else f"{'error' if 'fragment_error' in r else '':>12}"
        lines.append(
            f"{name:<14}{r['open']:>8.2f}{r['open_ratio']:>9.1f}{r['change']:>10.2f}"
            f"{r['open_warm']:>8.2f}{r['open_warm_ratio']:>9.1f}{r['change_warm']:>10.2f}"
            f"{fragment}{height:>11,}{fmt_bytes(received):>11}"
        )
    if naive := part.get("naive"):
        lines.append(
            f"{'naive (karta)':<14}{naive['open']['seconds']:>8.2f}{naive['open']['seconds'] / floor['open']:>9.1f}"
            f"{naive['change']['seconds']:>10.2f}{'(first visit only)':^27}{'':>12}"
            f"{naive['open']['height_px']:>11,}{fmt_bytes(naive['open']['received_bytes']):>11}"
            f"  ({naive['blocked']} CDN requests blocked: a lower bound)"
        )
    blocked = sum(v["blocked"] for visits in part["pages"].values() for v in visits)
    peak = fmt_bytes(part["app_peak_bytes"]) if part.get("app_peak_bytes") else "unknown"
    lines.append(
        "(received: on the first visit's open and change; own control: "
        + ", ".join(f"{page} '{label}'" for page, label in part["controls"].items())
        + ")"
    )
    lines.append(f"Requests to other hosts blocked: {blocked}; app server peak memory {peak}")
    lines.append(f"Targets of issue #{ISSUE} in the browser (set for 10 000 000 incidents):")
    return lines + [_target_line(t) for t in part["targets"]]
