"""The meeting report as one self-contained HTML file.

Everything is inside the file: the styles inline, the map and the sparklines
as inline SVG or `data:` images, no script, no font, no link to another host.
A Content-Security-Policy that allows nothing else makes sure of it, also in
a mail client's preview. It prints on A4 (`@page`, print styles that keep
rows, cards and figures whole). Every text from the data is escaped with
`html.escape`; only the `Html` strings this module builds itself are not.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from dashboard import commitments, hotspots
from dashboard.formatting import fmt_date, fmt_number, fmt_period, fmt_signed
from dashboard.report import Report
from dashboard.theme import SEQUENTIAL
from dashboard.vocab import ACTORS, WEEKDAYS_SV

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #0A0A0A; background: #FFFFFF;
       max-width: 186mm; margin: 0 auto; padding: 8mm 4mm; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 24pt; margin: 0 0 2mm; }
h2 { font-size: 15pt; border-bottom: 3px solid #0B4F9C; padding-bottom: 1mm; margin: 9mm 0 3mm; break-after: avoid; }
h3 { font-size: 12.5pt; margin: 5mm 0 2mm; break-after: avoid; }
h4 { font-size: 11pt; margin: 3mm 0 1.5mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.version { display: inline-block; border: 2px solid #0A0A0A; padding: .3mm 2mm; font-weight: 700; margin: 0 0 3mm; }
.summary { font-weight: 700; background: #EEF1F5; border-left: 6px solid #0B4F9C; padding: 2mm 3mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .5mm 4mm; margin: 3mm 0; }
dl.meta dt { font-weight: 700; } dl.meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; break-inside: avoid; }
.card { border: 1.5px solid #6E6E6E; padding: 2mm 3mm; }
.card h3 { margin: 0 0 1mm; }
.card .big { font-size: 22pt; font-weight: 700; line-height: 1.1; }
.card ul { list-style: none; padding: 0; margin: 1mm 0 0; }
.caption { font-size: 9pt; color: #2B2B2B; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0; }
th, td { border: 1px solid #A6A6A6; padding: .8mm 1.5mm; text-align: left; vertical-align: top; }
thead th { background: #EEF1F5; }
thead { display: table-header-group; }
tr, .item, figure, .legend { break-inside: avoid; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.matrix { table-layout: fixed; font-size: 7.5pt; }
table.matrix th, table.matrix td { padding: 0; text-align: center; }
table.matrix span { display: block; padding: .6mm 0; }
table.matrix th:first-child { width: 17mm; text-align: left; padding-left: 1mm; }
.zero { color: #8C8C8C; }
figure { margin: 0 0 3mm; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #6E6E6E; background: #F2F1EC; }
.legend { display: flex; flex-wrap: wrap; gap: 1mm 4mm; align-items: center; font-size: 9pt; margin-top: 1.5mm; }
.legend i { display: inline-block; width: 4mm; height: 4mm; border: 1px solid #3A3A3A; vertical-align: -.8mm;
            margin-right: 1mm; }
.item { border-left: 4px solid #BFBFBF; padding: .5mm 0 .5mm 3mm; margin: 0 0 3mm; }
.lb-item { font-weight: 700; }
.lb-meta { font-size: 9.5pt; margin-top: .5mm; }
.lb-status { display: inline-block; padding: 0 1.5mm; border-radius: 1mm; color: #FFFFFF; font-weight: 700;
             white-space: nowrap; }
.note { margin: 1mm 0 0; padding: 1mm 2mm; background: #F5F5F5; font-size: 9.5pt; }
.verdict { display: block; padding-left: 1.5mm; border-left: 5px solid transparent; }
.verdict.good { border-left-color: #009E73; } .verdict.bad { border-left-color: #D55E00; }
tr.group th { background: #F7F7F7; font-size: 10pt; padding-top: 1.5mm; break-after: avoid; }
.direction { font-weight: 400; margin-left: 2mm; }
table.indicators td:nth-child(5) { width: 27mm; }
footer { margin-top: 8mm; border-top: 1px solid #A6A6A6; padding-top: 2mm; font-size: 8.5pt; }
table.matrix { break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; }
  h2 { margin-top: 6mm; }
  figure svg { width: auto; max-width: 100%; max-height: 95mm; margin: 0 auto; }
}
"""
#: Nothing but this file: inline styles and data: images, no script, no other host.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAP_WIDTH, MAP_MAX_HEIGHT = 700, 620
#: Width over height on the ground: a map at least this wide reads well on A4.
MAP_ASPECT = 1.25


class Html(str):
    """Markup this module built; anything else is escaped where it is placed."""


def esc(value) -> str:
    return value if isinstance(value, Html) else html.escape(str(value))


