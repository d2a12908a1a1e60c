"""Run-time configuration, read from the environment.

`LAGESBILD_DATA_DIR` is the data root (default `data/`), `LAGESBILD_MODE` the
audience (`internal`, `meeting`, `public`), `LAGESBILD_TILES_URL` and
`LAGESBILD_TILES_ATTRIBUTION` an optional base-map tile server, and
`LAGESBILD_MIN_COUNT` the smallest count shown in `public` mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MODES = ("internal", "meeting", "public")


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    mode: str
    tiles_url: str | None
    tiles_attribution: str
    min_count: int


def settings() -> Settings:
    """Settings from the environment; an unknown mode is an error, not a guess."""
    mode = os.environ.get("LAGESBILD_MODE", "internal").strip().lower()
    if mode not in MODES:
        raise ValueError(f"LAGESBILD_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    return Settings(
        data_dir=Path(os.environ.get("LAGESBILD_DATA_DIR", "data")),
        mode=mode,
        tiles_url=os.environ.get("LAGESBILD_TILES_URL") or None,
        tiles_attribution=os.environ.get("LAGESBILD_TILES_ATTRIBUTION", ""),
        min_count=int(os.environ.get("LAGESBILD_MIN_COUNT", "3")),
    )
