"""The meeting report as one self-contained HTML file, from `templates/report.html`.

Everything is inside the file: the styles inline, the map and the sparklines
as inline SVG or `data:` images, no script, no font, no link to another host.
A Content-Security-Policy that allows nothing else makes sure of it, also in
a mail client's preview. It prints on A4 (`@page`, print styles that keep
rows, cards and figures whole).

This module turns a `Report` into plain values (texts, numbers, coordinates);
the templates hold all markup. Jinja2 escapes every value they place, as
`html.escape` does; the one piece of markup made in Python,
`commitments.item_html` (shared with the Löften page), escapes its own text.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import shapely
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dashboard import areas, commitments, hotspots, shapes
from dashboard.formatting import fmt_date, fmt_number, fmt_period, fmt_signed
from dashboard.report.build import Report
from dashboard.theme import shade
from dashboard.vocab import ACTORS

MAP_WIDTH, MAP_MAX_HEIGHT = 700, 620
#: Width over height on the ground: a map at least this wide reads well on A4.
MAP_ASPECT = 1.25


def _escaped(value) -> Markup:
    """Every value a template places, escaped as `html.escape` does (quotes too)."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


TEMPLATES = Environment(
    loader=PackageLoader("dashboard.report"),
    autoescape=True,
    finalize=_escaped,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(f0=lambda v: f"{v:.0f}", f1=lambda v: f"{v:.1f}")


def render(report: Report) -> str:
    (start, end), prev = report.period, report.previous_period
    hs = report.hotspots
    return TEMPLATES.get_template("report.html").render(
        r=report,
        title=f"Lägesbild {report.kommuner} {fmt_period(start, end)}",
        meta={
            "Kommuner": report.kommuner,
            "Fokusområden": report.focus,
            "Period": f"{fmt_period(start, end)} ({fmt_number((end - start).days + 1)} dagar)",
            "Jämförs med": fmt_period(*prev),
            "Skapad": f"{fmt_date(report.created.date())} {report.created:%H:%M}",
        },
        cards=_cards(report),
        map=_map(report),
        legend={"title": hs.legend.title, "swatches": list(zip(hs.legend.colors, hs.legend.labels))},
        coverage=hotspots.coverage_text(hs),
        places=_places(report),
        areas=_areas(report),
        matrix=_matrix(report),
        pledges=_pledges(report),
        indicators=_indicators(report.indicators),
    )


def _cards(report: Report) -> list[dict]:
    """A card per group of key numbers: the first large, the rest listed."""
    cards = []
    for group in dict.fromkeys(k.group for k in report.key_numbers):
        first, *rest = [k for k in report.key_numbers if k.group == group]
        cards.append({"group": group, "first": first, "rest": rest})
    return cards


def _places(report: Report) -> list[list]:
    return [
        [i + 1, r.place, report.count_text(r.n_now), report.count_text(r.n_before), _change(r.change)]
        for i, r in enumerate(report.places.itertuples())
    ]


def _areas(report: Report) -> list[list]:
    return [
        [r.name, areas.KINDS.get(r.kind, r.kind), report.count_text(r.n_now), report.count_text(r.n_before), _change(r.change)]
        for r in report.areas.itertuples()
    ]


def _change(value: float) -> str:
    return "–" if pd.isna(value) else fmt_signed(value)


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


def _map_extent(view: shapes.Bounds) -> hotspots.Extent:
    """The kommuner's box with a margin of a twentieth, widened to MAP_ASPECT
    where it is narrower, so that it fills a printed page."""
    dlat, dlon = (view.north - view.south) / 20, (view.east - view.west) / 20
    cos = math.cos(math.radians((view.south + view.north) / 2))
    height, width = view.north - view.south + 2 * dlat, (view.east - view.west + 2 * dlon) * cos
    dlon += max(0, MAP_ASPECT * height - width) / cos / 2
    return hotspots.Extent(view.south - dlat, view.west - dlon, view.north + dlat, view.east + dlon)


def _map(report: Report) -> dict:
    """What `map.svg` draws, in SVG units: kommun outlines with their names, cells, numbered places, a scale."""
    hs = report.hotspots
    geoms = shapes.kommun_geometries(hs.outlines)
    present = ~shapely.is_missing(geoms)
    geoms, names = geoms[present], hs.outlines["kommun"][present]
    view = shapes.bounds(geoms)
    proj = _Projection(_map_extent(view) if view else hotspots.view_extent(hs))
    side = hs.grid.size_m * proj.scale
    cells = []
    for c in hs.cells.itertuples():
        x, y = proj.xy((c.cell_row + 1) * hs.grid.cell_lat, c.cell_col * hs.grid.cell_lon)
        if -side < x < proj.width and -side < y < proj.height:
            cells.append((x, y, hs.legend.colors[c.cls]))
    simple = shapes.simplified(geoms, view) if view else geoms
    return {
        "width": proj.width,
        "height": proj.height,
        "label": f"Karta: {report.kommuner}, {hs.legend.title.lower()}",
        "side": side,
        "cells": cells,
        "outlines": [_path(proj, g) for g in simple],
        "names": [(*proj.xy(lat, lon), name) for (lat, lon), name in zip(shapes.label_points(geoms), names)],
        "numbers": [proj.xy(p.lat, p.lon) for p in report.places.itertuples()],
        "scale": _scale_bar(proj),
    }


def _path(proj: _Projection, geom) -> str:
    """An SVG path of a (multi)polygon: one closed subpath per ring."""
    return " ".join(
        "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in (proj.xy(lat, lon) for lat, lon in ring)) + " Z"
        for polygon in shapes.latlon_rings(geom)
        for ring in polygon
    )


def _scale_bar(proj: _Projection) -> dict:
    """A bar of a round length, about a fifth of the map's width, bottom left."""
    target = proj.width / proj.scale / 5
    metres = min((m * 10**e for e in range(1, 6) for m in (1, 2, 5)), key=lambda v: abs(math.log(v / target)))
    label = f"{fmt_number(metres / 1000)} km" if metres >= 1000 else f"{metres} m"
    return {"length": metres * proj.scale, "y": proj.height - 14, "label": label}


# --- Weekday x hour -------------------------------------------------------------------


def _matrix(report: Report) -> dict:
    """Column heads, rows of (weekday or day type, cells), the largest count, which the
    caption names, and what the rows and columns are."""
    matrix = report.weekday_hour
    top = matrix.max().max()
    top = 0 if pd.isna(top) else top
    rows = [(day, [_shade(v, top, report) for v in values]) for day, values in zip(matrix.index, matrix.to_numpy())]
    by = "vardag och helg och sextimmarsband" if report.rule.coarse_time else "veckodag och timme (kl. 00–23)"
    return {"heads": list(matrix.columns), "rows": rows, "top": fmt_number(top), "by": by}


def _shade(value: float, top: float, report: Report) -> dict:
    """A matrix cell: the count on a sequential colour, white text on the darkest; none for 0 or unpublished."""
    if pd.isna(value) or value == 0:
        return {"text": report.count_text(value), "background": None}
    background, color = shade(value, top)
    return {"text": fmt_number(value), "background": background, "color": color}


# --- Commitments and indicators -------------------------------------------------------


def _pledges(report: Report) -> list[dict]:
    """Per pledge, its commitments by actor, in the Löften page's order."""
    return [
        {
            "title": pledge,
            "actors": [
                (ACTORS[actor], [_commitment(row, report.notes) for row in group.itertuples()])
                for actor, group in commitments.by_actor(rows)
            ],
        }
        for pledge, rows in report.commitments.groupby("pledge", sort=False)
    ]


def _commitment(row, notes: bool) -> dict:
    latest = "ingen uppföljning registrerad" if pd.isna(row.updated_at) else (
        f"senaste uppföljning {fmt_date(row.updated_at.date())} ({fmt_number(row.updates)} totalt)"
    )  # fmt: skip
    note = row.note if notes and isinstance(row.note, str) else ""
    return {
        "item": Markup(commitments.item_html(row.text, row.status, row.due_date, row.focus)),
        "line": f"Framsteg {row.progress}\u00a0% · {latest}",
        "note": note,
        "author": (row.author or "–") if note else "",
    }


def indicator_table(overview: pd.DataFrame) -> str:
    """The rows of `indicators.overview_frame` as the report's indicator table (HTML),
    which the Indikatorer page shows too."""
    return str(TEMPLATES.get_template("indicator_table.html").module.indicator_table(_indicators(overview)))


def _indicators(overview: pd.DataFrame) -> list[dict]:
    """Per indicator its id, name and desired direction, then a row per municipality."""
    groups: dict[str, dict] = {}
    for r in overview.to_dict("records"):
        group = groups.setdefault(
            r["indicator_id"],
            {"id": r["indicator_id"], "name": r["Indikator"], "direction": r["Önskad riktning"], "series": []},
        )
        group["series"].append(
            {"kommun": r["Kommun"], "verdict": r["verdict"], "judgement": r["Bedömning"], "latest": r["Senaste"],
             "change": r["Förändring"], "sparkline": r["Utveckling"], "target": r["Mål"]}  # fmt: skip
        )
    return list(groups.values())