def render(report: Report) -> str:
    sections = [_title(report), _key_numbers(report), _places(report), _weekday_hour(report)]
    sections += [_commitments(report), _indicators(report)]
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(f'Lägesbild {report.kommuner} {fmt_period(report.sel.start, report.sel.end)}')}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(sections) + f"\n{_footer(report)}\n</body>\n</html>\n"
    )


def _section(ident: str, title: str, *parts: str) -> str:
    return f'<section id="{ident}">\n<h2>{esc(title)}</h2>\n' + "\n".join(parts) + "\n</section>"


def _tr(values: list, tag: str = "td", numeric: set[int] = frozenset()) -> str:
    """A table row of escaped cells; columns in `numeric` align right."""
    cells = "".join(f"<{tag}{' class=num' if i in numeric else ''}>{esc(v)}</{tag}>" for i, v in enumerate(values))
    return f"<tr>{cells}</tr>"


def _table(headers: list[str], rows: list, numeric: set[int] = frozenset(), cls: str = "") -> str:
    """A table of rows of cells; a row that is `Html` (a heading row) goes in as it is."""
    body = "\n".join(row if isinstance(row, Html) else _tr(row, numeric=numeric) for row in rows)
    return f'<table class="{cls}">\n<thead>{_tr(headers, "th", numeric)}</thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def _title(report: Report) -> str:
    sel, prev = report.sel, report.sel.previous()
    meta = {
        "Kommuner": report.kommuner,
        "Fokusområden": report.focus,
        "Period": f"{fmt_period(sel.start, sel.end)} ({fmt_number(sel.days)} dagar)",
        "Jämförs med": fmt_period(prev.start, prev.end),
        "Skapad": f"{fmt_date(report.created.date())} {report.created:%H:%M}",
    }
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta.items())
    return (
        f'<header id="rubrik">\n<p class="version">{esc(report.version)}</p>\n<h1>Lägesbild</h1>\n'
        f'<p class="summary">{esc(report.summary)}</p>\n<dl class="meta">{items}</dl>\n</header>'
    )


def _key_numbers(report: Report) -> str:
    cards = []
    for group in dict.fromkeys(k.group for k in report.key_numbers):
        first, *rest = [k for k in report.key_numbers if k.group == group]
        lines = "".join(f"<li>{esc(k.label)}: <b>{esc(report.count_text(k.value))}</b></li>" for k in rest)
        note = f'<p class="caption">{esc(first.note)}</p>' if first.note else ""
        cards.append(
            f'<div class="card"><h3>{esc(group)}</h3><div>{esc(first.label)}</div>'
            f'<div class="big">{esc(report.count_text(first.value))}</div>{note}<ul>{lines}</ul></div>'
        )
    caption = "Indikatorer: senaste värdet jämfört med det förra, per indikator och kommun (importerad statistik)."
    return _section("nyckeltal", "Nyckeltal", f'<div class="cards">{"".join(cards)}</div>', f'<p class="caption">{esc(caption)}</p>')


def _places(report: Report) -> str:
    hs = report.hotspots
    rows = [
        [i + 1, r.place, report.count_text(r.n_now), report.count_text(r.n_before), _change(r.change)]
        for i, r in enumerate(report.places.itertuples())
    ]
    table = _table(["Nr", "Plats", "Nu", "Före", "Förändring"], rows, {0, 2, 3, 4}) if rows else "<p>Inga platser.</p>"
    return _section(
        "platser",
        "Var: största platserna",
        f"<figure>{_map_svg(report)}{_legend(hs.legend)}</figure>",
        f'<p class="caption">{esc(hotspots.coverage_text(hs))} Numren på kartan hör till tabellen.</p>',
        table,
    )


def _change(value: float) -> str:
    return "–" if pd.isna(value) else fmt_signed(value)


def _legend(legend: hotspots.Legend) -> str:
    swatches = "".join(
        f'<span><i style="background:{c}"></i>{esc(label)}</span>' for c, label in zip(legend.colors, legend.labels)
    )
    return f'<div class="legend"><b>{esc(legend.title)}</b>{swatches}</div>'


# --- The static map -------------------------------------------------------------------


class _Projection:
    """Degrees to SVG units over an extent: metres on the ground, north up."""

    def __init__(self, extent: hotspots.Extent):
        self.extent = extent
        self.kx = hotspots.M_PER_DEGREE * math.cos(math.radians((extent.south + extent.north) / 2))
        width_m = (extent.east - extent.west) * self.kx
        height_m = (extent.north - extent.south) * hotspots.M_PER_DEGREE
        self.scale = min(MAP_WIDTH / width_m, MAP_MAX_HEIGHT / height_m)  # SVG units per metre
        self.width, self.height = width_m * self.scale, height_m * self.scale

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.extent.west) * self.kx
        y = (self.extent.north - lat) * hotspots.M_PER_DEGREE
        return x * self.scale, y * self.scale


