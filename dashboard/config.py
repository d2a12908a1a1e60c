"""Run-time configuration, read from the environment.

`LAGESBILD_DATA_DIR` is the data root (default `data/`), `LAGESBILD_MODE` the
audience (`internal`, `meeting`, `public`), `LAGESBILD_TILES_URL` and
`LAGESBILD_TILES_ATTRIBUTION` an optional base-map tile server, and
`LAGESBILD_MIN_COUNT` k of the public disclosure rule (`dashboard.disclosure`):
an integer of at least 3, default 3.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MODES = ("internal", "meeting", "public")
#: Below this, a public count could point at a person (docs/disclosure.md).
MIN_COUNT_FLOOR = 3
DEFAULT_MIN_COUNT = 3


class ConfigError(ValueError):
    """A setting that must not start the app: English in `str()` for the CLI, Swedish in `swedish` for the app."""

    def __init__(self, english: str, swedish: str):
        super().__init__(english)
        self.swedish = swedish


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    mode: str
    tiles_url: str | None
    tiles_attribution: str
    min_count: int


def settings() -> Settings:
    """Settings from the environment; a bad value is an error, not a guess."""
    mode = os.environ.get("LAGESBILD_MODE", "internal").strip().lower()
    if mode not in MODES:
        raise ConfigError(
            f"LAGESBILD_MODE must be one of {', '.join(MODES)}, not {mode!r}",
            f"LAGESBILD_MODE måste vara något av {', '.join(MODES)}, inte {mode!r}.",
        )
    return Settings(
        data_dir=Path(os.environ.get("LAGESBILD_DATA_DIR", "data")),
        mode=mode,
        tiles_url=os.environ.get("LAGESBILD_TILES_URL") or None,
        tiles_attribution=os.environ.get("LAGESBILD_TILES_ATTRIBUTION", ""),
        min_count=min_count(os.environ.get("LAGESBILD_MIN_COUNT", "")),
    )


def min_count(raw: str) -> int:
    """k from `LAGESBILD_MIN_COUNT` (empty: the default). Refused below 3 in every mode,
    so that switching a copy to public mode can never publish with suppression turned off."""
    text = raw.strip()
    if not text:
        return DEFAULT_MIN_COUNT
    try:
        k = int(text)
    except ValueError:
        k = None
    if k is None or k < MIN_COUNT_FLOOR:
        raise ConfigError(
            f"LAGESBILD_MIN_COUNT must be a whole number of at least {MIN_COUNT_FLOOR}, not {raw!r}",
            f"LAGESBILD_MIN_COUNT måste vara ett heltal som är minst {MIN_COUNT_FLOOR}, inte {raw!r}.",
        )
    return k
