"""The demo data set: the seven seed municipalities, the five seed pledges and
synthetic incidents, updates, meetings and indicator values around them.

Everything is drawn from one `numpy` generator, so a seed and a reference date
(`until`, default today) give the same data set every time. Incidents are
generated in vectorised groups (municipality x category) and written by DuckDB
as Hive partitions, which is what keeps a million incidents at a few seconds.
They are made and written CHUNK_ROWS at a time, each chunk a sample of the
whole period, so that memory follows the chunk, not the number of incidents
(the same seed gives the same data for the same CHUNK_ROWS).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
import shapely.affinity

from dashboard import areas, clock, geography, incident_store, seeds, storage, summaries, tables
from dashboard.schema import TABLES, to_arrow

#: Spread of incidents around a place, in metres, by place type.
PLACE_SPREAD_M = {
    "centrum": 180, "station": 120, "skola": 120, "park": 150, "strak": 250,
    "handel": 200, "bostadsomrade": 350, "hamn": 200, "vag": 900,
}  # fmt: skip
#: Relative frequency of each category before the pledges' focus is added.
CATEGORY_WEIGHT = {
    "Stöld": 20, "Skadegörelse": 9, "Bedrägeri": 9, "Ordningsstörning": 7,
    "Misshandel": 6, "Narkotikabrott": 6, "Trafikbrott": 6, "Inbrott": 4,
    "Cykelstöld": 4, "Klotter": 4, "Olaga hot": 4, "Fylleri/LOB": 4,
    "Eget bruk av narkotika": 3, "Rattfylleri": 3, "Nedskräpning": 3,
    "Misshandel i nära relation": 3, "Olaga hot i nära relation": 2,
    "Otrygg miljö (EST)": 2, "Trasig belysning (EST)": 2, "Buskörning": 2,
    "Sexuellt ofredande": 2, "Brott mot äldre": 1.5, "Rån": 1,
    "Vapenbrott": 0.8, "Hedersrelaterat brott": 0.4, "Våldtäkt": 0.5,
    "Skottlossning": 0.15,
}  # fmt: skip
#: Categories reported by the municipality rather than the police.
MUNICIPAL_SOURCES = {
    "Otrygg miljö (EST)": "est",
    "Trasig belysning (EST)": "est",
    "Nedskräpning": "kommun",
}
SHARE_KOMMUN_PRECISION = 0.08  # like the police's open events: only the municipality
SHARE_SCATTERED = 0.10  # incidents away from any named place
FIRST_DAY = date(2021, 1, 1)  # the earliest seed pledge starts here
#: Demo areas: the seed places of these types, as areas of this kind and radius (metres).
AREA_AROUND = {"centrum": ("centrum", 500), "skola": ("skolomrade", 250), "bostadsomrade": ("bostadsomrade", 800)}
#: Incidents generated and written at a time (a few hundred MB of memory).
CHUNK_ROWS = 500_000


def _profile_weights() -> dict[str, np.ndarray]:
    """Weekday x hour (7 x 24) weights per time-of-day profile.

    'night' carries the Lidköping dialogue's finding: disorder and intoxication
    on evenings and weekend nights.
    """
    hours = np.arange(24)

    def bump(centre: float, width: float) -> np.ndarray:
        dist = np.minimum(abs(hours - centre), 24 - abs(hours - centre))
        return np.exp(-0.5 * (dist / width) ** 2)

    def grid(days: list[float], hour_w: np.ndarray) -> np.ndarray:
        return np.outer(np.array(days), 0.05 + hour_w)

    weekend_night = np.zeros((7, 24))
    weekend_night[4, 21:] = weekend_night[5, :4] = 1  # Friday night into Saturday
    weekend_night[5, 21:] = weekend_night[6, :4] = 1  # Saturday night into Sunday
    night = grid([1, 1, 1, 1.2, 1.8, 2.2, 1.5], bump(23.5, 2.5)) + 2.5 * weekend_night
    return {
        "night": night,
        "evening": grid([1, 1, 1, 1.1, 1.5, 1.6, 1.2], bump(20, 2.5)) + 0.8 * weekend_night,
        "day": grid([1.2, 1.2, 1.2, 1.2, 1.2, 0.8, 0.6], bump(13, 3.5)),
        "commute": grid([1.2, 1.2, 1.2, 1.2, 1.3, 0.8, 0.7], bump(8, 1.2) + bump(16.5, 1.5)),
        "afternoon": grid([1.3, 1.3, 1.3, 1.3, 1.2, 0.5, 0.4], bump(15, 2.0)),
        "home": grid([1, 1, 1, 1, 1.3, 1.6, 1.5], bump(21, 3.0)),
    }


def _offset_degrees(lat: float, north_m: np.ndarray, east_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Metres north and east as degrees of latitude and longitude near `lat`."""
    return north_m / 111_320, east_m / (111_320 * np.cos(np.radians(lat)))


