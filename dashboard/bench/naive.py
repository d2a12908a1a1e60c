"""The naive reference: the map page as one would first write it, for the
benchmark to compare with. Never used by the app.

pandas reads the whole incident table into memory, filters it, counts the
weekday x hour matrix and the days for the charts, and folium draws every
incident of the selection as a marker in a MarkerCluster. It is the cheapest
version of that design we could write: a cached load in Streamlit saves the
reading on a rerun (reported apart as `load_s`), and markers carry no popup.
The map's HTML is rendered but never shown (MarkerCluster would load its
scripts from a CDN).
"""

from __future__ import annotations

from pathlib import Path

import folium
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
from folium.plugins import MarkerCluster

from dashboard import incident_store
from dashboard.bench.measure import timed
from dashboard.filters import Selection

#: The partition values are text: kommun_kod "0114" keeps its zero.
PARTITIONING = ds.partitioning(pa.schema([("kommun_kod", pa.string()), ("year", pa.int32())]), flavor="hive")


def load(data_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(incident_store.current_tree(data_dir), partitioning=PARTITIONING)


def select(incidents: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The incidents of the selection's current period."""
    params = sel.params()
    keep = incidents["kommun_kod"].isin(sel.kommun_kods)
    keep &= incidents["occurred_at"].between(params["start"], params["end"], inclusive="left")
    if sel.focus_areas:
        keep &= incidents["focus_area"].isin(sel.focus_areas)
    return incidents[keep]


def charts(selected: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The weekday x hour matrix and incidents per day."""
    when = selected["occurred_at"].dt
    matrix = selected.groupby([when.weekday, when.hour]).size().unstack(fill_value=0)
    return matrix, selected.groupby(when.date).size()


def map_html(selected: pd.DataFrame) -> str:
    """A marker for every incident with a point location, clustered."""
    points = selected[selected["place_precision"] == "point"]
    fmap = folium.Map(location=[points["lat"].mean(), points["lon"].mean()], zoom_start=9, tiles=None)
    MarkerCluster(locations=points[["lat", "lon"]].to_numpy().tolist()).add_to(fmap)
    return fmap.get_root().render()


def map_page(data_dir: Path, sel: Selection) -> dict:
    """Time each step of the naive map page for `sel`."""
    incidents, load_s = timed(load, data_dir)
    selected, select_s = timed(select, incidents, sel)
    _, charts_s = timed(charts, selected)
    html, map_s = timed(map_html, selected)
    return {
        "rows_loaded": len(incidents),
        "markers": int((selected["place_precision"] == "point").sum()),
        "load_s": load_s,
        # What a rerun costs when the load is cached (st.cache_data).
        "rerun_s": select_s + charts_s + map_s,
        "map_s": map_s,
        "total_s": load_s + select_s + charts_s + map_s,
        "html_bytes": len(html.encode()),
    }
