"""Records of follow-up: what a commitment or action update, a meeting, a
pledge, a commitment, an action (a decision of a meeting), a desired effect or
an indicator must satisfy, and how their ids are made. The forms (through
`follow_up`) and the commitments import share these checks; each returns the
problems of one record as `validation.Problem`s, in English and Swedish.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard import db, geography
from dashboard.validation import Problem
from dashboard.vocab import ACTORS, DIRECTIONS, MEETING_KINDS, PERIOD_TYPES, STATUSES, status_badge

MAX_TEXT = 2000
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
#: Statuses whose update must say why: status -> "åtagandet är …".
NEEDS_NOTE = {"forsenad": "försenat", "avbruten": "avbrutet"}


#: Field names as the forms call them.
FIELD_LABELS = {
    "commitment_id": "Åtagande", "status": "Status", "progress": "Framsteg", "note": "Anteckning",
    "meeting_id": "Möte", "kind": "Mötestyp", "held_on": "Datum", "kommun_kods": "Kommuner",
    "focus_areas": "Fokusområden", "notes": "Anteckningar", "pledge_id": "Löfte", "title": "Rubrik",
    "period_start": "Period", "period_end": "Period", "lpo": "Lokalpolisområde", "follow_up": "Uppföljning",
    "summary": "Bakgrund", "actor": "Aktör", "text": "Text", "due_date": "Slutdatum", "indicator_ids": "Indikatorer",
    "action_id": "Insats", "owner": "Ansvarig", "focus_area": "Fokusområde", "area_id": "Område", "place": "Plats",
    "present": "Närvarande", "agenda": "Dagordning", "indicator_id": "Indikator",
    "follow_up_source": "Uppföljningskälla", "name_sv": "Namn", "unit": "Enhet", "source": "Källa",
    "direction": "Önskad riktning", "period_type": "Periodtyp", "source_ids": "Källans id",
}  # fmt: skip


class Invalid(ValueError):
    """A form or record with problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.english() for p in problems))
        self.problems = problems

    def swedish(self) -> list[str]:
        """One line per problem, as a form shows it: 'Framsteg: framsteg måste vara …'."""
        return [f"{FIELD_LABELS.get(p.column, p.column)}: {p.reason_sv}" for p in self.problems]


#: A corrected table's record, in Swedish ("someone else has changed the pledge").
RECORD_SV = {"pledges": "löftet", "commitments": "åtagandet", "actions": "insatsen"}


class Conflict(Invalid):
    """A correction made from a version that someone else has replaced since: nothing was written."""

    def __init__(self, table: str, key: str, record_id):
        sv = (
            f"någon annan har ändrat {RECORD_SV.get(table, 'posten')} sedan du öppnade det; "
            "ladda om sidan, se deras ändring och gör din igen"
        )
        en = "changed by someone else since you opened it; reload and make your change again"
        super().__init__([Where(table).problem(key, record_id, en, sv)])


class NotAllowed(PermissionError):
    """A write attempted where editing is not allowed (mode or role)."""

    def __init__(self):
        super().__init__("editing is not allowed in this mode or for this user")
        self.swedish = "Du har inte behörighet att ändra här (endast redaktörer i internt läge)."


def require(allowed: bool) -> None:
    """Refuse a write unless the author may make it (`Author.may_edit` or `may_import`)."""
    if not allowed:
        raise NotAllowed()


@dataclass(frozen=True)
class Known:
    """What records may refer to, read fresh from the data directory."""

    pledge_ends: dict[str, date]
    commitments: frozenset[str]
    meetings: frozenset[str]
    kommun_kods: frozenset[str]
    focus_names: dict[str, str]
    indicators: frozenset[str]
    actions: frozenset[str] = frozenset()


def known(data_dir: Path) -> Known:
    con = db.connect(data_dir)
    try:
        row = db.run_query(con, "commitment_known_ids").iloc[0]
    finally:
        con.close()
    return Known(
        {p["pledge_id"]: p["period_end"] for p in row["pledges"]},
        frozenset(row["commitments"]),
        frozenset(row["meetings"]),
        frozenset(row["kommun_kods"]),
        {f["focus_area"]: f["name_sv"] for f in row["focus_areas"]},
        frozenset(row["indicators"]),
        frozenset(row["actions"]),
    )


