"""The police's open events feed (`polisen.se/api/events`): one event -> one
incident row, as text in the importer's canonical columns.

Facts of the format (tests/fixtures/sources/FORMATS.md, section 1):
- The kommun is the last part of `name` ("06 juni 18.50, Trafikbrott,
  Kungsör"); `location.name` is a county since January 2026, and `type` may
  hold commas, so `name` is split at its last comma only. Names come in odd
  case ("Lilla edet").
- A `name` ending in a county is a county-wide event: it is stored at `lan`
  precision under the first served kommun of that county, or skipped when the
  installation serves none there.
- `location.gps` is the centre of the named area, never the event's place:
  nothing is stored as a point (the kommun's centre stands for it).
- `datetime` is when the event was published ("2025-06-07 7:32:06 +02:00");
  the event's own time is in `name` ("06 juni 18.50", "1 juli 16.55",
  "31 mars 12:00"), its year that of the publish date, or the year before when
  the month lies after the publish month (New Year).
- Summaries ("Sammanfattning natt") are skipped by `type`.
- The category comes from `type` through `SYNONYMS` (renamed types).
- Events are edited after publication (type, summary, the time across
  midnight): a newer version with the same `id` replaces the stored one, which
  is kept in `incident_revisions/` (`imports.incidents`).
- The police have reused an id for another event (624360: "Information,
  Värmlands län", later "Sammanfattning natt, Dalarnas län"). An edit never
  moves an event to another kommun *and* by days, so a version in another
  kommun more than `REUSED_AFTER_HOURS` from the stored one is a different
  event: it is stored as a new incident, `polisen-<id>-<publish time
  YYYYMMDDhhmmss>` (its later edits find it again under that id), the stored
  event stays as it was, and the import names the ids in its summary. A
  reused id whose new event is skipped (a summary, as 624360) leaves the stored
  event alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from dashboard import geography
from dashboard.imports import skipped

SOURCE = "polisen"
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
    )
}
#: Old type -> current type: the feed renamed types and re-typed published events (2026-03-09).
SYNONYMS = {"Fylleri/LOB": "Fylleri", "Anträffat gods": "Upphittat föremål"}
#: A version of a stored event in another kommun and further than this from its time is another
#: event under a reused id (edits move the time by hours: 30 december 06.22 -> 29 december 22.53).
REUSED_AFTER_HOURS = 48
_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[.:](\d{2})\s*,", re.IGNORECASE)
#: Columns of the rows `rows` returns, in order (the importer's canonical names).
COLUMNS = (
    "incident_id", "source", "occurred_at", "published_at", "category", "kommun", "kommun_kod",
    "place_precision", "place_name", "description", "skip",
)  # fmt: skip
#: The feed's field behind each column, for messages.
HEADERS = {
    "incident_id": "id", "occurred_at": "name", "published_at": "datetime", "category": "type",
    "kommun": "name", "kommun_kod": "name", "place_name": "name", "description": "summary", "skip": "type",
}  # fmt: skip
#: skip reason (as the validation query writes it) -> what the summary says
SKIP_REASONS = {"summary": skipped.SUMMARY, "not_served": skipped.EVENT_NOT_SERVED}


@dataclass(frozen=True)
class Event:
    row: int
    values: dict[str, str | None]


def is_feed(data) -> bool:
    """Whether parsed JSON is the events list (objects with id, datetime, name, type, location)."""
    return isinstance(data, list) and all(
        isinstance(e, dict) and {"id", "datetime", "name", "type", "location"} <= e.keys() for e in data[:5]
    )


def load(data: bytes):
    """The parsed JSON of a feed response (a BOM reads the same); ValueError if it is none."""
    return json.loads(data.decode("utf-8-sig"))


def published(text: str) -> datetime:
    """'2025-06-07 7:32:06 +02:00' -> the local time (offset dropped)."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z").replace(tzinfo=None)


def occurred(name: str, published_at: datetime) -> datetime | None:
    """The event's own time from `name`, with the year from the publish date (across New Year)."""
    m = _TIME.match(name or "")
    month = MONTHS.get(m[2].lower()) if m else None
    if not month:
        return None
    year = published_at.year - (month > published_at.month)
    try:
        return datetime(year, month, int(m[1]), int(m[3]), int(m[4]))
    except ValueError:
        return None


def place(name: str, served: set[str]) -> tuple[str | None, str, str | None]:
    """(kommun code, precision, skip reason) of the last part of `name`."""
    where = (name or "").rsplit(",", 1)[-1].strip()
    code = geography.resolve_kommun(where)
    if code:
        return code, "kommun", None if code in served else "not_served"
    county = geography.resolve_county(where)
    if county:
        in_county = sorted(c for c in served if geography.kommuner()[c].county_code == county)
        return (in_county[0], "lan", None) if in_county else (None, "lan", "not_served")
    return None, "kommun", None  # the importer reports the unknown place


def row(number: int, event: dict, served: set[str]) -> Event:
    """One event as text in `COLUMNS`; a value that cannot be read stays as written for the checks."""
    type_ = str(event.get("type") or "").strip()
    name = str(event.get("name") or "")
    try:
        when = published(str(event.get("datetime")))
    except ValueError:
        when = None
    at = occurred(name, when) if when else None
    code, precision, skip = place(name, served)
    if type_.lower().startswith("sammanfattning"):
        skip = "summary"
    values = {
        "incident_id": f"polisen-{event.get('id')}",
        "source": SOURCE,
        "occurred_at": at.isoformat(sep=" ") if at else (name.split(",", 1)[0] or None),
        "published_at": when.isoformat(sep=" ") if when else event.get("datetime"),
        "category": SYNONYMS.get(type_, type_) or None,
        "kommun": None if code else name.rsplit(",", 1)[-1].strip() or None,
        "kommun_kod": code,
        "place_precision": precision,
        "place_name": name.rsplit(",", 1)[-1].strip() or None,
        "description": event.get("summary") or None,
        "skip": skip,
    }
    return Event(number, values)


def rows(events: list[dict], served: set[str]) -> list[Event]:
    """Every event of the feed, numbered from 1 in the order of the list."""
    return [row(i, e, served) for i, e in enumerate(events, start=1)]
