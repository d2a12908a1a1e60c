"""Municipalities, named places and focus areas from `reference.toml`."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pandas as pd

REFERENCE_FILE = Path(__file__).with_name("reference.toml")


@functools.cache
def reference() -> dict[str, pd.DataFrame]:
    """Frames `municipalities` (with a `places` list column), `places`,
    `focus_areas` and `categories` (one row per category with its profile)."""
    raw = tomllib.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    munis = pd.DataFrame(raw["municipality"])
    places = pd.DataFrame(
        [
            {"kommun_kod": m["kommun_kod"], "name": p["name"], "place_type": p["type"], "lat": p["lat"], "lon": p["lon"]}
            for m in raw["municipality"]
            for p in m["places"]
        ]
    )
    categories = pd.DataFrame(
        [{"focus_area": f["focus_area"], **c} for f in raw["focus_area"] for c in f["categories"]]
    )
    focus_areas = pd.DataFrame(
        {
            "focus_area": [f["focus_area"] for f in raw["focus_area"]],
            "name_sv": [f["name_sv"] for f in raw["focus_area"]],
            "categories": [[c["category"] for c in f["categories"]] for f in raw["focus_area"]],
        }
    )
    return {"municipalities": munis, "places": places, "focus_areas": focus_areas, "categories": categories}