# --- validation: each check returns the problems of one record ------------------


@dataclass(frozen=True)
class Where:
    """Where a record comes from: a form (file = table name) or a file's row."""

    file: str
    row: int | None = None

    def problem(self, column: str, value, en: str, sv: str) -> Problem:
        return Problem(self.file, self.row, column, None if value is None else str(value), en, sv)


def _required_text(where: Where, rec: dict, column: str, label_sv: str, limit: int = MAX_TEXT) -> list[Problem]:
    value = rec.get(column)
    if not value or not str(value).strip():
        return [where.problem(column, None, "required value missing", f"{label_sv} saknas")]
    return _max_length(where, rec, column, label_sv, limit)


def _max_length(where: Where, rec: dict, column: str, label_sv: str, limit: int = MAX_TEXT) -> list[Problem]:
    value = rec.get(column) or ""
    if len(value) <= limit:
        return []
    en, sv = f"longer than {limit} characters", f"{label_sv} är längre än {limit} tecken"
    return [where.problem(column, value[:40] + "…", en, sv)]


def _unknown(where: Where, column: str, values: Iterable, allowed, what_en: str, what_sv: str) -> list[Problem]:
    return [
        where.problem(column, v, f"unknown {what_en}", f"okänt värde för {what_sv}")
        if v
        else where.problem(column, None, "required value missing", f"{what_sv} saknas")
        for v in values
        if v not in allowed
    ]


def check_id(where: Where, rec: dict, column: str) -> list[Problem]:
    """An id someone typed (ids made here always fit)."""
    value = rec.get(column)
    if value is None or ID_PATTERN.fullmatch(value):
        return []
    return [
        where.problem(
            column, value,
            "must be 1-100 letters a-z, digits, '_', '-' or '.'",
            "id får bara innehålla a–z, siffror, _, - och . (högst 100 tecken)",
        )  # fmt: skip
    ]


def check_update(rec: dict, ref: Known, where: Where) -> list[Problem]:
    """An update of a commitment (`commitment_id`) or of an action (`action_id`)."""
    status, progress = rec["status"], rec["progress"]
    if "action_id" in rec:
        problems = _unknown(where, "action_id", [rec["action_id"]], ref.actions, "action", "insats")
        subject, word = "insatsen", STATUSES.get(status, ("",))[0].lower()  # försenad, avbruten
    else:
        problems = _unknown(where, "commitment_id", [rec["commitment_id"]], ref.commitments, "commitment", "åtagande")
        subject, word = "åtagandet", NEEDS_NOTE.get(status)
    problems += _unknown(where, "status", [status], STATUSES, f"status ({', '.join(STATUSES)})", "status")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        sv = "framsteg måste vara ett heltal 0–100 %"
        problems.append(where.problem("progress", progress, "must be a whole number 0-100", sv))
    elif status == "genomford" and progress != 100:
        problems.append(
            where.problem(
                "progress", progress, "a completed commitment has progress 100",
                f"{status_badge(status)} betyder 100 %: dra reglaget till 100 eller välj en annan status",
            )  # fmt: skip
        )
    elif status == "ej_paborjad" and progress != 0:
        problems.append(
            where.problem(
                "progress", progress, "a commitment not started has progress 0",
                f"{status_badge(status)} betyder 0 %: dra reglaget till 0 eller välj en annan status",
            )  # fmt: skip
        )
    if status in NEEDS_NOTE and not (rec.get("note") or "").strip():
        problems.append(
            where.problem(
                "note", None, f"a note is required for status {status}",
                f"skriv i anteckningen varför {subject} är {word}",
            )  # fmt: skip
        )
    problems += _max_length(where, rec, "note", "Anteckningen")
    if rec.get("meeting_id"):
        problems += _unknown(where, "meeting_id", [rec["meeting_id"]], ref.meetings, "meeting", "möte")
    return problems