def generate_incidents(n: int, rng: np.random.Generator, until: date, first_id: int = 0) -> pa.Table:
    """`n` incidents from FIRST_DAY to `until`, clustered at the seed places,
    numbered from `first_id`."""
    ref = seeds.reference()
    munis = ref["municipalities"]
    categories = ref["categories"]
    focus_by_kommun = seeds.focus_areas_by_kommun()
    profiles = _profile_weights()
    days = np.arange((until - FIRST_DAY).days + 1)
    years_in = days / 365.25
    season = 1 + 0.15 * np.sin(2 * np.pi * (days - 100) / 365.25)  # more in summer

    share = munis["population"].to_numpy(float) ** 0.9
    per_kommun = rng.multinomial(n, share / share.sum())
    parts = []
    for (_, muni), n_kommun in zip(munis.iterrows(), per_kommun):
        boost = np.where(categories["focus_area"].isin(focus_by_kommun.get(muni.kommun_kod, ())), 1.6, 1.0)
        weight = categories["category"].map(CATEGORY_WEIGHT).fillna(1.0).to_numpy(float) * boost
        per_category = rng.multinomial(n_kommun, weight / weight.sum())
        for (_, cat), count in zip(categories.iterrows(), per_category):
            if count:
                trend = np.exp(rng.uniform(-0.08, 0.08) * years_in) * season
                parts.append(_group(muni, cat, count, rng, trend / trend.sum(), profiles[cat.profile]))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    frame.insert(0, "incident_id", [f"demo-{i:08d}" for i in range(first_id, first_id + len(frame))])
    frame["occurred_at"] = pd.Timestamp(FIRST_DAY) + pd.to_timedelta(frame.pop("minute_offset"), unit="min")
    frame["year"] = frame["occurred_at"].dt.year.astype("int32")
    return pa.Table.from_pandas(frame, preserve_index=False)


