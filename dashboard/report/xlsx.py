"""The meeting report as an Excel workbook: the same tables as the HTML report,
one sheet each, with Swedish headers, numbers as numbers and dates as dates,
so that they can be sorted, filtered and charted. Every cell goes through
`exports.set_cell`: text is stored as text and never runs as a formula.
An incident count the rule does not publish (public mode) is the text
'färre än 5', never a number; the others are the published (rounded) values.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard.exports import set_cell
from dashboard.indicators import period_label
from dashboard.report.build import Report
from dashboard.vocab import ACTORS, status_badge

#: Columns of long text get this width (characters) and wrap.
WRAP_WIDTH = 60
MAX_WIDTH = 40


def render(report: Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"Lägesbild {report.kommuner}"
    wb.properties.creator = "Lägesbild"
    sheet(wb, "Urval", ["Uppgift", "Värde"], _selection(report))
    sheet(wb, "Nyckeltal", ["Område", "Nyckeltal", "Värde", "Kommentar"], _key_numbers(report))
    sheet(wb, "Platser", ["Nr", "Plats", "Nu", "Före", "Förändring"], _places(report))
    matrix = report.weekday_hour
    sheet(wb, "Veckodag och timme", ["Veckodag", *matrix.columns], _weekday_hour(report), freeze="B2")
    headers, rows = _commitments(report)
    sheet(wb, "Åtaganden", headers, rows, wrap={"Åtagande", "Anteckning"})
    sheet(wb, "Indikatorer", INDICATOR_HEADERS, _indicators(report), wrap={"Indikator"})
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], freeze: str = "A2", wrap=frozenset()) -> None:
    """A sheet with a bold, frozen, filterable header row and widths that fit the content."""
    ws = wb.create_sheet(title)
    for c, header in enumerate(headers, start=1):
        set_cell(ws.cell(1, c), header)
        ws.cell(1, c).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            set_cell(ws.cell(r, c), value)
    for c, header in enumerate(headers, start=1):
        letter = get_column_letter(c)
        if header in wrap:
            ws.column_dimensions[letter].width = WRAP_WIDTH
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            longest = max((_width(ws.cell(r, c).value) for r in range(1, len(rows) + 2)), default=8)
            ws.column_dimensions[letter].width = min(MAX_WIDTH, max(6, longest + 2))
    ws.freeze_panes = freeze
    if rows:
        ws.auto_filter.ref = ws.dimensions


def _width(value) -> int:
    """Characters a value needs on screen (dates as yyyy-mm-dd hh:mm)."""
    if value is None:
        return 0
    if hasattr(value, "hour"):
        return 16
    if hasattr(value, "year"):
        return 10
    return len(f"{value:,}" if isinstance(value, int | float) else str(value))


def _selection(report: Report) -> list[list]:
    (start, end), (prev_start, prev_end) = report.period, report.previous_period
    rows = [
        ["Rapport", "Lägesbild"],
        ["Version", report.version],
        ["Kommuner", report.kommuner],
        ["Fokusområden", report.focus],
        ["Period från", start],
        ["Period till", end],
        ["Antal dagar", (end - start).days + 1],
        ["Jämförs med period från", prev_start],
        ["Jämförs med period till", prev_end],
        ["Skapad", report.created],
    ]
    return rows + ([["Om antalen", report.captions]] if report.captions else [])


def _key_numbers(report: Report) -> list[list]:
    return [[k.group, k.label, report.rule.cell(k.value), k.note] for k in report.key_numbers]


def _places(report: Report) -> list[list]:
    cell = report.rule.cell
    return [
        [i + 1, r.place, cell(r.n_now), cell(r.n_before), None if pd.isna(r.change) else int(r.change)]
        for i, r in enumerate(report.places.itertuples())
    ]


def _weekday_hour(report: Report) -> list[list]:
    matrix = report.weekday_hour
    return [[day, *(report.rule.cell(v) for v in values)] for day, values in zip(matrix.index, matrix.to_numpy())]


def _commitments(report: Report) -> tuple[list[str], list[list]]:
    headers = ["Löfte", "Aktör", "Åtagande", "Status", "Framsteg (%)", "Slutdatum", "Senaste uppföljning"]
    headers += ["Antal uppföljningar", "Fokusområden"] + (["Anteckning", "Av"] if report.notes else [])
    rows = []
    for r in report.commitments.itertuples():
        row = [r.pledge, ACTORS[r.actor], r.text, status_badge(r.status), r.progress, r.due_date, r.updated_at]
        row += [r.updates, r.focus] + ([r.note, r.author] if report.notes else [])
        rows.append(row)
    return headers, rows


INDICATOR_HEADERS = [
    "Indikator", "Kommun", "Bedömning", "Senaste värde", "Enhet", "Period", "Periodens början",
    "Föregående värde", "Föregående periods början", "Förändring", "Mål", "Önskad riktning",
]  # fmt: skip


def _indicators(report: Report) -> list[list]:
    frame = report.indicators
    return [
        [
            r["Indikator"], r["Kommun"], r["Bedömning"], r["latest"], r["unit"],
            period_label(r["period_start"], r["period_type"]), _date(r["period_start"]), r["previous"],
            _date(r["previous_start"]), round(r["latest"] - r["previous"], 6), r["target"], r["Önskad riktning"],
        ]  # fmt: skip
        for _, r in frame.iterrows()
    ]


def _date(value):
    return None if pd.isna(value) else pd.Timestamp(value).date()