def _map_extent(hs: hotspots.Hotspots) -> hotspots.Extent:
    """The map page's opening view with a margin of a tenth (at least two cells),
    widened to MAP_ASPECT where it is narrower, so that it fills a printed page."""
    view = hotspots.view_extent(hs)
    dlat = max((view.north - view.south) / 10, 2 * hs.grid.cell_lat)
    dlon = max((view.east - view.west) / 10, 2 * hs.grid.cell_lon)
    cos = math.cos(math.radians((view.south + view.north) / 2))
    height, width = view.north - view.south + 2 * dlat, (view.east - view.west + 2 * dlon) * cos
    dlon += max(0, MAP_ASPECT * height - width) / cos / 2
    return hotspots.Extent(view.south - dlat, view.west - dlon, view.north + dlat, view.east + dlon)


def _map_svg(report: Report) -> str:
    """Cells coloured by their legend class, municipal outlines, numbered top places and a scale."""
    hs = report.hotspots
    proj = _Projection(_map_extent(hs))
    side = hs.grid.size_m * proj.scale
    parts = []
    for c in hs.cells.itertuples():
        x, y = proj.xy((c.cell_row + 1) * hs.grid.cell_lat, c.cell_col * hs.grid.cell_lon)
        if -side < x < proj.width and -side < y < proj.height:
            fill = hs.legend.colors[c.cls]
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{side:.1f}" height="{side:.1f}" fill="{fill}"/>')
    parts = ['<g stroke="#3A3A3A" stroke-width=".4" fill-opacity=".85">', *parts, "</g>"]
    for o in hs.outlines.itertuples():
        x, y = proj.xy(o.lat, o.lon)
        r = o.radius_km * 1000 * proj.scale
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="outline"/>')
        # The name at the top of the outline, kept inside the map.
        lx, ly = min(max(x, 60), proj.width - 60), min(max(y - r + 16, 18), proj.height - 8)
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" class="kommun">{esc(o.kommun)}</text>')
    for number, p in enumerate(report.places.itertuples(), start=1):
        x, y = proj.xy(p.lat, p.lon)
        parts.append(f'<g transform="translate({x:.1f} {y:.1f})"><circle r="9" fill="#FFFFFF" stroke="#0A0A0A" stroke-width="1.5"/>'
                     f'<text y="4" class="nr">{number}</text></g>')  # fmt: skip
    parts.append(_scale_bar(proj))
    style = (
        "<style>text { font: 13px 'DejaVu Sans', Arial, sans-serif; text-anchor: middle; }"
        " .kommun { font-weight: 700; paint-order: stroke; stroke: #FFFFFF; stroke-width: 4px; }"
        " .nr { font-size: 11px; font-weight: 700; }"
        " .outline { fill: none; stroke: #4D4D4D; stroke-width: 1.5; stroke-dasharray: 6 5; }</style>"
    )
    label = f"Karta: {report.kommuner}, {hs.legend.title.lower()}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{proj.width:.0f}" height="{proj.height:.0f}" '
        f'viewBox="0 0 {proj.width:.0f} {proj.height:.0f}" '
        f'role="img" aria-label="{esc(label)}">{style}' + "".join(parts) + "</svg>"
    )


def _scale_bar(proj: _Projection) -> str:
    """A bar of a round length, about a fifth of the map's width, bottom left."""
    target = proj.width / proj.scale / 5
    metres = min((m * 10**e for e in range(1, 6) for m in (1, 2, 5)), key=lambda v: abs(math.log(v / target)))
    length, y = metres * proj.scale, proj.height - 14
    label = f"{fmt_number(metres / 1000)} km" if metres >= 1000 else f"{metres} m"
    return (
        f'<g><rect x="8" y="{y - 16:.0f}" width="{length + 16:.1f}" height="26" fill="#FFFFFF" fill-opacity=".85"/>'
        f'<path d="M16 {y - 4:.0f} v6 h{length:.1f} v-6" fill="none" stroke="#0A0A0A" stroke-width="2"/>'
        f'<text x="{16 + length / 2:.1f}" y="{y - 4:.0f}">{esc(label)}</text></g>'
    )


# --- Weekday x hour -------------------------------------------------------------------


