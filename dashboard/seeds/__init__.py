"""The five seed medborgarlöften, transcribed into ``pledges.toml``.

The TOML file next to this module is the project's own transcription of the
seed documents (the application never reads the originals). This module reads
it and offers it as pandas frames shaped like the contract tables ``pledges``,
``commitments`` and ``indicators`` (plus the pledges' desired effects), so the
demo generator and the tests need not know the TOML layout.

Dates are ``datetime64`` columns normalised to midnight; list-valued columns
(``kommun_kods``, ``focus_areas``, ``indicator_ids``) hold plain Python lists of
strings. Every call returns a fresh frame, so callers may modify it freely.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "SEED_PATH",
    "load_seed",
    "pledges_frame",
    "commitments_frame",
    "desired_effects_frame",
    "indicators_frame",
    "focus_areas_by_kommun",
    "indicator_kommuns",
    "reference",
]

#: The transcription, resolved relative to this file (works from any cwd).
SEED_PATH: Path = Path(__file__).with_name("pledges.toml")

PLEDGE_COLUMNS = [
    "pledge_id",
    "title",
    "kommun_kods",
    "lpo",
    "period_start",
    "period_end",
    "follow_up",
    "follow_up_kind",
    "follow_up_due",
    "source_document",
    "summary",
    "focus_areas",
]
COMMITMENT_COLUMNS = [
    "commitment_id",
    "pledge_id",
    "actor",
    "text",
    "focus_areas",
    "due_date",
    "indicator_ids",
]
EFFECT_COLUMNS = ["effect_id", "pledge_id", "text", "indicator_id", "follow_up_source"]
INDICATOR_COLUMNS = [
    "indicator_id",
    "name_sv",
    "unit",
    "source",
    "direction",
    "focus_area",
    "period_type",
    "per_capita",
    "source_ids",
    "demo_first_year",
    "demo_baseline",
    "demo_yearly_change",
    "demo_noise",
    "demo_wrong_way_kommun_kods",
    "target",
]


@cache
def load_seed() -> dict[str, Any]:
    """The parsed TOML file (cached: treat the result as read-only)."""
    with SEED_PATH.open("rb") as fh:
        return tomllib.load(fh)


def _dates(values: pd.Series) -> pd.Series:
    """TOML dates (or missing values) as a ``datetime64[ns]`` column at midnight.

    The unit is fixed so that every date column has the same dtype whatever
    pandas infers from ``datetime.date`` objects or an all-missing column.
    """
    return pd.to_datetime(values, errors="raise").astype("datetime64[ns]").dt.normalize()


def pledges_frame() -> pd.DataFrame:
    """One row per pledge; ``follow_up_due`` is NaT where the document names no date."""
    rows = [
        {
            "pledge_id": p["pledge_id"],
            "title": p["title"],
            "kommun_kods": [str(k) for k in p["kommun_kods"]],
            "lpo": p.get("lpo", ""),
            "period_start": p["period_start"],
            "period_end": p["period_end"],
            "follow_up": p.get("follow_up", ""),
            "follow_up_kind": p["follow_up_kind"],
            "follow_up_due": p.get("follow_up_due"),
            "source_document": p["source_document"],
            "summary": p.get("summary", ""),
            "focus_areas": list(p.get("focus_areas", [])),
        }
        for p in load_seed()["pledge"]
    ]
    df = pd.DataFrame(rows, columns=PLEDGE_COLUMNS)
    for col in ("period_start", "period_end", "follow_up_due"):
        df[col] = _dates(df[col])
    return df


def commitments_frame() -> pd.DataFrame:
    """One row per commitment (åtagande), with the id of its pledge."""
    rows = [
        {
            "commitment_id": c["commitment_id"],
            "pledge_id": p["pledge_id"],
            "actor": c["actor"],
            "text": c["text"],
            "focus_areas": list(c["focus_areas"]),
            # A commitment is due at the end of its pledge unless it says otherwise.
            "due_date": c.get("due_date", p["period_end"]),
            "indicator_ids": list(c.get("indicator_ids", [])),
        }
        for p in load_seed()["pledge"]
        for c in p.get("commitment", [])
    ]
    df = pd.DataFrame(rows, columns=COMMITMENT_COLUMNS)
    df["due_date"] = _dates(df["due_date"])
    return df


def desired_effects_frame() -> pd.DataFrame:
    """One row per desired effect (önskad effekt), each linked to one indicator."""
    rows = [
        {
            "effect_id": e["effect_id"],
            "pledge_id": p["pledge_id"],
            "text": e["text"],
            "indicator_id": e["indicator_id"],
            "follow_up_source": e.get("follow_up_source", ""),
        }
        for p in load_seed()["pledge"]
        for e in p.get("desired_effect", [])
    ]
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def indicators_frame() -> pd.DataFrame:
    """One row per indicator, with the demo-series parameters; ``target`` is NaN where absent."""
    rows = [
        {
            "indicator_id": i["indicator_id"],
            "name_sv": i["name_sv"],
            "unit": i["unit"],
            "source": i["source"],
            "direction": i["direction"],
            "focus_area": i["focus_area"],
            "period_type": i["period_type"],
            "per_capita": bool(i.get("per_capita", False)),
            "source_ids": [str(s) for s in i.get("source_ids", [])],
            "demo_first_year": int(i["demo_first_year"]),
            "demo_baseline": float(i["demo_baseline"]),
            "demo_yearly_change": float(i["demo_yearly_change"]),
            "demo_noise": float(i["demo_noise"]),
            "demo_wrong_way_kommun_kods": [str(k) for k in i.get("demo_wrong_way_kommun_kods", [])],
            "target": float(i["target"]) if "target" in i else float("nan"),
        }
        for i in load_seed()["indicator"]
    ]
    df = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    return df.astype(
        {
            "per_capita": "bool",
            "demo_first_year": "int64",
            "demo_baseline": "float64",
            "demo_yearly_change": "float64",
            "demo_noise": "float64",
            "target": "float64",
        }
    )


def focus_areas_by_kommun() -> dict[str, tuple[str, ...]]:
    """Kommun code -> the focus areas of the seed pledges that cover it (sorted)."""
    out: dict[str, set[str]] = {}
    for p in load_seed()["pledge"]:
        for kod in p["kommun_kods"]:
            out.setdefault(str(kod), set()).update(p.get("focus_areas", []))
    return {kod: tuple(sorted(fas)) for kod, fas in sorted(out.items())}


def indicator_kommuns() -> dict[str, tuple[str, ...]]:
    """Indicator id -> kommun codes whose pledge names it (in an effect or a commitment)."""
    out: dict[str, set[str]] = {}
    for p in load_seed()["pledge"]:
        ids = {e["indicator_id"] for e in p.get("desired_effect", [])}
        ids.update(i for c in p.get("commitment", []) for i in c.get("indicator_ids", []))
        for indicator_id in ids:
            out.setdefault(indicator_id, set()).update(str(k) for k in p["kommun_kods"])
    return {i: tuple(sorted(kods)) for i, kods in sorted(out.items())}


def reference() -> dict[str, pd.DataFrame]:
    """Municipalities, places and focus areas; see :mod:`dashboard.seeds.reference_data`.

    Imported lazily so that the pledge loaders above do not depend on it.
    """
    from dashboard.seeds.reference_data import reference as _reference

    return _reference()
