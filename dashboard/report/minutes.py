"""Minnesanteckningar: what a meeting was, decided and looked at, as one
self-contained A4 HTML page (`templates/minutes.html`, escaped and under the
report's Content-Security-Policy) and as an Excel workbook.

`build(run, meeting_id, mode)` reads the meeting in its latest version (date,
kind, kommuner, who was present, the agenda shown, the focus areas decided),
its decisions with their status now, and the lägesbild figures of the
meeting's selection as the report gives them (`report.build.key_numbers`).
The meeting's own notes and the persons named as owners are internal only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook

from dashboard import actions, clock, disclosure, filter_options
from dashboard.commitments import Runner, as_date, late_text
from dashboard.disclosure import Floored, Rule
from dashboard.filters import DEFAULT_PRESET, Selection, resolve_period
from dashboard.formatting import fmt_date, fmt_period
from dashboard.records import pledge_id_for
from dashboard.report.build import KeyNumber, key_numbers
from dashboard.report.html import TEMPLATES
from dashboard.report.xlsx import sheet
from dashboard.vocab import ACTORS, MEETING_KINDS, status_badge


class UnknownMeeting(LookupError):
    pass


@dataclass(frozen=True)
class Minutes:
    meeting_id: str
    kind: str
    held_on: date
    kommuner: str
    present: list[str]
    agenda: list[str]
    focus: str
    #: The meeting's own notes, internal mode only ('' otherwise).
    notes: str
    #: One row per decision: Beslut, Aktör, Ansvarig, Klart senast, Fokusområde, Plats, Status.
    decisions: pd.DataFrame
    sel: Selection
    #: How the figures' incident counts are shown and over which period (`filter_options.disclosed`).
    rule: Rule
    floored: Floored
    figures: list[KeyNumber]
    created: datetime

    @property
    def title(self) -> str:
        return f"Minnesanteckningar {self.kind} {self.kommuner} {fmt_date(self.held_on)}"


def build(run: Runner, meeting_id: str, mode: str) -> Minutes:
    found = run("meeting_minutes", {"meeting_id": meeting_id})
    if found.empty:
        raise UnknownMeeting(f"no meeting with id {meeting_id!r}")
    meeting, opts, today = found.iloc[0], filter_options.load(run), clock.today()
    held_on = as_date(meeting["held_on"])
    sel = meeting_selection(meeting, held_on)
    rule, floored = filter_options.disclosed(sel, mode, today)
    decided = actions.load(run, {"kommun_kods": list(meeting["kommun_kods"]), "focus_areas": []}, today)
    return Minutes(
        meeting_id=meeting_id,
        kind=MEETING_KINDS.get(meeting["kind"], meeting["kind"]),
        held_on=held_on,
        kommuner=meeting["kommuner"] or "–",
        present=list(_listed(meeting, "present")),
        agenda=list(_listed(meeting, "agenda")),
        focus=", ".join(opts.focus_names.get(f, f) for f in meeting["focus_areas"]) or "–",
        notes=(meeting["notes"] or "") if mode == "internal" else "",
        decisions=_decisions(decided.decided_at(meeting_id), opts.focus_names, today, mode != "public"),
        sel=sel,
        rule=rule,
        floored=floored,
        figures=key_numbers(run, floored, rule),
        created=clock.now().replace(microsecond=0),
    )


def _listed(meeting: pd.Series, column: str):
    """A list column of a meeting, empty for meetings recorded before it existed."""
    value = meeting.get(column)
    return () if value is None or (not hasattr(value, "__len__") and pd.isna(value)) else value


def meeting_selection(meeting: pd.Series, held_on: date) -> Selection:
    """The selection the meeting looked at: its kommuner and focus areas over the
    period it showed, or the default period ending on the meeting day."""
    start, end = meeting.get("period_start"), meeting.get("period_end")
    if pd.isna(start) or pd.isna(end):
        start, end = resolve_period(DEFAULT_PRESET, held_on)
    kommun_kods, focus_areas = tuple(meeting["kommun_kods"]), tuple(meeting["focus_areas"])
    return Selection(kommun_kods, focus_areas, "anpassad", as_date(start), as_date(end))


def _decisions(frame: pd.DataFrame, focus_names: dict[str, str], today: date, owners: bool) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Beslut": frame["text"],
            "Aktör": frame["actor"].map(lambda a: ACTORS.get(a, a)),
            "Ansvarig": frame["owner"].fillna("") if owners else "",
            "Klart senast": [as_date(d) for d in frame["due_date"]],
            "Fokusområde": frame["focus_area"].map(lambda f: focus_names.get(f, f) if isinstance(f, str) else ""),
            "Plats": [actions.where(r) for r in frame.itertuples()],
            "Status": [late_text(r, today).capitalize() or status_badge(r.status) for r in frame.itertuples()],
        }
    ).reset_index(drop=True)


def render_html(minutes: Minutes) -> str:
    (start, end), (prev_start, prev_end) = minutes.floored.period, minutes.floored.previous_period
    return TEMPLATES.get_template("minutes.html").render(
        m=minutes,
        meta={
            "Datum": fmt_date(minutes.held_on),
            "Möte": minutes.kind,
            "Kommuner": minutes.kommuner,
            "Närvarande": ", ".join(minutes.present) or "–",
            "Beslutade fokusområden": minutes.focus,
            "Dagordning": " → ".join(minutes.agenda) or "–",
        },
        period=f"{fmt_period(start, end)} (jämförs med {fmt_period(prev_start, prev_end)})",
        captions=disclosure.captions(minutes.rule, minutes.floored),
        decisions=[
            [fmt_date(v) if isinstance(v, date) else v for v in row] for row in minutes.decisions.itertuples(index=False)
        ],
        headers=list(minutes.decisions.columns),
        figures=[[k.group, k.label, minutes.rule.text(k.value), k.note] for k in minutes.figures],
        created=f"{fmt_date(minutes.created.date())} {minutes.created:%H:%M}",
    )


def render_xlsx(minutes: Minutes) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = minutes.title
    wb.properties.creator = "Lägesbild"
    start, end = minutes.floored.period
    sheet(wb, "Möte", ["Uppgift", "Värde"], [
        ["Datum", minutes.held_on], ["Möte", minutes.kind], ["Kommuner", minutes.kommuner],
        ["Närvarande", ", ".join(minutes.present)], ["Beslutade fokusområden", minutes.focus],
        ["Dagordning", " → ".join(minutes.agenda)], ["Lägesbildens period från", start],
        ["Lägesbildens period till", end], ["Anteckningar", minutes.notes], ["Skapad", minutes.created],
    ], wrap={"Värde"})  # fmt: skip
    sheet(wb, "Beslut", list(minutes.decisions.columns), minutes.decisions.values.tolist(), wrap={"Beslut"})
    rows = [[k.group, k.label, minutes.rule.cell(k.value), k.note] for k in minutes.figures]
    sheet(wb, "Lägesbild", ["Område", "Nyckeltal", "Värde", "Kommentar"], rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: suffix -> the minutes as the bytes of that kind of file.
RENDERERS = {".html": lambda minutes: render_html(minutes).encode("utf-8"), ".xlsx": render_xlsx}


def file_name(minutes: Minutes, suffix: str) -> str:
    return name_for(minutes.held_on, minutes.kommuner, suffix)


def name_for(held_on: date, kommuner: str, suffix: str) -> str:
    """'minnesanteckningar-2026-10-15-lilla_edet.html' (ASCII, as ids are made)."""
    return f"minnesanteckningar-{held_on.isoformat()}-{pledge_id_for(kommuner or '', ())}{suffix}"
