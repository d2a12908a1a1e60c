"""The shared selection: municipalities, focus areas and period.

A `Selection` is plain data; it round-trips through URL query parameters so a
copied link reproduces the view:
`?kommun=1462,1488&fokus=narkotika&period=30d` or, for a custom period,
`?period=anpassad&fran=2025-01-01&till=2025-06-30`. `?period=mote_lagesbild`
is the time since the last lägesbildsmöte of the chosen municipalities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

#: "Since the last meeting" per meeting kind: preset -> kind (`vocab.MEETING_KINDS`).
SINCE_MEETING = {"mote_lagesbild": "lagesbild", "mote_bra": "bra", "mote_styrgrupp": "styrgrupp"}
PRESETS = {
    "30d": "Senaste 30 dagarna",
    "kvartal": "Senaste kvartalet (3 mån)",
    "ar": "Senaste 12 månaderna",
    "lofte": "Hela löftesperioden",
    "mote_lagesbild": "Sedan förra lägesbildsmötet",
    "mote_bra": "Sedan förra lokala BRÅ",
    "mote_styrgrupp": "Sedan förra styrgruppsmötet",
    "anpassad": "Anpassad period",
}
DEFAULT_PRESET = "kvartal"
#: The earliest day a period may start: before any data, and far enough from
#: year 1 that the previous period of equal length is still a date.
EARLIEST = date(1990, 1, 1)
_ROLLING_DAYS = {"30d": 30, "kvartal": 91, "ar": 365}


@dataclass(frozen=True)
class Selection:
    kommun_kods: tuple[str, ...]
    #: Empty means every focus area.
    focus_areas: tuple[str, ...]
    preset: str
    start: date
    #: Inclusive.
    end: date
    #: The link's custom period lay outside EARLIEST..today and was cut to fit.
    adjusted: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Selection:
        """The period of equal length just before this one."""
        end = self.start - timedelta(days=1)
        return replace(self, preset="anpassad", start=end - timedelta(days=self.days - 1), end=end)

    def params(self) -> dict:
        """Named SQL parameters: timestamps are half-open [start, end)."""
        prev = self.previous()
        return {
            "kommun_kods": list(self.kommun_kods),
            "focus_areas": list(self.focus_areas),
            "start": _midnight(self.start),
            "end": _midnight(self.end + timedelta(days=1)),
            "prev_start": _midnight(prev.start),
            "start_date": self.start,
            "end_date": self.end,
        }


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def resolve_period(
    preset: str,
    today: date,
    pledge_periods: Iterable[tuple[date, date]] = (),
    custom: tuple[date, date] | None = None,
    meeting_days: Iterable[tuple[str, date]] = (),
) -> tuple[date, date]:
    """Start and end (inclusive) of a preset period.

    'lofte' spans the given pledge periods, ending today at the latest; with
    no pledge it falls back to the last twelve months. 'mote_<kind>' runs from
    the day after the last meeting of that kind before today (`meeting_days`:
    (kind, held_on) pairs) to today; with none it falls back to the default.
    """
    if preset in SINCE_MEETING:
        held = [d for kind, d in meeting_days if kind == SINCE_MEETING[preset] and d < today]
        if held:
            return max(held) + timedelta(days=1), today
        return resolve_period(DEFAULT_PRESET, today)
    if preset in _ROLLING_DAYS:
        return today - timedelta(days=_ROLLING_DAYS[preset] - 1), today
    if preset == "lofte":
        periods = list(pledge_periods)
        if periods:
            start = min(s for s, _ in periods)
            return start, max(start, min(max(e for _, e in periods), today))
        return resolve_period("ar", today)
    if preset == "anpassad" and custom:
        start, end = sorted(custom)
        return start, end
    return resolve_period(DEFAULT_PRESET, today)


def to_query_params(sel: Selection) -> dict[str, str]:
    params = {"kommun": ",".join(sel.kommun_kods), "period": sel.preset}
    if sel.focus_areas:
        params["fokus"] = ",".join(sel.focus_areas)
    if sel.preset == "anpassad":
        params |= {"fran": sel.start.isoformat(), "till": sel.end.isoformat()}
    return params


def from_query_params(
    query: Mapping[str, str],
    today: date,
    kommun_kods: Iterable[str],
    focus_areas: Iterable[str],
    pledge_periods: Mapping[str, tuple[date, date]] | None = None,
    meeting_days: Mapping[str, Iterable[tuple[str, date]]] | None = None,
) -> Selection:
    """A selection from query parameters; unknown or malformed values fall back
    to defaults (every municipality, every focus area, the last quarter).
    `meeting_days`: per municipality, the (kind, held_on) of its meetings."""
    known_kommun, known_focus = list(kommun_kods), list(focus_areas)
    chosen = _split_known(query.get("kommun", ""), known_kommun) or tuple(known_kommun)
    focus = _split_known(query.get("fokus", ""), known_focus)
    preset = query.get("period", DEFAULT_PRESET)
    preset = preset if preset in PRESETS else DEFAULT_PRESET
    custom = _parse_dates(query.get("fran"), query.get("till"))
    if preset == "anpassad" and not custom:
        preset = DEFAULT_PRESET
    periods = [p for k, p in (pledge_periods or {}).items() if k in chosen]
    held = [m for k, days in (meeting_days or {}).items() if k in chosen for m in days]
    start, end = resolve_period(preset, today, periods, custom and _within(custom, today), held)
    adjusted = preset == "anpassad" and tuple(sorted(custom)) != (start, end)
    return Selection(chosen, focus, preset, start, end, adjusted)


def _within(custom: tuple[date, date], today: date) -> tuple[date, date]:
    """A custom period cut to EARLIEST..today: no data lies outside, and a
    future or year-1 date would break the date picker or the previous period."""
    start, end = sorted(custom)
    return min(max(start, EARLIEST), today), min(max(end, EARLIEST), today)


def adjusted_note(sel: Selection) -> str:
    """What the page says when a link's period was cut to fit."""
    return (
        f"Perioden i länken sträckte sig utanför {EARLIEST.isoformat()} – i dag; "
        f"visar {sel.start.isoformat()} – {sel.end.isoformat()}."
    )


def _split_known(value: str, known: list[str]) -> tuple[str, ...]:
    wanted = {v.strip() for v in value.split(",")}
    return tuple(k for k in known if k in wanted)


def _parse_dates(fran: str | None, till: str | None) -> tuple[date, date] | None:
    try:
        return date.fromisoformat(fran or ""), date.fromisoformat(till or "")
    except ValueError:
        return None
