"""`python -m dashboard COMMAND`: demo, init, import, fetch, check, report, run, bench, loadtest, migrate.

Exit code 0 on success; on failure a message in English that names the file,
row and column, and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import PROJECT_ROOT, db
from dashboard.config import MODES, ConfigError, settings
from dashboard.filters import Selection

if TYPE_CHECKING:
    from dashboard.filter_options import Options


def _data_dir(args) -> Path:
    return Path(args.data_dir) if args.data_dir else settings().data_dir


def cmd_demo(args) -> int:
    from dashboard.demo import write_demo

    data_dir = _data_dir(args)
    if db.has_data(data_dir):
        if args.if_empty:
            print(f"{data_dir} already holds data; demo data not written.")
            return 0
        if not args.force:
            print(f"error: {data_dir} already holds data; use --force to replace it with demo data", file=sys.stderr)
            return 2
    started = time.perf_counter()
    until = date.fromisoformat(args.until) if args.until else None
    counts = write_demo(data_dir, incidents=args.incidents, seed=args.seed, until=until)
    took = time.perf_counter() - started
    print(f"Demo data written to {data_dir} in {took:.1f} s:")
    for name, n in counts.items():
        print(f"  {name:<20} {n:>10,} rows")
    return 0


def cmd_init(args) -> int:
    from dashboard import init_data

    return init_data.main(_data_dir(args), args.kommun, args.force, args.add)


def cmd_check(args) -> int:
    from dashboard.check import check_data_dir

    problems = check_data_dir(_data_dir(args))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found in {_data_dir(args)}", file=sys.stderr)
        return 1
    print(f"{_data_dir(args)}: no problems found")
    return 0


#: import kind -> module with `import_file(path, data_dir, author, skip_invalid[, progress])`.
IMPORTERS = {
    "incidents": "dashboard.imports.incidents",
    "indicators": "dashboard.imports.statistics",
    "commitments": "dashboard.imports.commitments",
    "population": "dashboard.imports.population",
    "boundaries": "dashboard.imports.boundaries",
    "areas": "dashboard.areas",
}


def cmd_import(args) -> int:
    import importlib

    from dashboard import progress_bar, roles
    from dashboard.validation import ImportRejected

    module = importlib.import_module(IMPORTERS[args.kind])
    bar = progress_bar.for_terminal(module.import_file)
    try:
        result = module.import_file(
            Path(args.file), _data_dir(args), roles.command_line_author(), skip_invalid=args.skip_invalid,
            **({"progress": bar} if bar else {}), **_source_options(args, module.import_file),
        )  # fmt: skip
    except ImportRejected as exc:
        return _rejected(exc, args.file)
    finally:
        if bar:
            bar.close()
    return _imported(result, args.file)


def _source_options(args, import_file) -> dict:
    """--format, --indicator, --year and --crs where given; one the importer does not take is an error."""
    import inspect

    given = {
        name: getattr(args, name) for name in ("format", "indicator", "year", "crs") if getattr(args, name) is not None
    }
    unknown = given.keys() - inspect.signature(import_file).parameters.keys()
    if unknown:
        raise SystemExit(f"error: import {args.kind} takes no --{', --'.join(sorted(unknown))}")
    return given


def _rejected(exc, source: str) -> int:
    for problem in exc.problems[:50]:
        print(problem.english(), file=sys.stderr)
    if len(exc.problems) > 50:
        print(f"... and {len(exc.problems) - 50} more", file=sys.stderr)
    print(f"error: {len(exc.problems)} problem(s) in {source}; nothing was imported", file=sys.stderr)
    return 1


def _imported(result, source: str) -> int:
    replaced = getattr(result, "replaced", 0)
    print(
        f"{source}: {result.written:,} row(s) imported"
        + (f" ({replaced:,} newer version(s) of stored ones)" if replaced else "")
        + f", {result.unchanged:,} already present"
    )
    for note in result.notes():
        print(note)
    if result.rejected:
        rows = len({problem.row for problem in result.rejected})  # a row may have several problems
        print(f"{rows:,} row(s) rejected; see {result.report}")
    return 0


def cmd_fetch_polisen(args) -> int:
    from dashboard import roles
    from dashboard.imports import fetch
    from dashboard.validation import ImportRejected

    url = fetch.feed_url()
    try:
        result = fetch.fetch_polisen(_data_dir(args), roles.command_line_author(), url)
    except ImportRejected as exc:
        return _rejected(exc, url)
    return _imported(result, url)


def cmd_fetch_kolada(args) -> int:
    from dashboard import roles
    from dashboard.imports import kolada
    from dashboard.validation import ImportRejected

    try:
        result = kolada.fetch(args.kpi, _data_dir(args), roles.command_line_author(), args.year)
    except kolada.FetchFailed as exc:
        print(f"error: {exc}; nothing was imported", file=sys.stderr)
        return 1
    except ImportRejected as exc:
        return _rejected(exc, kolada.base_url())
    return _imported(result, kolada.base_url())


def cmd_basemap(args) -> int:
    from dashboard import basemap

    data_dir = _data_dir(args)
    if args.action == "remove":
        removed = basemap.remove(data_dir)
        print("Base map removed; the map has a plain background." if removed else "No base map to remove.")
        return 0
    if not args.file:
        print("error: basemap import needs FILE.mbtiles", file=sys.stderr)
        return 2
    try:
        found = basemap.import_mbtiles(Path(args.file), data_dir, basemap.kommun_boxes(data_dir))
    except basemap.BasemapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: {found.tiles:,} tiles, zoom {found.min_zoom}–{found.max_zoom}, imported as the base map")
    return 0


def _epsg(text: str) -> int:
    from dashboard import geo

    code = text.upper().removeprefix("EPSG:")
    if not code.isdigit() or int(code) not in geo.SYSTEMS:
        known = ", ".join(f"EPSG:{c} ({n})" for c, n in geo.SYSTEMS.items())
        raise argparse.ArgumentTypeError(f"unknown coordinate system {text!r}; known: {known}")
    return int(code)


def cmd_report(args) -> int:
    from dashboard import filter_options, report, storage
    from dashboard.report import build

    out = Path(args.out)
    if out.suffix.lower() not in report.RENDERERS:
        print(f"error: --out must end in .html or .xlsx, not {out.name!r}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"error: no directory {out.parent} to write {out.name} in", file=sys.stderr)
        return 2
    if not db.has_data(_data_dir(args)):
        print(f"error: {_data_dir(args)} holds no data; run 'python -m dashboard demo' or import first", file=sys.stderr)
        return 2
    if args.minutes:
        return _write_minutes(args, out)
    if not (args.start and args.end):
        print("error: --from and --to are required (or --minutes MEETING_ID)", file=sys.stderr)
        return 2
    with db.connect(_data_dir(args)) as con:
        run = functools.partial(db.run_query, con)
        try:
            sel = _selection(filter_options.load(run), args.kommun, args.fokus, args.start, args.end)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        started = time.perf_counter()
        built = build.build(run, sel, args.mode or settings().mode)
        storage.write_bytes_atomic(out, report.render(built, out.suffix.lower()))
    took = time.perf_counter() - started
    print(f"Report ({built.mode}) written to {out}: {out.stat().st_size / 1024:,.0f} kB in {took:.1f} s")
    return 0


def _write_minutes(args, out: Path) -> int:
    """`report --minutes MEETING_ID --out F.html|F.xlsx`: the minutes of one meeting."""
    from dashboard import storage
    from dashboard.report import minutes

    with db.connect(_data_dir(args)) as con:
        try:
            built = minutes.build(functools.partial(db.run_query, con), args.minutes, args.mode or settings().mode)
        except minutes.UnknownMeeting as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        storage.write_bytes_atomic(out, minutes.RENDERERS[out.suffix.lower()](built))
    print(f"Minutes of {args.minutes} written to {out}")
    return 0


def _selection(opts: Options, kommun: str | None, focus: str | None, start: date, end: date) -> Selection:
    """A selection from --kommun, --fokus, --from and --to; all municipalities unless named."""
    if start > end:
        raise ValueError(f"--from {start} is after --to {end}")
    kommun_kods = _pick(kommun, opts.kommun_names, "municipality") or tuple(opts.kommun_names)
    return Selection(kommun_kods, _pick(focus, opts.focus_names, "focus area"), "anpassad", start, end)


def _pick(text: str | None, names: dict[str, str], what: str) -> tuple[str, ...]:
    """Codes from a comma-separated list of codes or names (any case); none given: ()."""
    wanted = [part.strip() for part in (text or "").split(",") if part.strip()]
    by_name = {name.casefold(): code for code, name in names.items()} | {code.casefold(): code for code in names}
    unknown = [w for w in wanted if w.casefold() not in by_name]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(names)})")
    return tuple(dict.fromkeys(by_name[w.casefold()] for w in wanted))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def cmd_bench(args) -> int:
    from dashboard.bench.runner import run

    out = Path(args.out) if args.out else None
    run(args.incidents, Path(args.data_root), seed=args.seed, out=out, in_browser=args.browser)
    if args.out:
        print(f"\nResults written to {args.out}")
    return 0


def cmd_loadtest(args) -> int:
    from dashboard import pg_local
    from dashboard.bench import loadtest

    if pg_local.binaries() is None:
        print(f"error: {pg_local.HOW_TO_GET}", file=sys.stderr)
        return 2
    report = loadtest.run(args.sessions, args.seconds, args.incidents)
    print(loadtest.table(report))
    if args.out:
        loadtest.write(report, Path(args.out))
        print(f"\nResults written to {args.out}")
    lost = report["errors"] or report["follow_ups_missing_on_other_server"]
    return 1 if lost else 0


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("numbers of incidents must be positive")
    return sizes


def cmd_run(args) -> int:
    from dashboard.static_assets import ensure_leaflet

    try:
        settings()  # a refused setting stops here, in one line, before a server starts
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ensure_leaflet()  # before the server starts, so it finds dashboard/static/ to serve
    app = PROJECT_ROOT / "dashboard" / "app.py"
    env = os.environ | ({"LAGESBILD_DATA_DIR": str(args.data_dir)} if args.data_dir else {})
    command = [sys.executable, "-m", "streamlit", "run", str(app), *args.streamlit_args]
    return subprocess.call(command, cwd=PROJECT_ROOT, env=env)


def cmd_migrate(args) -> int:
    from dashboard import tables

    url = tables.database_url()
    if not url:
        print(f"error: {tables.URL_SETTING} is not set: the Parquet data directory needs no migration", file=sys.stderr)
        return 2
    applied = tables.PostgresStore(url).migrate()
    print(f"Migrations applied: {', '.join(applied)}." if applied else "The database is up to date.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard", description="Lägesbild: situational-picture dashboard.")
    p.add_argument("--data-dir", help="data directory (default: $LAGESBILD_DATA_DIR or data/)")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="write the demo data set")
    demo.add_argument("--incidents", type=int, default=50_000, help="number of incidents (default 50 000)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.add_argument("--until", help="last day of the data, YYYY-MM-DD (default today)")
    demo.add_argument("--force", action="store_true", help="replace data already in the directory")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if the directory holds data")
    demo.set_defaults(func=cmd_demo)

    init = sub.add_parser("init", help="create a data directory for any of the 290 kommuner")
    init.add_argument("--kommun", action="append", required=True, help="code or name; repeat or comma-separate for more")
    init.add_argument("--force", action="store_true", help="replace the data already in the directory")
    init.add_argument("--add", action="store_true", help="serve these kommuner too, keeping the data")
    init.set_defaults(func=cmd_init)

    check = sub.add_parser("check", help="validate the data directory")
    check.set_defaults(func=cmd_check)

    imp = sub.add_parser("import", help="validate and import a file")
    imp.add_argument("kind", choices=list(IMPORTERS))
    imp.add_argument("file")
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows, report the rest")
    imp.add_argument("--format", help="the file's format when it is not recognised (the error lists them)")
    imp.add_argument("--indicator", help="statistics files: the indicator to fill, whatever the source id")
    imp.add_argument("--year", type=int, help="Brå's kommun file: the year, when the file name has none")
    imp.add_argument("--crs", type=_epsg, help="incidents: the system of projected X/Y or N/E columns, e.g. EPSG:3007")
    imp.set_defaults(func=cmd_import)

    fetch = sub.add_parser("fetch", help="fetch a source over the network and import what is new or changed")
    sources = fetch.add_subparsers(dest="source", required=True)
    kolada = sources.add_parser("kolada", help="Kolada key figures for this installation's kommuner")
    kolada.add_argument("--kpi", action="append", required=True, help="a KPI id (N07403); repeat for more")
    kolada.add_argument("--year", action="append", type=int, help="a year; repeat for more (default: every year)")
    kolada.set_defaults(func=cmd_fetch_kolada)
    polisen = sources.add_parser("polisen", help="the police's open events feed (cron-safe, every 30 minutes)")
    polisen.set_defaults(func=cmd_fetch_polisen)
    base = sub.add_parser("basemap", help="offline base map: import a raster MBTiles file, or remove it")
    base.add_argument("action", choices=["import", "remove"])
    base.add_argument("file", nargs="?", help="FILE.mbtiles (for import)")
    base.set_defaults(func=cmd_basemap)

    bench = sub.add_parser("bench", help="measure speed and memory, and compare with the naive way")
    bench.add_argument(
        "--incidents", type=_sizes, default=[1_000_000, 10_000_000], help="sizes, comma-separated (default 1000000,10000000)"
    )
    bench.add_argument("--out", help="write the results as JSON to this file")
    bench.add_argument("--data-root", default="bench-data", help="where demo data sets are kept (default bench-data/)")
    bench.add_argument("--seed", type=int, default=1, help="random seed of the demo data")
    bench.add_argument(
        "--browser", action=argparse.BooleanOptionalAction, default=True,
        help="also time every page in headless Chromium against an empty page (default: on)",
    )  # fmt: skip
    bench.set_defaults(func=cmd_bench)

    load = sub.add_parser("loadtest", help="simulated sessions on two app servers over one PostgreSQL and shared data")
    load.add_argument("--sessions", type=int, default=20, help="simulated sessions at once (default 20)")
    load.add_argument("--seconds", type=float, default=60, help="how long they keep working (default 60)")
    load.add_argument("--incidents", type=int, default=20_000, help="demo incidents (default 20000)")
    load.add_argument("--out", help="write the report as JSON to this file")
    load.set_defaults(func=cmd_loadtest)

    rep = sub.add_parser("report", help="write the meeting report for a selection as HTML or Excel")
    rep.add_argument("--kommun", help="municipality codes or names, comma-separated (default: all)")
    rep.add_argument("--fokus", help="focus area codes or names, comma-separated (default: all)")
    rep.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD")
    rep.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    rep.add_argument("--minutes", metavar="MEETING_ID", help="write the minutes of this meeting instead")
    rep.add_argument("--out", required=True, help="the file to write: FILE.html or FILE.xlsx")
    rep.add_argument("--mode", choices=MODES, help="what the report may show (default: $LAGESBILD_MODE)")
    rep.set_defaults(func=cmd_report)

    migrate = sub.add_parser("migrate", help="create or update the tables in PostgreSQL ($LAGESBILD_DATABASE_URL)")
    migrate.set_defaults(func=cmd_migrate)

    run = sub.add_parser("run", help="start the app")
    run.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="passed on to streamlit run")
    run.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (OSError, ValueError, OverflowError) as exc:  # a full or read-only disk, a bad file or value: one line
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
