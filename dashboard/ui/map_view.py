"""The hotspot map: a folium/Leaflet map that draws offline.

folium's `Map` loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; here
each map loads only the app's own Leaflet (`static_assets`). Nothing else is
needed because no plugin is used: the cells, the municipal outlines and the
legend are drawn by one small script (`HotspotLayer`) with Leaflet's own
rectangles, circles and controls, from compact JSON, so the page's size grows
with the number of cells and never with the number of incidents. No branca
colour map either: streamlit-folium would fetch d3 from a CDN for one. Text
from the data (municipality names) is set with `textContent`, never as HTML.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.template import Template
from streamlit_folium import st_folium

from dashboard import db, hotspots, static_assets
from dashboard.filters import Selection

HEIGHT = 640
STYLE = """
<style>
  .leaflet-container { background: #F2F1EC; }
  .lb-legend { background: #FFFFFF; color: #0A0A0A; padding: 8px 12px; border: 2px solid #0A0A0A;
               line-height: 1.7; max-width: 19rem; }
  .lb-legend strong { display: block; margin-bottom: 2px; }
  .lb-legend i { display: inline-block; width: 20px; height: 20px; margin-right: 8px;
                 vertical-align: -4px; border: 1px solid #3A3A3A; }
  .lb-kommun span { display: inline-block; transform: translate(-50%, -100%); white-space: nowrap;
                    font-weight: 700; font-size: 15px; background: #FFFFFFE0; padding: 0 6px;
                    border: 1px solid #4D4D4D; border-radius: 3px; }
</style>
"""


def _script_json(value) -> str:
    """Compact JSON that is safe inside a <script> element."""
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


class HotspotLayer(MacroElement):
    """Cells, municipal outlines and a Swedish legend, drawn from one JSON object."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, d) {
            function count(v) { return v.toLocaleString("sv-SE"); }
            function add(parent, tag, text) {
                var el = L.DomUtil.create(tag, "", parent);
                if (text !== undefined) { el.textContent = text; }
                return el;
            }
            map.fitBounds(d.view, {animate: false, padding: [24, 24]});
            d.outlines.forEach(function (o) {
                L.circle([o[0], o[1]], {radius: o[2], color: "#4D4D4D", weight: 2, dashArray: "6 6",
                                        fill: false, interactive: false}).addTo(map);
                // A label placed by CSS, not measured: the stylesheet may still be loading.
                var label = L.divIcon({className: "lb-kommun", html: add(null, "span", o[3]), iconSize: null});
                L.marker([o[0] + o[2] / 111320, o[1]], {icon: label, interactive: false, keyboard: false}).addTo(map);
            });
            var cells = L.featureGroup();
            d.cells.forEach(function (c) {
                var s = (d.row0 + c[0]) * d.dlat, w = (d.col0 + c[1]) * d.dlon;
                var tip = count(c[3]) + (c[3] === 1 ? " händelse" : " händelser") +
                          (c.length > 4 ? ", före: " + count(c[4]) : "");
                L.rectangle([[s, w], [s + d.dlat, w + d.dlon]], {
                    color: "#3A3A3A", weight: 0.6, opacity: 0.7, fillColor: d.legend.colors[c[2]], fillOpacity: 0.8
                }).bindTooltip(tip).addTo(cells);
            });
            cells.addTo(map);
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("div", "lb-legend");
                add(box, "strong", d.legend.title);
                d.legend.labels.forEach(function (label, i) {
                    var row = add(box, "div");
                    add(row, "i").style.background = d.legend.colors[i];
                    row.appendChild(document.createTextNode(label));
                });
                return box;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, hs: hotspots.Hotspots):
        super().__init__()
        self._name = "HotspotLayer"
        self.data = _script_json(layer_data(hs))


def layer_data(hs: hotspots.Hotspots) -> dict:
    """What the browser gets: cell indices relative to the first cell, legend
    class and counts (the count before only when comparing), outlines, legend."""
    cells = hs.cells
    row0, col0 = (int(cells["cell_row"].min()), int(cells["cell_col"].min())) if len(cells) else (0, 0)
    columns = ["cell_row", "cell_col", "cls", "n_now"] + (["n_before"] if hs.compare else [])
    rows = cells[columns].astype("int64").to_numpy() - ([row0, col0] + [0] * (len(columns) - 2))
    return {
        "row0": row0,
        "col0": col0,
        "view": hotspots.view_extent(hs).corners,
        "dlat": hs.grid.cell_lat,
        "dlon": hs.grid.cell_lon,
        "cells": rows.tolist(),
        "legend": {"title": hs.legend.title, "colors": list(hs.legend.colors), "labels": list(hs.legend.labels)},
        "outlines": [
            [round(o.lat, 5), round(o.lon, 5), round(o.radius_km * 1000), str(o.kommun)]
            for o in hs.outlines.itertuples()
        ],
    }


def build_map(hs: hotspots.Hotspots, tiles_url: str | None = None, tiles_attribution: str = "") -> folium.Map:
    """The map opened on the selection's hotspots; tiles only from a configured server."""
    view = hotspots.view_extent(hs)
    centre = [(view.south + view.north) / 2, (view.west + view.east) / 2]  # fitted without animation by the layer
    # keyboard=False: Leaflet focuses the map on mousedown, which scrolls the page
    # around the iframe when the map is partly off screen and turns the click into a miss.
    fmap = folium.Map(location=centre, zoom_start=9, tiles=None, control_scale=True, font_size="16px", keyboard=False)
    js, css = static_assets.leaflet_urls()
    # Instance attributes: folium's class-level lists name four CDN hosts.
    fmap.default_js, fmap.default_css = [("leaflet", js)], [("leaflet_css", css)]
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=tiles_attribution or " ", max_zoom=19).add_to(fmap)
    fmap.get_root().header.add_child(Element(STYLE), name="lagesbild_style")
    HotspotLayer(hs).add_to(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The map as one standalone HTML page (what the browser would load)."""
    return fmap.get_root().render()


def show(fmap: folium.Map) -> dict | None:
    """Draw the map; returns the point of the last click on a cell, if any.

    Only `last_object_clicked` comes back, so panning and zooming, which do
    not change it, never rerun the page.
    """
    out = st_folium(
        fmap, height=HEIGHT, use_container_width=True, returned_objects=["last_object_clicked"], key="karta"
    )
    return (out or {}).get("last_object_clicked")


def map_payload_bytes(
    data_dir: Path,
    sel: Selection,
    local: hotspots.LocalFilter = hotspots.LocalFilter(),
    compare: bool = False,
) -> tuple[int, int]:
    """(bytes of the map's HTML, cells drawn) for a selection: for tests and the benchmark."""
    con = db.connect(data_dir)
    try:
        hs = hotspots.load(partial(db.run_query, con), sel.params(), local, compare)
        return len(map_html(build_map(hs)).encode()), len(hs.cells)
    finally:
        con.close()