def _group(muni, cat, count: int, rng: np.random.Generator, day_p: np.ndarray, cells: np.ndarray) -> pd.DataFrame:
    """`count` incidents of one category in one municipality."""
    places = muni.places
    fitting = [p for p in places if p["type"] in cat.place_types] or places
    place_w = np.array([p["weight"] for p in fitting], float)
    pick = rng.choice(len(fitting), size=count, p=place_w / place_w.sum())
    spread = np.array([PLACE_SPREAD_M.get(p["type"], 300) for p in fitting])[pick]
    lat = np.array([p["lat"] for p in fitting])[pick]
    lon = np.array([p["lon"] for p in fitting])[pick]
    place_type = np.array([p["type"] for p in fitting], dtype=object)[pick]
    name = np.array([p["name"] for p in fitting], dtype=object)[pick]

    scattered = rng.random(count) < SHARE_SCATTERED
    spread = np.where(scattered, muni.radius_km * 1000 / 3, spread)
    lat = np.where(scattered, muni.lat, lat)
    lon = np.where(scattered, muni.lon, lon)
    place_type = np.where(scattered, "ovrigt", place_type)
    name = np.where(scattered, muni.kommun, name)
    dlat, dlon = _offset_degrees(muni.lat, *(rng.normal(0, 1, (2, count)) * spread))
    lat, lon = lat + dlat, lon + dlon

    coarse = rng.random(count) < SHARE_KOMMUN_PRECISION
    cell = rng.choice(7 * 24, size=count, p=(cells / cells.sum()).ravel())
    day = _days_on_weekdays(cell // 24, day_p, rng)
    minute = day * 1440 + (cell % 24) * 60 + rng.integers(0, 60, count)
    return pd.DataFrame(
        {
            "source": MUNICIPAL_SOURCES.get(cat.category, "polisen"),
            "kommun_kod": muni.kommun_kod,
            "category": cat.category,
            "focus_area": cat.focus_area,
            "minute_offset": minute,
            "lat": np.where(coarse, muni.lat, lat),
            "lon": np.where(coarse, muni.lon, lon),
            "place_precision": np.where(coarse, "kommun", "point"),
            "place_type": np.where(coarse, None, place_type),
            "description": [f"{cat.category} vid {n}" for n in name],
        }
    )


def _days_on_weekdays(weekdays: np.ndarray, day_p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A day index for each wanted weekday (0 = Monday), drawn by the day weights."""
    weekday_of_day = (FIRST_DAY.weekday() + np.arange(len(day_p))) % 7
    days = np.empty(len(weekdays), dtype=np.int64)
    for weekday in range(7):
        wanted = weekdays == weekday
        candidates = np.flatnonzero(weekday_of_day == weekday)
        p = day_p[candidates]
        days[wanted] = rng.choice(candidates, size=int(wanted.sum()), p=p / p.sum())
    return days


def generate_chunks(n: int, rng: np.random.Generator, until: date) -> Iterator[pa.Table]:
    """`n` incidents as tables of at most CHUNK_ROWS, made one at a time."""
    for first_id in range(0, n, CHUNK_ROWS):
        yield generate_incidents(min(CHUNK_ROWS, n - first_id), rng, until, first_id)


def write_incidents(chunks: pa.Table | Iterable[pa.Table], data_dir: Path) -> None:
    """Write incidents (a table, or tables one after the other) as Hive
    partitions, one file per partition sorted by time, with their summary
    (`summaries`), as the table's next version (`incident_store.replacing`)."""
    con = duckdb.connect(":memory:")
    try:
        with incident_store.locked(data_dir), incident_store.replacing(data_dir) as staging:
            staging.mkdir(parents=True)  # no incidents: an empty table
            quoted = str(staging).replace("'", "''")
            for k, chunk in enumerate([chunks] if isinstance(chunks, pa.Table) else chunks):
                con.register("new_incidents", chunk)
                con.execute(  # files data_K_0.parquet: chunk K
                    f"COPY (SELECT * FROM new_incidents ORDER BY kommun_kod, year, occurred_at) TO '{quoted}' "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {incident_store.ROW_GROUP_ROWS}, "
                    f"PARTITION_BY (kommun_kod, year), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'data_{k}_{{i}}')"
                )
                con.unregister("new_incidents")
            incident_store.merge_partitions(staging)  # a chunk's file spans its whole year: one sorted file each
            summaries.refresh(staging, summaries.partitions(staging))
    finally:
        con.close()


def meeting_dates(pledge, until: date) -> list[tuple[date, str]]:
    """The meetings a pledge's follow-up practice implies, up to `until`.

    Lägesbildsmöten every other month through the period; twice-yearly or
    BRÅ follow-ups in June and December; a steering-group report by its date.
    """
    start, end = pledge.period_start.date(), min(pledge.period_end.date(), until)
    meetings = []
    month = start.replace(day=1) + timedelta(days=40)
    while (first := month.replace(day=1)) <= end:
        meetings.append((_weekday_near(first + timedelta(days=14)), "lagesbild"))
        month = first + timedelta(days=62)
    if pledge.follow_up_kind in ("halvar", "bra_webb"):
        for year in range(start.year, end.year + 1):
            meetings += [(_weekday_near(date(year, m, 10)), "bra") for m in (6, 12)]
    if pledge.follow_up_kind == "styrgrupp" and pd.notna(pledge.follow_up_due):
        meetings.append((_weekday_near(pledge.follow_up_due.date() - timedelta(days=20)), "styrgrupp"))
    return sorted((d, k) for d, k in meetings if start <= d <= until)


def _weekday_near(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


NOTES = {
    "ej_paborjad": ["Planeras till nästa period.", "Ansvarig utses vid nästa möte."],
    "pagar": [
        "Insatser genomförda enligt plan, fortsätter.",
        "Gemensam närvaro på utpekade platser två kvällar i veckan.",
        "Dialog med skolor och fältsekreterare inledd.",
        "Uppföljning i lägesbildsmötet: fler kontakter än förra perioden.",
    ],
    "forsenad": [
        "Försenad på grund av resursbrist under sommaren.",
        "Avvaktar beslut i nämnden.",
    ],
    "genomford": ["Genomfört och redovisat för lokala BRÅ.", "Klart; effekten följs i trygghetsmätningen."],
    "avbruten": ["Avbruten: ersätts av en annan insats enligt lägesbilden."],
}
AUTHORS = {"polisen": "Kommunpolis", "kommunen": "Trygghetssamordnare", "gemensamt": "Trygghetssamordnare"}


def generate_follow_up(rng: np.random.Generator, until: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Meetings and a history of commitment updates for every seed pledge."""
    pledges, commitments = seeds.pledges_frame(), seeds.commitments_frame()
    meetings, updates = [], []
    for pledge in pledges.itertuples():
        held = meeting_dates(pledge, until)
        for i, (day, kind) in enumerate(held):
            meetings.append(
                {
                    "meeting_id": f"{pledge.pledge_id}_m{i + 1:02d}",
                    "kind": kind,
                    "held_on": day,
                    "kommun_kods": list(pledge.kommun_kods),
                    "focus_areas": list(pledge.focus_areas),
                    "notes": f"Genomgång av {pledge.title} och aktuell lägesbild.",
                    "recorded_by": "Trygghetssamordnare",
                    "recorded_at": datetime.combine(day, datetime.min.time()) + timedelta(hours=15),
                }
            )
        ids = [m["meeting_id"] for m in meetings[len(meetings) - len(held) :]]
        for c in commitments[commitments["pledge_id"] == pledge.pledge_id].itertuples():
            updates += _history(c, list(zip(ids, [d for d, _ in held])), rng, until)
    return pd.DataFrame(meetings), pd.DataFrame(updates)


def _history(commitment, held: list[tuple[str, date]], rng: np.random.Generator, until: date) -> list[dict]:
    """Updates of one commitment at some of its pledge's meetings.

    Each commitment gets a fate (done, still running, delayed, stopped, not
    started) and moves towards it; ongoing pledges also get a few updates after
    their last meeting, so "sedan förra mötet" has something to show.
    """
    fate = rng.choice(["genomford", "pagar", "forsenad", "avbruten", "ej_paborjad"], p=[0.5, 0.28, 0.12, 0.04, 0.06])
    rows, progress = [], 0
    steps = [(mid, day) for mid, day in held if rng.random() < 0.7] or held[:1]
    for k, (meeting_id, day) in enumerate(steps):
        last = k == len(steps) - 1
        status = fate if last else ("pagar" if fate != "ej_paborjad" else "ej_paborjad")
        if status == "genomford":
            progress = 100
        elif status != "ej_paborjad":
            progress = min(95, progress + int(rng.integers(5, 30)))
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=14, minutes=int(rng.integers(0, 90)))
        rows.append(_update(commitment, at, status, progress, meeting_id, rng))
    if held and held[-1][1] < until - timedelta(days=7) and fate == "pagar" and rng.random() < 0.6:
        between = held[-1][1] + timedelta(days=int(rng.integers(3, (until - held[-1][1]).days)))
        at = datetime.combine(between, datetime.min.time()) + timedelta(hours=10)
        rows.append(_update(commitment, at, "pagar", min(95, progress + 10), None, rng))
    return rows


def _update(commitment, at: datetime, status: str, progress: int, meeting_id, rng) -> dict:
    return {
        "update_id": f"{commitment.commitment_id}_{at:%Y%m%d%H%M}",
        "commitment_id": commitment.commitment_id,
        "at": at,
        "status": status,
        "progress": progress,
        "note": str(rng.choice(NOTES[status])),
        "author": AUTHORS.get(commitment.actor, "Samverkanspart"),
        "meeting_id": meeting_id,
    }


def generate_indicator_values(rng: np.random.Generator, until: date) -> pd.DataFrame:
    """Several years of values per indicator and municipality.

    Targets are set only for the municipalities whose pledge names the
    indicator. One year of one series is left out, so gaps show as gaps.
    """
    munis = seeds.reference()["municipalities"]
    linked = seeds.indicator_kommuns()
    rows = []
    for ind in seeds.indicators_frame().itertuples():
        for muni in munis.itertuples():
            sign = -1 if muni.kommun_kod in ind.demo_wrong_way_kommun_kods else 1
            level = ind.demo_baseline * rng.uniform(0.85, 1.15)
            for period in _periods(ind.period_type, ind.demo_first_year, until):
                years = (period - date(ind.demo_first_year, 1, 1)).days / 365.25
                value = level + sign * ind.demo_yearly_change * years + rng.normal(0, ind.demo_noise)
                target = ind.target if muni.kommun_kod in linked.get(ind.indicator_id, ()) else None
                rows.append((ind.indicator_id, muni.kommun_kod, period, ind.period_type, round(max(value, 0), 1), target))
    frame = pd.DataFrame(rows, columns=list(TABLES["indicator_values"].columns))
    gap = (frame["kommun_kod"] == "1488") & (frame["period_start"] == date(2022, 1, 1)) & (frame["period_type"] == "year")
    return frame[~gap].reset_index(drop=True)


def generate_population(seed: int, until: date) -> pd.DataFrame:
    """Folkmängd on 31 December of each year with indicator values, up to the last
    year published by `until` (SCB publishes year Y in February of Y+1): the seed
    figure (2024) with a steady growth per kommun. Its own generator, so the rest
    of the demo is the same with or without it."""
    rng = np.random.default_rng([seed, 2])
    first = int(seeds.indicators_frame()["demo_first_year"].min())
    munis = seeds.reference()["municipalities"]
    rows = [
        (muni.kommun_kod, year, round(muni.population * (1 + growth) ** (year - 2024)))
        for muni, growth in zip(munis.itertuples(), rng.uniform(-0.004, 0.012, len(munis)))
        for year in range(first, until.year)
    ]
    return pd.DataFrame(rows, columns=list(TABLES["population"].columns))


def _periods(period_type: str, first_year: int, until: date) -> list[date]:
    """Completed periods from `first_year` up to `until`."""
    step = {"year": 12, "quarter": 3, "month": 1}[period_type]
    out, month = [], first_year * 12
    while True:
        start = date(month // 12, month % 12 + 1, 1)
        end_month = month + step
        if date(end_month // 12, end_month % 12 + 1, 1) > until:
            return out
        out.append(start)
        month = end_month


#: Decisions of a demo meeting: text, actor, owner, days until due, (days until its update, status, progress).
DEMO_DECISIONS = (
    ("Kvällsvandringar i centrum varje fredag i en månad", "gemensamt", "Fältgruppen", 21, (20, "genomford", 100)),
    ("Kartlägga platser med dålig belysning", "kommunen", "Gatukontoret", 45, (10, "pagar", 40)),
    ("Riktade kontroller vid skolor och knutpunkter", "polisen", "Närpolisgruppen", 14, None),
)


def demo_actions(meetings: pd.DataFrame, until: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The decisions of each pledge's last meeting before `until`, some followed up since."""
    last = meetings[pd.to_datetime(meetings["held_on"]) < pd.Timestamp(until)].groupby(
        meetings["meeting_id"].str.rsplit("_m", n=1).str[0]
    ).tail(1)
    actions, updates = [], []
    for m in last.itertuples():
        at = datetime.combine(m.held_on, datetime.min.time()) + timedelta(hours=15)
        focus = m.focus_areas[0] if len(m.focus_areas) else None
        for i, (text, actor, owner, due, update) in enumerate(DEMO_DECISIONS):
            aid = f"{m.meeting_id}_a{i + 1}"
            actions.append({
                "action_id": aid, "meeting_id": m.meeting_id, "text": text, "actor": actor, "owner": owner,
                "due_date": m.held_on + timedelta(days=due), "focus_area": focus,
                "created_by": "Trygghetssamordnare", "created_at": at,
            })  # fmt: skip
            if update and m.held_on + timedelta(days=update[0]) <= until:
                updates.append({
                    "update_id": f"{aid}_u1", "action_id": aid, "at": at + timedelta(days=update[0]),
                    "status": update[1], "progress": update[2], "author": "Trygghetssamordnare",
                })  # fmt: skip
    return pd.DataFrame(actions), pd.DataFrame(updates)


def demo_areas(places: pd.DataFrame) -> pd.DataFrame:
    """A few areas per kommun around its named places: centrum, school grounds, housing areas."""
    rows = places[places["place_type"].isin(AREA_AROUND)]
    kind, radius_m = zip(*rows["place_type"].map(AREA_AROUND)) if len(rows) else ((), ())
    dlat = np.array(radius_m) / 111_320
    # An octagon, stretched east-west so it is regular on the ground.
    shapes = shapely.buffer(shapely.points(rows["lon"], rows["lat"]), dlat, quad_segs=2)
    shapes = [shapely.affinity.scale(g, 1 / np.cos(np.radians(lat)), 1) for g, lat in zip(shapes, rows["lat"])]
    return pd.DataFrame(
        {
            "area_id": [f"{k}-{areas.slug(n)}" for k, n in zip(rows["kommun_kod"], rows["name"])],
            "kommun_kod": rows["kommun_kod"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "kind": kind,
            "geometry": shapes,
        }
    )


def write_demo(data_dir: Path, incidents: int = 50_000, seed: int = 1, until: date | None = None) -> dict[str, int]:
    """Write the whole demo data set into `data_dir`; returns rows per table."""
    until = until or clock.today()
    rng = np.random.default_rng(seed)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    ref = seeds.reference()
    meetings, updates = generate_follow_up(rng, until)
    frames = {
        "municipalities": ref["municipalities"].drop(columns="places"),
        "places": ref["places"],
        "focus_areas": ref["focus_areas"],
        "pledges": seeds.pledges_frame(),
        "commitments": seeds.commitments_frame(),
        "desired_effects": seeds.desired_effects_frame(),
        "indicators": seeds.indicators_frame(),
        "indicator_values": generate_indicator_values(rng, until),
        "population": generate_population(seed, until),
    }
    frames["actions"], action_updates = demo_actions(meetings, until)
    frames |= {"meetings": meetings, "commitment_updates": updates, "action_updates": action_updates}
    boundaries = geography.boundaries_table(ref["municipalities"]["kommun_kod"])
    shared = {name: to_arrow(frame, name) for name, frame in frames.items()}
    shared |= {"boundaries": boundaries, "areas": areas.areas_table(demo_areas(ref["places"]))}
    with tables.store(data_dir).transaction(*shared) as tx:
        for name, table in shared.items():
            tx.replace(name, table)
    write_incidents(generate_chunks(incidents, rng, until), data_dir)
    counts = {name: len(frame) for name, frame in frames.items()} | {"boundaries": boundaries.num_rows}
    counts["incident_areas"] = areas.assign(data_dir)[0]
    return counts | {"incidents": incidents}
