"""Runs the benchmark: data sets, phases in processes of their own, the
comparison with the naive reference, targets, the table and the JSON file."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import tempfile
from datetime import date
from pathlib import Path

from dashboard import clock
from dashboard.bench import browser, measure, naive, report

#: The naive reference runs up to this size. At ten million incidents pandas
#: would hold every incident in memory (several GB) and the map would carry
#: hundreds of thousands of markers: minutes per render, which says nothing new.
NAIVE_MAX_INCIDENTS = 1_000_000
NAIVE_REASON = "beyond that it holds every incident in memory and draws hundreds of thousands of markers"
DATASET_FILE = "dataset.json"


def in_child(fn, *args) -> dict:
    """`fn(*args)` in a fresh process (spawned, so nothing of this one is
    shared), with that process's peak memory as `peak_bytes`. A phase that
    fails becomes {"error": ...}: one broken page must not lose the rest."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(_call, fn, args).result()
        except Exception as exc:  # noqa: BLE001 - reported, not handled
            return {"error": f"{type(exc).__name__}: {exc}"}


def _call(fn, args) -> dict:
    measure.quiet_streamlit()
    return fn(*args) | {"peak_bytes": measure.peak_rss_bytes()}


def ensure_dataset(root: Path, incidents: int, seed: int, until: date) -> dict:
    """The demo data set of this size under `root/N/`, generated unless one
    with the same size, seed and last day is there. Returns its description,
    including how long its generation took and `reused`."""
    folder = Path(root) / str(incidents)
    description_file = folder / DATASET_FILE
    wanted = {"incidents": incidents, "seed": seed, "until": until.isoformat()}
    if description_file.is_file():
        described = json.loads(description_file.read_text(encoding="utf-8"))
        if {key: described.get(key) for key in wanted} == wanted:
            return described | {"reused": True}
    description_file.unlink(missing_ok=True)  # written last: a half-made data set is never reused
    generated = in_child(measure.generate_demo, folder / "data", incidents, seed, until)
    described = wanted | {"data_dir": str(folder / "data"), "generation": generated}
    if "error" not in generated:
        description_file.write_text(json.dumps(described, indent=2), encoding="utf-8")
    return described | {"reused": False}


def bench_size(root: Path, incidents: int, seed: int, today: date, in_browser: bool = True) -> dict:
    """Every measurement at one size (the browser phase only if `in_browser`)."""
    dataset = ensure_dataset(root, incidents, seed, today)
    result = {"incidents": incidents, "dataset": dataset}
    if "error" in dataset["generation"]:
        return result
    data_dir = Path(dataset["data_dir"])
    sel = measure.default_selection(data_dir, today)
    result["selection"] = {"kommun_kods": list(sel.kommun_kods), "start": str(sel.start), "end": str(sel.end)}
    result["app"] = in_child(measure.pages, data_dir)
    used_params = result["app"].pop("query_params", {})
    result["queries"] = in_child(measure.queries, data_dir, used_params, sel)
    result["map"] = in_child(measure.map_payload, data_dir, sel)
    result["import"] = _import(root, data_dir, incidents)
    result["naive"] = (
        in_child(naive.map_page, data_dir, sel)
        if incidents <= NAIVE_MAX_INCIDENTS
        else {"skipped": f"only up to {NAIVE_MAX_INCIDENTS:,} incidents: {NAIVE_REASON}"}
    )
    result["comparison"] = report.comparison(result)
    result["targets"] = report.targets(result)
    result["browser"] = _browser(root, data_dir, result["selection"]["kommun_kods"], incidents) if in_browser else {
        "skipped": "not asked for (--no-browser)"
    }
    return result


def _browser(root: Path, data_dir: Path, kommun_kods: list[str], incidents: int) -> dict:
    if reason := browser.available():
        return {"skipped": reason}
    measured = in_child(browser.measure_pages, data_dir, kommun_kods, root, incidents <= NAIVE_MAX_INCIDENTS)
    if "error" in measured:
        return measured
    measured["ratios"] = browser.ratios(measured)
    return measured | {"targets": report.browser_targets(measured)}


def _import(root: Path, data_dir: Path, rows: int) -> dict:
    """Every incident of the data set (but today's) exported to a CSV file and
    imported into a copy without incidents, each step in its own process; the
    CSV (about 130 bytes a row: 1.3 GB at ten million) and the copy live in a
    temporary folder under the data root, deleted afterwards."""
    with tempfile.TemporaryDirectory(dir=root, prefix="import-") as work:
        csv_path = Path(work) / "incidents.csv"
        exported = in_child(measure.export_csv, data_dir, csv_path, rows)
        if "error" in exported:
            return exported
        imported = in_child(measure.import_throughput, data_dir, csv_path, exported["rows"], Path(work))
        return imported | {
            "csv_bytes": exported["bytes"], "export_s": exported["seconds"], "export_peak_bytes": exported["peak_bytes"]
        }  # fmt: skip


def run(
    sizes: list[int], root: Path, seed: int = 1, out: Path | None = None, today: date | None = None, in_browser=True
) -> dict:
    """The whole benchmark: prints a table per size as it goes, writes JSON to `out`."""
    today = today or clock.today()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    machine = report.machine()
    print(report.machine_line(machine), flush=True)
    results = {"started_at": clock.now().isoformat(timespec="seconds"), "seed": seed, "machine": machine, "runs": []}
    for incidents in sizes:
        size = bench_size(root, incidents, seed, today, in_browser)
        results["runs"].append(size)
        print(report.table(size), flush=True)
        if out:  # after every size: a long run that is stopped keeps what it measured
            Path(out).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return results