def _weekday_hour(report: Report) -> str:
    matrix = report.weekday_hour
    top = matrix.max().max()
    top = 0 if pd.isna(top) else top
    rows = [[day.capitalize(), *(_shade(v, top, report) for v in matrix.loc[i])] for i, day in enumerate(WEEKDAYS_SV)]
    caption = (
        f"Händelser under perioden per veckodag och timme (kl. 00–23). Mörkare färg: fler händelser; "
        f"den mörkaste rutan har {fmt_number(top)}."
    )
    if report.min_count > 1:
        caption += f" {report.suppressed}: färre än {report.min_count} händelser, visas inte."
    return _section(
        "veckodag-timme",
        "När: veckodag och timme",
        _table(["", *(f"{h:02d}" for h in range(24))], rows, cls="matrix"),
        f'<p class="caption">{esc(caption)}</p>',
    )


def _shade(value: float, top: float, report: Report) -> Html:
    """A matrix cell: the count on a sequential colour, white text on the darkest."""
    if pd.isna(value) or value == 0:
        return Html(f'<span class="zero">{esc(report.count_text(value))}</span>')
    i = min(len(SEQUENTIAL) - 1, int(len(SEQUENTIAL) * value / (top + 1)))
    text = "#FFFFFF" if i >= len(SEQUENTIAL) - 2 else "#0A0A0A"
    return Html(f'<span style="background:{SEQUENTIAL[i]};color:{text}">{esc(fmt_number(value))}</span>')


# --- Commitments and indicators -------------------------------------------------------


def _listing(ident: str, title: str, frame: pd.DataFrame, parts, empty: str) -> str:
    """A section made by `parts(frame)`, or a sentence saying there is nothing to show."""
    return _section(ident, title, *(parts(frame) if len(frame) else [f"<p>{esc(empty)}</p>"]))


def _commitments(report: Report) -> str:
    def parts(frame: pd.DataFrame) -> list[str]:
        out = []
        for pledge, rows in frame.groupby("pledge", sort=False):
            out.append(f"<h3>{esc(pledge)}</h3>")
            for actor, group in commitments.by_actor(rows):
                out.append(f"<h4>{esc(ACTORS[actor])}</h4>")
                out += [_commitment(row, report.notes) for row in group.itertuples()]
        return out

    empty = "Inga åtaganden i löften för de valda kommunerna och perioden."
    return _listing("loften", "Löften och åtaganden", report.commitments, parts, empty)


def _commitment(row, notes: bool) -> str:
    latest = "ingen uppföljning registrerad" if pd.isna(row.updated_at) else (
        f"senaste uppföljning {fmt_date(row.updated_at.date())} ({fmt_number(row.updates)} totalt)"
    )  # fmt: skip
    line = f"Framsteg {row.progress}\u00a0% · {latest}"
    note = ""
    if notes and isinstance(row.note, str) and row.note:
        note = f'<p class="note">{esc(row.note)} <i>({esc(row.author or "–")})</i></p>'
    item = commitments.item_html(row.text, row.status, row.due_date, row.focus)
    return f'<div class="item">{item}<div class="lb-meta">{esc(line)}</div>{note}</div>'


INDICATOR_COLUMNS = ["Kommun", "Bedömning", "Senaste", "Förändring", "Utveckling", "Mål"]
INDICATOR_CAPTION = (
    "Bedömning: senaste värdet jämfört med det förra, i indikatorns önskade riktning "
    "(✔ i önskad riktning, ✖ i fel riktning, → oförändrad). "
    "Utveckling: hela serien; ett avbrott är en period utan värde."
)


def _indicators(report: Report) -> str:
    """One heading row per indicator (its name and desired direction), then a row per municipality."""

    def parts(frame: pd.DataFrame) -> list[str]:
        rows = []
        for _, group in frame.groupby("indicator_id", sort=False):
            first = group.iloc[0]
            title = f"{esc(first['Indikator'])} <span class=direction>{esc(first['Önskad riktning'])}</span>"
            rows.append(Html(f'<tr class="group"><th colspan="{len(INDICATOR_COLUMNS)}">{title}</th></tr>'))
            for verdict, values in zip(group["verdict"], group[INDICATOR_COLUMNS].itertuples(index=False, name=None)):
                cells = list(values)
                cells[1] = Html(f'<span class="verdict {esc(verdict)}">{esc(cells[1])}</span>')
                cells[4] = Html(f'<img src="{esc(cells[4])}" width="100" height="25" alt="">' if cells[4] else "")
                rows.append(cells)
        return [_table(INDICATOR_COLUMNS, rows, cls="indicators"), f'<p class="caption">{esc(INDICATOR_CAPTION)}</p>']

    return _listing("indikatorer", "Indikatorer", report.indicators, parts, "Inga indikatorer med värden för urvalet.")


def _footer(report: Report) -> str:
    return f"<footer>Lägesbild · {esc(report.summary)} · {esc(report.version)}</footer>"