def check_meeting(rec: dict, ref: Known, where: Where, today: date) -> list[Problem]:
    problems = _unknown(where, "kind", [rec["kind"]], MEETING_KINDS, "meeting kind", "mötestyp")
    held_on = rec["held_on"]
    if not isinstance(held_on, date):
        problems.append(where.problem("held_on", held_on, "date missing", "datum saknas"))
    elif held_on > today:
        sv = "ett möte kan inte registreras i förväg (datum i framtiden)"
        problems.append(where.problem("held_on", held_on, "lies in the future", sv))
    if not rec["kommun_kods"]:
        problems.append(where.problem("kommun_kods", None, "no municipality", "välj minst en kommun"))
    problems += _unknown(where, "kommun_kods", rec["kommun_kods"], ref.kommun_kods, "municipality", "kommun")
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    for column in ("present", "agenda"):
        for item in rec.get(column) or ():
            problems += _max_length(where, {column: item}, column, "Texten", 200)
    return problems + _max_length(where, rec, "notes", "Anteckningarna", 5 * MAX_TEXT)


def check_action(rec: dict, ref: Known, where: Where) -> list[Problem]:
    """A decision of a meeting: what, who, by when, focus area and area or place."""
    problems = _unknown(where, "meeting_id", [rec["meeting_id"]], ref.meetings, "meeting", "möte")
    problems += _required_text(where, rec, "text", "Beslutet")
    problems += _unknown(where, "actor", [rec["actor"]], ACTORS, f"actor ({', '.join(ACTORS)})", "aktör")
    problems += _max_length(where, rec, "owner", "Ansvarig", 200) + _max_length(where, rec, "place", "Platsen", 200)
    if not isinstance(rec["due_date"], date):
        en, sv = "missing or not a date (YYYY-MM-DD)", "klart senast saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)"
        problems.append(where.problem("due_date", rec["due_date"], en, sv))
    if rec.get("focus_area"):
        problems += _unknown(where, "focus_area", [rec["focus_area"]], ref.focus_names, "focus area", "fokusområde")
    return problems + check_id(where, rec, "area_id")


def check_commitment(rec: dict, ref: Known, where: Where) -> list[Problem]:
    problems = _unknown(where, "pledge_id", [rec["pledge_id"]], ref.pledge_ends, "pledge", "löfte")
    problems += _unknown(where, "actor", [rec["actor"]], ACTORS, f"actor ({', '.join(ACTORS)})", "aktör")
    problems += _required_text(where, rec, "text", "Åtagandets text")
    if not rec["focus_areas"]:
        problems.append(where.problem("focus_areas", None, "at least one focus area", "välj minst ett fokusområde"))
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    if not isinstance(rec["due_date"], date):
        en, sv = "missing or not a date (YYYY-MM-DD)", "slutdatum saknas eller är inte ett datum (ÅÅÅÅ-MM-DD)"
        problems.append(where.problem("due_date", rec["due_date"], en, sv))
    return problems + _unknown(where, "indicator_ids", rec["indicator_ids"], ref.indicators, "indicator", "indikator")


def check_pledge(rec: dict, ref: Known, where: Where) -> list[Problem]:
    problems = _required_text(where, rec, "title", "Rubriken", 200)
    if not rec["kommun_kods"]:
        problems.append(where.problem("kommun_kods", None, "no municipality", "välj minst en kommun"))
    problems += _unknown(where, "kommun_kods", rec["kommun_kods"], ref.kommun_kods, "municipality", "kommun")
    problems += _unknown(where, "focus_areas", rec["focus_areas"], ref.focus_names, "focus area", "fokusområde")
    start, end = rec["period_start"], rec["period_end"]
    if not (isinstance(start, date) and isinstance(end, date)):
        problems.append(where.problem("period_start", None, "period missing", "perioden saknas"))
    elif end < start:
        problems.append(where.problem("period_end", end, "ends before it starts", "perioden slutar innan den börjar"))
    for column in ("lpo", "follow_up", "summary"):
        problems += _max_length(where, rec, column, "Texten")
    return problems


