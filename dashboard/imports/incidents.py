"""Importing incident files: `python -m dashboard import incidents FILE
[--skip-invalid]` and the upload page share this module.

`validate_file` is the dry run (what would be imported, and every problem);
`import_file` validates the same way and then writes, for an author who may
import (an administrator in the app; the command line may). The pipeline runs in
one DuckDB connection over the data directory, streaming, never in pandas:

1. `incident_reader.load`: the file -> table `source_rows`, every cell as
   text with the row number the user sees in their spreadsheet.
2. `queries/import_validate.sql` -> `checked_rows`: parsed values and the
   problems of each row (dates, municipality, coordinates, a point within its
   kommun's boundary: `geography.beyond_tolerance_km`).
3. `queries/import_identify.sql` -> `ids`: each valid row's incident_id
   (made from its content where the file has none, so a file imported twice
   yields the same ids) compared with the stored incidents.
4. Any problem rejects the whole file (`ImportRejected`, nothing written),
   unless `skip_invalid`: then the valid rows are imported and the rejected
   ones written with their reasons to `FILE.rejected.csv` (formula-neutral).
5. `incident_store.add_rows` adds the new rows atomically (see there).

Decisions the report and the upload page state as well:
- A category that no focus area lists is imported with no focus area (it
  counts in totals, but under no focus area) and reported, not rejected: the
  police feed has dozens of event types, and `focus_areas.categories` is data
  that can be extended. The mapping is applied at import time.
- A row without coordinates is placed at its municipality's centre with
  `place_precision` 'kommun', like the police's open events.
- Text is stored exactly as given (only an empty cell becomes NULL):
  formulas, HTML and SQL stay inert text; pages must escape what they show.
- Importing a row whose incident_id is stored with the same content changes
  nothing; with other content it is a rejected row.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow as pa

from dashboard import areas, clock, db, geo, geography, imports, incident_store, records, shapes
from dashboard.imports import incident_reader, polisen, report_path
from dashboard.imports.skipped import Skips, Text
from dashboard.roles import Author
from dashboard.validation import ImportRejected, ImportResult, Problem

#: progress(fraction 0..1, stage) where stage is a key of STAGES.
Progress = Callable[[float, str], None]
#: stage (as the command line shows it) -> (share of the work done when it ends, Swedish label)
STAGES = {
    "reading": (0.35, "läser filen"),
    "validating": (0.65, "kontrollerar raderna"),
    "comparing": (0.75, "jämför med sparade händelser"),
    "writing": (1.0, "sparar"),
}
#: Sources whose events are edited after publication: a newer version replaces the stored one.
REPLACEABLE_SOURCES = (polisen.SOURCE,)
#: Source recorded for rows whose file has no source column.
DEFAULT_SOURCE = "import"
EARLIEST = datetime(1900, 1, 1)
#: Clocks of other systems may run a little ahead of ours.
FUTURE_TOLERANCE = timedelta(minutes=10)
#: Problems listed in full (the report file has all rejected rows).
MAX_LISTED = 1000
#: DuckDB's working memory for an import; larger intermediate results spill to disk.
MEMORY_LIMIT = "512MB"
TIMEZONE = ZoneInfo("Europe/Stockholm")

#: problem code -> (English, Swedish); {detail} comes from the check. A point outside its
#: kommun is said by `geography.outside_message`.
REASONS = {
    "missing": ("missing value", "värde saknas"),
    "missing_pair": ("missing value ({detail} is given)", "värde saknas ({detail} är angiven)"),
    "date_unparseable": (
        "not a date and time (write YYYY-MM-DD HH:MM)",
        "inte ett datum med klockslag (skriv ÅÅÅÅ-MM-DD TT:MM)",
    ),
    "date_impossible": ("impossible date or time", "omöjligt datum eller klockslag"),
    "date_too_early": ("date before 1900", "datum före 1900"),
    "date_future": ("date in the future", "datum i framtiden"),
    "county": (
        "a county cannot be placed in a municipality",
        "ett län kan inte placeras i en kommun",
    ),
    "kommun_unknown": ("unknown municipality", "okänd kommun"),
    "kommun_kod_unknown": ("unknown municipality code", "okänd kommunkod"),
    "kommun_conflict": (
        "municipality code and name ({detail}) disagree",
        "kommunkod och kommunnamn ({detail}) stämmer inte överens",
    ),
    "not_number": ("not a number", "inte ett tal"),
    "precision_unknown": (
        "unknown place precision (use point or kommun)",
        "okänd platsprecision (använd point eller kommun)",
    ),
    "outside_sweden": ("point outside Sweden", "punkten ligger utanför Sverige"),
    "outside_sweden_crs": (
        "point outside Sweden in {crs}; {detail} would place it in Sweden (use --crs)",
        "punkten ligger utanför Sverige i {crs}; {detail} skulle placera den i Sverige",
    ),
    "no_served_kommun": (
        "the point lies in no municipality of this installation",
        "punkten ligger inte i någon av installationens kommuner",
    ),
    "outside_sweden_swapped": (
        "point outside Sweden (latitude and longitude swapped?)",
        "punkten ligger utanför Sverige (latitud och longitud omkastade?)",
    ),
    "id_repeated": (
        "incident_id already used in row {detail} with different content",
        "incident_id används redan på rad {detail} med annat innehåll",
    ),
    "id_conflict": (
        "incident_id already stored with different content",
        "incident_id finns redan sparad med annat innehåll",
    ),
    "truncated": (
        "truncated row: fewer fields than the header",
        "avkortad rad: färre fält än rubrikraden",
    ),
    "too_many_fields": (
        "more fields than the header (a separator in an unquoted value?)",
        "fler fält än rubrikraden (avgränsare i ett värde utan citattecken?)",
    ),
    "bad_quote": ("unterminated or misplaced quote", "citattecken som inte avslutas"),
    "unreadable": ("row cannot be read ({detail})", "raden kan inte läsas ({detail})"),
}
SKIP_REASONS = polisen.SKIP_REASONS


@dataclass
class Plan:
    """What importing a file does: the answer of a dry run."""

    file: Path
    rows: int
    new: int
    #: Stored incidents of which the file holds a newer version (the police feed's edits).
    replaced: int
    unchanged: int
    rejected_rows: int
    problem_count: int
    #: The first MAX_LISTED problems, in file order.
    problems: list[Problem]
    #: Rows that are not incidents, with the reason.
    skipped: list[Problem]
    #: Category -> new rows whose category no focus area lists.
    unmapped: dict[str, int]
    #: Header names that mean nothing to the import.
    ignored_columns: list[str]
    #: Ids under which a reused police id's new event is stored (`polisen.REUSED_AFTER_HOURS`).
    reused: list[str] = field(default_factory=list)

    def notes(self, swedish: bool = False) -> list[str]:
        return notes(self.skipped, self.unmapped, self.ignored_columns, swedish, self.reused)


@dataclass
class IncidentImportResult(ImportResult):
    replaced: int = 0
    skipped: list[Problem] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)

    def notes(self, swedish: bool = False) -> list[str]:
        """What else the user should know, one line each."""
        return notes(self.skipped, self.unmapped, self.ignored_columns, swedish, self.reused)


def notes(
    skipped: list[Problem], unmapped: dict[str, int], ignored: list[str], swedish: bool = False, reused=()
) -> list[str]:  # fmt: skip
    skips = Skips()
    for problem in skipped:
        skips.add(Text(problem.reason_en, problem.reason_sv), problem.value)
    lines = skips.lines(swedish)
    if reused:
        listed = ", ".join(reused[:10])
        lines.append(
            f"Händelse-id som polisen återanvänt för en annan händelse (sparas som nya händelser): {listed}"
            if swedish
            else f"event ids the police reused for another event (stored as new incidents): {listed}"
        )
    if unmapped:
        listed = ", ".join(f"{c} ({n})" for c, n in list(unmapped.items())[:10])
        lines.append(
            f"Kategorier som inget fokusområde omfattar (importeras utan fokusområde): {listed}"
            if swedish
            else f"categories that no focus area lists (imported without a focus area): {listed}"
        )
    if ignored:
        lines.append(
            f"Kolumner som inte används: {', '.join(ignored)}"
            if swedish
            else f"columns not used: {', '.join(ignored)}"
        )
    return lines


def validate_file(
    path: Path, data_dir: Path, progress: Progress | None = None, format: str | None = None, crs: int | None = None
) -> Plan:
    """Check `path` against the data directory without writing anything.

    `format` forces an adapter (`incident_reader.FORMATS`), `crs` the EPSG code
    of projected coordinates (else recognised, `geo.detect`). Raises
    ImportRejected when the file as a whole cannot be read."""
    with _Import.open(Path(data_dir), progress) as run:
        return run.plan(Path(path), format, crs)


def import_file(
    path: Path,
    data_dir: Path,
    author: Author,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    crs: int | None = None,
) -> IncidentImportResult:
    """Validate `path` and add its incidents to `data_dir` (see the module docstring)."""
    records.require(author.may_import)
    path, data_dir = Path(path), Path(data_dir)
    with incident_store.locked(data_dir), _Import.open(data_dir, progress) as run:
        incident_store.recover(data_dir)
        plan = run.plan(path, format, crs)
        if plan.problem_count and not skip_invalid:
            raise ImportRejected(plan.problems)
        rejected = run.write_report(path) if plan.problem_count else []
        incident_reader.release(run.con)
        if plan.new or plan.replaced:
            run.con.execute("CREATE OR REPLACE TABLE replaced_ids AS SELECT incident_id FROM ids WHERE status = 'replaced'")
            incident_store.add_rows(
                run.con, data_dir, db.query_text("import_new_rows"), {}, run.runner("writing"),
                replaced="replaced_ids" if plan.replaced else None, author=author,
            )  # fmt: skip
            areas.assign(data_dir)  # the new incidents into their areas
    return IncidentImportResult(
        written=plan.new + plan.replaced,
        replaced=plan.replaced,
        unchanged=plan.unchanged,
        rejected=rejected or None,
        report=report_path(path) if rejected else None,
        skipped=plan.skipped,
        unmapped=plan.unmapped,
        ignored_columns=plan.ignored_columns,
        reused=plan.reused,
    )


class _Import:
    """One import's DuckDB connection, working directory and progress."""

    def __init__(self, con: duckdb.DuckDBPyConnection, data_dir: Path, work_dir: Path, progress: Progress | None):
        self.con, self.data_dir, self.work_dir, self.progress = con, data_dir, work_dir, progress
        self.source: incident_reader.Source | None = None
        self.crs = 3006
        self.served = [c for (c,) in con.execute("SELECT kommun_kod FROM municipalities").fetchall()]
        geo.register(con)

    @classmethod
    @contextlib.contextmanager
    def open(cls, data_dir: Path, progress: Progress | None) -> Iterator[_Import]:
        with tempfile.TemporaryDirectory(prefix="lagesbild-import-") as work:
            con = db.connect(data_dir)
            try:
                temp = str(Path(work) / "duckdb").replace("'", "''")
                con.execute(f"SET temp_directory = '{temp}'")
                con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
                con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
                con.execute("SET progress_bar_time = 0")
                yield cls(con, data_dir, Path(work), progress)
            finally:
                con.close()

    # --- running statements with progress ---------------------------------

    def runner(self, stage: str) -> Callable[[str, dict | None], None]:
        """`run(sql, params)` that reports DuckDB's progress within `stage`."""
        keys = list(STAGES)
        start = STAGES[keys[keys.index(stage) - 1]][0] if keys.index(stage) else 0.0
        end = STAGES[stage][0]

        def run(sql: str, params: dict | None = None) -> None:
            if self.progress is None:
                self.con.execute(sql, params)
                return
            self.progress(start, stage)
            # The statement runs in a worker thread; this (the caller's) thread
            # polls its progress, so a Streamlit page can draw it.
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                future = pool.submit(self.con.execute, sql, params)
                while True:
                    try:
                        future.result(timeout=0.5)
                        break
                    except TimeoutError:
                        percent = self.con.query_progress()
                        if percent >= 0:
                            self.progress(start + (end - start) * min(percent, 100) / 100, stage)
            self.progress(end, stage)

        return run

    def create(self, table: str, query: str, params: dict, stage: str) -> None:
        """CREATE TABLE `table` from the named query."""
        bound = {k: params[k] for k in db.query_params(query)}
        self.runner(stage)(f"CREATE OR REPLACE TABLE {table} AS {db.query_text(query)}", bound)

    def rows(self, query: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(db.query_text(query), params or {}).fetchall()

    # --- the dry run -------------------------------------------------------

    def _detect_crs(self) -> int:
        """EPSG code of the file's projected coordinates (3006 when it has none)."""
        north, east = self.source.columns.get("sweref99_n"), self.source.columns.get("sweref99_e")
        if not (north and east):
            return 3006
        sample = self.con.execute(
            f"SELECT import_number({north}), import_number({east}) FROM source_rows LIMIT 2000"
        ).fetchnumpy()
        values = [np.asarray(v, dtype=float) for v in sample.values()]
        inside = lambda lat, lon: np.not_equal(geo.kommun_of_points(self.served, lat, lon), None)  # noqa: E731
        return geo.detect(self.source.headers, *values, inside)

    def _locate_points(self) -> None:
        """Table `point_kommun` (row, kommun_kod): for a file without a kommun column,
        the served kommun each row's point lies in."""
        self.con.execute("CREATE OR REPLACE TABLE point_kommun (row BIGINT, kommun_kod VARCHAR)")
        cols = self.source.columns
        if "kommun" in cols or "kommun_kod" in cols:
            return
        a, b = ("lat", "lon") if "lat" in cols else ("sweref99_n", "sweref99_e")
        found = self.con.execute(
            f"SELECT row, import_number({cols[a]}) AS a, import_number({cols[b]}) AS b FROM source_rows"
        ).fetchnumpy()
        first, second = np.asarray(found["a"], float), np.asarray(found["b"], float)
        if a == "lat":
            lat, lon = first, second
        else:
            if self.source.axes_by_value:
                first, second = np.maximum(first, second), np.minimum(first, second)
            lat, lon = geo.to_wgs84(first, second, self.crs)
        codes = geo.kommun_of_points(self.served, lat, lon)
        located = pa.table({"row": pa.array(found["row"], pa.int64()), "kommun_kod": pa.array(codes, pa.string())})
        self.con.execute("INSERT INTO point_kommun SELECT * FROM located")

    def _check_boundaries(self) -> None:
        """A point outside its kommun's boundary, beyond the tolerance, is a problem of its
        row (`geography.beyond_tolerance_km`, one vectorised call per kommun)."""
        kommuner = [code for (code,) in self.rows("import_point_kommuner")]
        if not kommuner:  # the police feed, and files without coordinates
            return
        boundaries = shapes.served_boundaries(partial(db.run_query, self.con))
        rows, km = [np.empty(0, np.int64)], [np.empty(0)]
        for code in kommuner:
            if code in boundaries:
                points = self.con.execute(db.query_text("import_points_of_kommun"), {"kommun_kod": code}).fetchnumpy()
                found = geography.beyond_tolerance_km(code, points["lat"], points["lon"], boundaries[code])
                rows.append(points["row"].astype(np.int64)[~np.isnan(found)])
                km.append(found[~np.isnan(found)])
        outside = pa.table({"row": np.concatenate(rows), "km": np.concatenate(km)})  # noqa: F841 (read by the query)
        if outside.num_rows:
            self.con.execute(db.query_text("import_outside_kommun"))

    def plan(self, path: Path, format: str | None = None, crs: int | None = None) -> Plan:
        if not db.has_data(self.data_dir):
            raise incident_reader.rejected(
                path,
                f"the data directory {self.data_dir} has no municipalities table; create it first (e.g. demo)",
                f"datamappen {self.data_dir} saknar kommuntabellen; skapa den först",
            )
        self.source = source = incident_reader.load(self.con, path, self.work_dir, self.runner("reading"), format)
        self.crs = crs or self._detect_crs()
        self._locate_points()
        self.con.execute(f"CREATE OR REPLACE VIEW incoming AS {source.select_sql()}")
        # Rows carry their number from here on; not keeping their order saves memory.
        self.con.execute("SET preserve_insertion_order = false")
        now = clock.now(TIMEZONE).replace(tzinfo=None) + FUTURE_TOLERANCE
        params = geo.plausibility_params() | {
            "now": now,
            "earliest": EARLIEST,
            "default_source": DEFAULT_SOURCE,
            "crs": self.crs,
            "axes_by_value": source.axes_by_value,
            "replaceable_sources": list(REPLACEABLE_SOURCES),
            "reused_after_hours": polisen.REUSED_AFTER_HOURS,
        }
        self.create("checked_rows", "import_validate", params, "validating")
        self._check_boundaries()
        self.create("ids", "import_identify", params, "comparing")
        self.con.execute(f"CREATE OR REPLACE TABLE problems AS {db.query_text('import_problems')}")
        rows, new, replaced, unchanged, rejected_rows, problem_count = self.rows("import_summary")[0]
        skipped = [self._skipped(*r) for r in self.rows("import_skipped")]
        if rows == 0 and not skipped:
            raise incident_reader.rejected(path, "the file has no data rows", "filen innehåller inga datarader")
        return Plan(
            file=path,
            rows=rows,
            new=new,
            replaced=replaced,
            unchanged=unchanged,
            rejected_rows=rejected_rows,
            problem_count=problem_count,
            problems=self._listed_problems(problem_count),
            skipped=skipped,
            unmapped=dict(self.rows("import_unmapped")),
            ignored_columns=source.ignored,
            reused=[i for (i,) in self.con.execute("SELECT incident_id FROM ids WHERE reused ORDER BY row").fetchall()],
        )

    def _listed_problems(self, count: int) -> list[Problem]:
        listed = [self.problem(*r) for r in self.rows("import_problem_list", {"limit": MAX_LISTED})]
        if count > len(listed):
            listed.insert(
                0,
                Problem(
                    str(self.source.path), None, None, None,
                    f"{count:,} problems; the first {len(listed):,} are listed, "
                    "--skip-invalid writes every rejected row to the report file",
                    f"{count} problem; de första {len(listed)} visas, rapportfilen innehåller alla avvisade rader",
                ),  # fmt: skip
            )
        return listed

    def problem(self, row, column, value, code, detail, km) -> Problem:
        if code == "missing_pair":
            detail = self.source.header(detail)
        if code == "outside_sweden_crs":
            north, east = (float(v) for v in detail.split())
            detail = geo.system_placing_in_sweden(north, east)
            code = "outside_sweden_crs" if detail else "outside_sweden"
        args = {"detail": detail, "crs": geo.name(self.crs)}
        en, sv = REASONS[code] if code != "outside_kommun" else (
            geography.outside_message(detail, km, "en"), geography.outside_message(detail, km)
        )  # fmt: skip
        header = self.source.header(column) if column else None
        return Problem(str(self.source.path), row, header, value, en.format(**args), sv.format(**args))

    def _skipped(self, row, category, reason) -> Problem:
        said = SKIP_REASONS[reason]
        return Problem(str(self.source.path), row, self.source.header("category"), category, said.en, said.sv)

    # --- the report of rejected rows -----------------------------------------

    def write_report(self, path: Path) -> list[Problem]:
        """Write every rejected row, as read, with its problems (`imports.report`); return the problems."""
        width, problems = len(self.source.headers), []

        def lines():
            result = self.con.execute(db.query_text("import_report_rows"))
            while batch := result.fetchmany(10_000):
                for row, found, cells in batch:
                    found = [self.problem(row, **p) for p in found]
                    problems.extend(found)
                    yield imports.line(row, [(cells or {}).get(f"c{i}") for i in range(width)], found)

        imports.write_rejected(path, self.source.headers, lines(), self.source.delimiter)
        return problems
