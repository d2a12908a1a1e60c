"""The hotspot map: a folium/Leaflet map that draws offline.

folium's `Map` loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; here
each map loads only the app's own Leaflet (`static_assets`). Nothing else is
needed because no plugin is used: the kommun outlines (simplified for the
view, `shapes`), the cells or the areas, the names and the legend are drawn by
one small script (`HotspotLayer`) with Leaflet's own polygons, rectangles and
controls, from compact JSON, so the page's size grows with the number of cells
and areas and never with the number of incidents. No branca colour map either:
streamlit-folium would fetch d3 from a CDN for one. Text from the data (kommun
and area names) is set with `textContent`, never as HTML.

The base map is none (a plain background), a configured tile server, or tiles
imported from an MBTiles file and served by the app itself (`basemap.current`).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import folium
import pandas as pd
import shapely
import streamlit as st
from branca.element import Element, MacroElement
from folium.template import Template
from streamlit_folium import st_folium

from dashboard import areas, basemap, db, hotspots, shapes, static_assets
from dashboard.filters import Selection
from dashboard.ui import presenter

HEIGHT = 640
#: Areas named on the map however small they are drawn: those with most incidents.
AREAS_NAMED = 4
STYLE = """
<style>
  .leaflet-container { background: #F2F1EC; }
  .lb-legend { background: #FFFFFF; color: #0A0A0A; padding: 8px 12px; border: 2px solid #0A0A0A;
               line-height: 1.7; max-width: 19rem; }
  .lb-legend strong { display: block; margin-bottom: 2px; }
  .lb-legend i { display: inline-block; width: 20px; height: 20px; margin-right: 8px;
                 vertical-align: -4px; border: 1px solid #3A3A3A; }
  .lb-kommun span, .lb-area span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
                    color: #0A0A0A; text-shadow: 0 0 3px #FFF, 0 0 3px #FFF, 0 0 4px #FFF, 0 0 6px #FFF; }
  .lb-kommun span { font-weight: 800; font-size: 28px; letter-spacing: 0.02em; }
  .lb-area span { font-weight: 700; font-size: 17px; transform: translate(-50%, 12px); }
  .leaflet-control-scale-line { font-size: 15px; color: #0A0A0A; border-color: #0A0A0A; background: #FFFFFFD0; }
  .leaflet-control-attribution { font-size: 13px; }
</style>
"""
#: On the wall (meeting mode) the legend, names and credits are read from four metres: nothing under 20 px.
MEETING_STYLE = """
<style>
  .lb-legend, .leaflet-control-attribution, .leaflet-control-scale-line { font-size: 20px; }
  .lb-legend i { width: 24px; height: 24px; }
  .lb-area span { font-size: 20px; }
</style>
"""


def _script_json(value) -> str:
    """Compact JSON that is safe inside a <script> element."""
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


class HotspotLayer(MacroElement):
    """Kommun outlines with their names, cells or areas, and a Swedish legend, drawn from one JSON object."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, d) {
            function count(v) { return v === null ? "–" : v.toLocaleString("sv-SE"); }
            function add(parent, tag, text) {
                var el = L.DomUtil.create(tag, "", parent);
                if (text !== undefined) { el.textContent = text; }
                return el;
            }
            function label(at, text, cls) {
                // A label placed by CSS, not measured: the stylesheet may still be loading.
                var icon = L.divIcon({className: cls, html: add(null, "span", text), iconSize: null});
                return L.marker(at, {icon: icon, interactive: false, keyboard: false}).addTo(map);
            }
            function tip(n, before) {
                return count(n) + (n === 1 ? " händelse" : " händelser") + (before === undefined ? "" : ", före: " + count(before));
            }
            if (d.view) { map.fitBounds(d.view, {animate: false, padding: [16, 16]}); }
            // A metric scale bar only (folium's control_scale adds miles and feet); the tiles' own
            // credits only, no "Leaflet" before them (no credits at all without tiles).
            L.control.scale({imperial: false, maxWidth: 200}).addTo(map);
            if (map.attributionControl) { map.attributionControl.setPrefix(false); }
            d.outlines.forEach(function (o) {
                L.polygon(o[2], {color: "#262626", weight: 2.5, fillColor: "#FFFFFF", fillOpacity: d.tiles ? 0 : 0.55,
                                 interactive: false}).addTo(map);
            });
            var shapes = L.featureGroup();
            d.cells.forEach(function (c) {
                var s = (d.row0 + c[0]) * d.dlat, w = (d.col0 + c[1]) * d.dlon;
                L.rectangle([[s, w], [s + d.dlat, w + d.dlon]], {
                    color: "#3A3A3A", weight: 0.6, opacity: 0.7, fillColor: d.legend.colors[c[2]], fillOpacity: 0.8
                }).bindTooltip(tip(c[3], c.length > 4 ? c[4] : undefined)).addTo(shapes);
            });
            var named = d.areas.map(function (a) {
                var coloured = a[2] >= 0;
                return L.polygon(a[5], {color: "#0A0A0A", weight: 1.5, fillOpacity: 0.85,
                                        fillColor: coloured ? d.legend.colors[a[2]] : "#BDBDBD"})
                    .bindTooltip(a[0] + " (" + a[1] + "): " + (a[3] === null ? d.few : tip(a[3], a[4]))).addTo(shapes);
            });
            shapes.addTo(map);
            named = named.map(function (p, i) { return [p, label(d.areas[i][6], d.areas[i][0], "lb-area")]; });
            // Named: the areas with most incidents (listed first), and the others once they are
            // wide enough on screen for their names not to cover their neighbours.
            function nameAreas() {
                named.forEach(function (n, i) {
                    var b = n[0].getBounds(), w = map.latLngToLayerPoint(b.getNorthWest()),
                        e = map.latLngToLayerPoint(b.getSouthEast());
                    n[1].getElement().style.display = i < d.named || e.x - w.x >= 30 ? "" : "none";
                });
            }
            map.on("zoomend", nameAreas);
            nameAreas();
            d.outlines.forEach(function (o) { label(o[1], o[0], "lb-kommun"); });
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("div", "lb-legend");
                add(box, "strong", d.legend.title);
                d.legend.labels.forEach(function (text, i) {
                    var row = add(box, "div");
                    add(row, "i").style.background = d.legend.colors[i];
                    row.appendChild(document.createTextNode(text));
                });
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "HotspotLayer"
        self.data = _script_json(data)


def _outlines(hs: hotspots.Hotspots) -> tuple[list, shapes.Bounds | None]:
    """[name, label (lat, lon), polygons] per kommun, simplified for the view around them, and that view."""
    geoms = shapes.kommun_geometries(hs.outlines)
    present = ~shapely.is_missing(geoms)
    geoms, names = geoms[present], hs.outlines["kommun"].astype(str)[present]
    view = shapes.bounds(geoms)
    if view is None:
        return [], None
    simple = shapes.simplified(geoms, view)
    return [
        [name, list(at), shapes.latlon_rings(g)] for name, at, g in zip(names, shapes.label_points(geoms), simple)
    ], view


def _areas(counts: areas.AreaCounts | None, view: shapes.Bounds | None) -> list:
    """[name, kind, legend class (-1: not coloured), n_now, n_before, polygons, label] per area."""
    if counts is None or counts.areas.empty:
        return []
    frame = counts.areas
    geoms = frame["geometry"].to_numpy()
    simple = shapes.simplified(geoms, view) if view else geoms
    before = frame["n_before"] if counts.compare else pd.Series(None, index=frame.index)
    return [
        [str(name), areas.KINDS.get(kind, str(kind)).lower(), int(cls), _int(now), _int(b), shapes.latlon_rings(g), list(at)]
        for name, kind, cls, now, b, g, at in zip(
            frame["name"], frame["kind"], frame["cls"], frame["n_now"], before, simple, shapes.label_points(geoms)
        )
    ]


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def layer_data(hs: hotspots.Hotspots, counts: areas.AreaCounts | None = None, tiles: bool = False) -> dict:
    """What the browser gets: the kommun outlines and the view that fits them, and
    either the cells (indices relative to the first cell, legend class and counts,
    the count before only when comparing) or, given `counts`, the areas."""
    outlines, view = _outlines(hs)
    if counts is not None and len(counts.areas):  # the areas' view: they are small beside their kommuner
        view = shapes.bounds(counts.areas["geometry"].to_numpy()).padded(0.15)
    cells = hs.cells if counts is None else hs.cells.iloc[0:0]
    row0, col0 = (int(cells["cell_row"].min()), int(cells["cell_col"].min())) if len(cells) else (0, 0)
    columns = ["cell_row", "cell_col", "cls", "n_now"] + (["n_before"] if hs.compare else [])
    rows = cells[columns].astype("int64").to_numpy() - ([row0, col0] + [0] * (len(columns) - 2))
    legend = hs.legend if counts is None else counts.legend
    return {
        "row0": row0,
        "col0": col0,
        "view": (view.corners if view else hotspots.view_extent(hs).corners),
        "dlat": hs.grid.cell_lat,
        "dlon": hs.grid.cell_lon,
        "cells": rows.tolist(),
        "areas": _areas(counts, view),
        "named": AREAS_NAMED,
        "few": f"{hs.rule.fewer} händelser",
        "legend": {"title": legend.title, "colors": list(legend.colors), "labels": list(legend.labels)},
        "outlines": outlines,
        "tiles": tiles,
    }


def base_path() -> str:
    """Streamlit's server.baseUrlPath, under which the app's static files are served."""
    return st.get_option("server.baseUrlPath") or ""


def build_map(
    hs: hotspots.Hotspots,
    tiles: basemap.Tiles | None = None,
    counts: areas.AreaCounts | None = None,
    meeting: bool = False,
) -> folium.Map:
    """The map fitted to the selected kommuner: cells, or areas given `counts`;
    tiles only when configured or imported; type for the wall when `meeting`."""
    view = hotspots.view_extent(hs)
    centre = [(view.south + view.north) / 2, (view.west + view.east) / 2]  # fitted without animation by the layer
    # keyboard=False: Leaflet focuses the map on mousedown, which scrolls the page
    # around the iframe when the map is partly off screen and turns the click into a miss.
    # zoom_snap: fit the outlines in quarter zoom steps, so they fill the map.
    fmap = folium.Map(
        location=centre, zoom_start=9, tiles=None, font_size="16px", keyboard=False, zoom_snap=0.25,
        attribution_control=tiles is not None,
    )  # fmt: skip
    js, css = static_assets.leaflet_urls(base_path())
    # Instance attributes: folium's class-level lists name four CDN hosts.
    fmap.default_js, fmap.default_css = [("leaflet", js)], [("leaflet_css", css)]
    if tiles:
        folium.TileLayer(
            tiles=tiles.url, attr=tiles.attribution or " ", max_zoom=19,
            max_native_zoom=tiles.max_zoom, min_native_zoom=tiles.min_zoom, **({"bounds": tiles.bounds} if tiles.bounds else {}),
        ).add_to(fmap)  # fmt: skip
    fmap.get_root().header.add_child(Element(STYLE + (MEETING_STYLE if meeting else "")), name="lagesbild_style")
    HotspotLayer(layer_data(hs, counts, tiles is not None)).add_to(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The map as one standalone HTML page (what the browser would load)."""
    return fmap.get_root().render()


def show(hs: hotspots.Hotspots, tiles: basemap.Tiles | None, counts: areas.AreaCounts | None = None) -> dict | None:
    """Draw the map (`build_map`, for the wall in a presentation); returns the point of the last click, if any.

    Only `last_object_clicked` comes back, so panning and zooming, which do
    not change it, never rerun the page. The component's identity follows what
    the map shows (streamlit-folium keys it on the map's script, which is the
    same for the same data), so a rerun that changes nothing on the map, such
    as a click, keeps the drawn map instead of building a new frame.
    """
    fmap = build_map(hs, tiles, counts, meeting=presenter.presenting())
    out = st_folium(
        fmap, height=HEIGHT, use_container_width=True, returned_objects=["last_object_clicked"], key="karta"
    )
    return (out or {}).get("last_object_clicked")


def map_payload_bytes(
    data_dir: Path,
    sel: Selection,
    local: hotspots.LocalFilter = hotspots.LocalFilter(),
    compare: bool = False,
    by_area: bool = False,
) -> tuple[int, int]:
    """(bytes of the map's HTML, cells drawn) for a selection: for tests and the benchmark."""
    con = db.connect(data_dir)
    try:
        run = partial(db.run_query, con)
        hs = hotspots.load(run, sel.params(), local, compare)
        counts = areas.load(run, hs, sel.params(), local) if by_area else None
        return len(map_html(build_map(hs, counts=counts)).encode()), len(hs.cells)
    finally:
        con.close()