def check_effect(rec: dict, ref: Known, where: Where) -> list[Problem]:
    """A desired effect (önskad effekt) of a pledge, with the indicator that follows it up."""
    problems = _unknown(where, "pledge_id", [rec["pledge_id"]], ref.pledge_ends, "pledge", "löfte")
    problems += _required_text(where, rec, "text", "Den önskade effekten")
    problems += _unknown(where, "indicator_id", [rec["indicator_id"]], ref.indicators, "indicator", "indikator")
    return problems + _max_length(where, rec, "follow_up_source", "Uppföljningskällan", 200)


def check_indicator(rec: dict, ref: Known, where: Where) -> list[Problem]:
    """An indicator's definition: name, unit, desired direction, source and the source's own ids."""
    problems = _required_text(where, rec, "name_sv", "Namnet", 200)
    for column, label in (("unit", "Enheten"), ("source", "Källan")):
        problems += _max_length(where, rec, column, label, 200)
    directions = f"direction ({', '.join(DIRECTIONS)})"
    problems += _unknown(where, "direction", [rec["direction"]], DIRECTIONS, directions, "önskad riktning")
    periods = f"period type ({', '.join(PERIOD_TYPES)})"
    problems += _unknown(where, "period_type", [rec["period_type"]], PERIOD_TYPES, periods, "periodtyp")
    if rec.get("focus_area"):
        problems += _unknown(where, "focus_area", [rec["focus_area"]], ref.focus_names, "focus area", "fokusområde")
    for source_id in rec.get("source_ids") or ():
        problems += _max_length(where, {"source_ids": source_id}, "source_ids", "Ett id", 200)
    return problems + check_id(where, rec, "indicator_id")


def check_pledge_kommuner(pledge_id: str, kommun_kods: list[str], ref: Known, where: Where) -> list[Problem]:
    """Kommuner to add to a stored pledge: any of the 290, not only those the installation serves."""
    problems = _unknown(where, "pledge_id", [pledge_id], ref.pledge_ends, "pledge", "löfte")
    if not kommun_kods:
        problems.append(where.problem("kommun_kods", None, "no municipality", "välj minst en kommun"))
    return problems + _unknown(where, "kommun_kods", kommun_kods, geography.kommuner(), "municipality", "kommun")


def source_id_list(text: str | Iterable[str] | None) -> list[str]:
    """The source ids typed in one field ('kolada:N07403, bra:Samtliga brott'), comma-,
    semicolon- or line-separated; an id may hold spaces."""
    parts = re.split(r"[,;\n]", text) if isinstance(text, str) else list(text or ())
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


# --- ids ------------------------------------------------------------------------


def commitment_id_for(pledge_id: str, actor: str, text: str) -> str:
    """A stable id from the content, so that importing the same row twice is a no-op."""
    digest = hashlib.sha1(f"{actor}\n{text.strip()}".encode()).hexdigest()[:8]
    return f"{pledge_id}_{digest}"


def pledge_id_for(title: str, taken: Iterable[str]) -> str:
    """'Medborgarlöfte Ale 2027' -> 'medborgarlofte_ale_2027', made unique."""
    return id_from_text(title, taken, "lofte")


def indicator_id_for(name: str, taken: Iterable[str]) -> str:
    """'Anmälda våldsbrott' -> 'anmalda_valdsbrott', made unique."""
    return id_from_text(name, taken, "indikator")


def effect_id_for(pledge_id: str, taken: Iterable[str]) -> str:
    """The pledge's next desired effect: 'uppsala_2027_e3', as the seeds number them."""
    taken, n = set(taken), 1
    while f"{pledge_id}_e{n}" in taken:
        n += 1
    return f"{pledge_id}_e{n}"


def id_from_text(text: str, taken: Iterable[str], fallback: str) -> str:
    """A readable id from `text` (ASCII, '_' between words), unique among `taken` ('_2', '_3', ...)."""
    ascii_title = unicodedata.normalize("NFKD", re.sub(r"\W+", " ", text)).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_title.lower()).strip("_")[:80] or fallback
    taken, candidate, n = set(taken), base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
